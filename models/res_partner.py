from odoo import fields, models

from .surface_access import checked_message_ids


class ResPartner(models.Model):
    _inherit = "res.partner"

    # A coach may not read other contacts' chatter: no searching it either.
    message_ids = checked_message_ids()

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
