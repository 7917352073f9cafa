{
    "name": "Integration Programmes",
    "summary": "Run municipal integration programmes: participants, "
    "coaching and placements in a kanban pipeline",
    "version": "19.0.1.0.0",
    "category": "Services/Integration",
    "website": "https://github.com/integration-program/integration_program",
    "author": "Integration Programme Team",
    "maintainers": ["integration-program"],
    "license": "AGPL-3",
    "application": True,
    "depends": ["mail"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/integration_program_security.xml",
        "security/ir.model.access.csv",
        "data/integration_stage_data.xml",
        "data/integration_exit_reason_data.xml",
        "data/integration_profession_data.xml",
        "data/integration_language_data.xml",
        "views/integration_participant_views.xml",
        "views/integration_program_views.xml",
        "views/integration_stage_views.xml",
        "views/integration_exit_reason_views.xml",
        "views/integration_tag_views.xml",
        "views/integration_profession_views.xml",
        "views/integration_language_views.xml",
        "wizard/integration_participant_exit_wizard_views.xml",
        "wizard/integration_participant_pause_wizard_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/integration_program_demo.xml",
        "demo/integration.participant.csv",
    ],
    "assets": {
        "web.assets_backend": [
            "integration_program/static/src/scss/integration_program.scss",
        ],
        "web.assets_tests": [
            "integration_program/static/tests/tours/*.js",
        ],
    },
}
