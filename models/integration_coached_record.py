from odoo import api, fields, models


class IntegrationCoachedRecord(models.AbstractModel):
    """A participant's record made by a coach (a session, an appointment). It
    belongs to the coach's provider: set with the record (or its coach), it
    stays with that provider when she changes provider, as her notes do."""

    _name = "integration.coached.record"
    _description = "Integration: Participant's Record by a Coach"
    _inherit = ["integration.participant.record"]
    _organisation_access_fields = ("participant_id", "coach_id", "provider_id")

    coach_id = fields.Many2one(
        "res.users", required=True, index=True, default=lambda self: self.env.user
    )
    provider_id = fields.Many2one(
        "res.partner",
        string="Coaching Provider",
        compute="_compute_provider_id",
        store=True,
        index=True,
    )

    @api.depends("coach_id")
    def _compute_provider_id(self):
        for record in self:
            record.provider_id = (
                record.coach_id.integration_provider_id
                or record.participant_id.sudo().provider_id
            )
