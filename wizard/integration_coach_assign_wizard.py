from odoo import api, fields, models


class IntegrationCoachAssignWizard(models.TransientModel):
    _name = "integration.coach.assign.wizard"
    _description = "Assign a Coach"

    participant_id = fields.Many2one("integration.participant", required=True)
    provider_id = fields.Many2one(
        "res.partner",
        string="Coaching Provider",
        domain="[('is_coaching_provider', '=', True)]",
        compute="_compute_provider_id",
        store=True,
        readonly=False,
    )
    suggested_coach_ids = fields.Many2many(
        "res.users",
        "integration_coach_assign_wizard_suggestion_rel",
        "wizard_id",
        "user_id",
        string="Coaches with Free Capacity",
        compute="_compute_suggested_coach_ids",
    )
    coach_id = fields.Many2one("res.users")
    override_capacity = fields.Boolean(
        help="Programme managers may assign a coach whose caseload is full.",
    )

    @api.depends("participant_id")
    def _compute_provider_id(self):
        for wizard in self:
            wizard.provider_id = wizard.participant_id.provider_id

    @api.depends("provider_id", "participant_id")
    def _compute_suggested_coach_ids(self):
        users = self.env["res.users"]
        for wizard in self:
            domain = [("integration_provider_id", "!=", False)]
            if wizard.provider_id:
                domain = [("integration_provider_id", "=", wizard.provider_id.id)]
            coaches = users.search(domain)
            languages = wizard.participant_id.language_ids
            free = coaches.filtered(lambda c: c.integration_free_capacity > 0)
            # Coaches sharing her languages first, then the most free places.
            wizard.suggested_coach_ids = free.sorted(
                lambda c, languages=languages: (
                    -len(c.integration_language_ids & languages),
                    -c.integration_free_capacity,
                    c.name,
                )
            )

    def action_assign(self):
        self.ensure_one()
        participant = self.participant_id.with_context(
            integration_capacity_override=self.override_capacity
        )
        participant.coach_id = self.coach_id
        return {"type": "ir.actions.act_window_close"}
