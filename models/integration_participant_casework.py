"""A participant's casework planned with her: assessments (and, further on, her
integration plan), listed on her record for the smart buttons of her form."""

from odoo import api, fields, models

CONFIDENTIAL = "integration_program.group_participant_confidential"


class IntegrationParticipant(models.Model):
    _inherit = "integration.participant"

    assessment_ids = fields.One2many(
        "integration.assessment",
        "participant_id",
        string="Assessments",
        groups=CONFIDENTIAL,
    )
    assessment_line_ids = fields.One2many(
        "integration.assessment.line",
        "participant_id",
        string="Assessed Areas",
        groups=CONFIDENTIAL,
    )
    assessment_count = fields.Integer(
        compute="_compute_assessment_count",
        groups=CONFIDENTIAL,
    )

    @api.depends("assessment_ids")
    def _compute_assessment_count(self):
        for participant in self:
            participant.assessment_count = len(participant.assessment_ids)

    def action_view_assessments(self):
        return self._action_related("integration_program.integration_assessment_action")

    def action_view_assessment_chart(self):
        action = self._action_related(
            "integration_program.integration_assessment_line_action_chart"
        )
        action["domain"] = [
            ("participant_id", "=", self.id),
            ("score", "!=", False),
        ]
        action["name"] = self.env._("Assessments of %(name)s", name=self.name)
        return action
