from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_coaching_provider = fields.Boolean(
        string="Is a Coaching Provider",
        help="A partner organisation whose coaches accompany programme participants.",
    )
    coach_user_ids = fields.One2many(
        "res.users", "integration_provider_id", string="Coaches"
    )
