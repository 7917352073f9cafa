from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_coaching_provider = fields.Boolean(
        string="Is a Coaching Provider",
        help="A partner organisation whose coaches accompany programme participants.",
    )
    integration_participant_ids = fields.One2many(
        "integration.participant",
        "partner_id",
        string="Participant Records",
        help="The participant records this contact belongs to (used by the "
        "record rules of partner organisations' logins).",
    )
    coach_user_ids = fields.One2many(
        "res.users", "integration_provider_id", string="Coaches"
    )
