from odoo import fields, models

MILESTONES = [
    ("intake", "Registration"),
    ("orientation", "Career Orientation"),
    ("coaching", "Coaching"),
    ("qualification", "Qualification"),
    ("training", "Vocational Training"),
    ("employment", "Insured Employment"),
    ("exited", "Exited"),
]


class IntegrationStage(models.Model):
    _name = "integration.stage"
    _description = "Participant Pipeline Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    fold = fields.Boolean(
        string="Folded in Pipeline",
        help="This stage is folded in the kanban view.",
    )
    milestone = fields.Selection(
        MILESTONES,
        required=True,
        default="intake",
        help="What reaching this stage means for the programme. Reports and "
        "automations count milestones, never stage names.",
    )
    program_ids = fields.Many2many(
        "integration.program",
        string="Programmes",
        help="Programmes using this stage. Leave empty to use it in every programme.",
    )
    rotting_threshold_days = fields.Integer(
        string="Days Before Stale",
        default=0,
        help="Participants staying longer in this stage are flagged as stale on "
        "their card. 0 disables it.",
    )
    description = fields.Text(
        translate=True,
        help="What has to be done before a participant moves on; shown as tooltip "
        "on the pipeline column.",
    )
