from odoo import fields, models


class IntegrationParticipantRecord(models.AbstractModel):
    """A record of one participant's case (a session, a plan, a referral to a
    service, ...): deleted with her, and counted and filtered by her programme
    (stored, so that lists and reports group by it without a join)."""

    _name = "integration.participant.record"
    _description = "Integration: Participant's Record"

    participant_id = fields.Many2one(
        "integration.participant", required=True, index=True, ondelete="cascade"
    )
    program_id = fields.Many2one(
        related="participant_id.program_id", store=True, index=True
    )
