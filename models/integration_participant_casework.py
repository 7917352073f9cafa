"""A participant's casework planned with her: assessments, the versions of her
integration plan and her referrals to outside services, listed on her record for
the smart buttons of her form."""

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

    plan_ids = fields.One2many(
        "integration.plan",
        "participant_id",
        string="Integration Plans",
        groups=CONFIDENTIAL,
    )
    plan_goal_ids = fields.One2many(
        "integration.plan.goal",
        "participant_id",
        string="Goals of her Plans",
        groups=CONFIDENTIAL,
    )
    plan_step_ids = fields.One2many(
        "integration.plan.step",
        "participant_id",
        string="Steps of her Plans",
        groups=CONFIDENTIAL,
    )
    plan_progress = fields.Integer(
        compute="_compute_plan_progress",
        groups=CONFIDENTIAL,
        help="Progress of her current plan: the agreed version, or the draft "
        "while none is agreed.",
    )

    service_referral_ids = fields.One2many(
        "integration.service.referral",
        "participant_id",
        string="Referrals to Services",
        groups=CONFIDENTIAL,
    )
    service_referral_count = fields.Integer(
        compute="_compute_service_referral_count",
        groups=CONFIDENTIAL,
    )

    @api.depends("service_referral_ids")
    def _compute_service_referral_count(self):
        for participant in self:
            participant.service_referral_count = len(participant.service_referral_ids)

    def action_view_service_referrals(self):
        return self._action_related(
            "integration_program.integration_service_referral_action"
        )

    @api.depends("plan_ids.progress", "plan_ids.state")
    def _compute_plan_progress(self):
        for participant in self:
            plans = participant.plan_ids
            current = plans.filtered(lambda p: p.state == "agreed")[:1] or plans[:1]
            participant.plan_progress = round(current.progress)

    def action_view_plans(self):
        action = self._action_related("integration_program.integration_plan_action")
        if not self.plan_ids:
            action.update(view_mode="form", views=[(False, "form")])
        return action

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
        action["name"] = action["display_name"] = self.env._(
            "Assessments of %(name)s", name=self.name
        )
        # Points at her assessments' dates only, no zeros for the days between.
        action["context"] = dict(action["context"], fill_temporal=False)
        return action
