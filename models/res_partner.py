from odoo import api, fields, models

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
    is_integration_service = fields.Boolean(
        string="Is an Outside Service",
        help="An organisation participants are referred to: childcare, counselling, "
        "a language school, an office.",
    )
    integration_service_type_id = fields.Many2one(
        "integration.service.type",
        string="Type of Service",
        ondelete="restrict",
    )

    @api.model
    def _integration_coaching_provider_action(self):
        """The coaching providers' list (menu Configuration), as the action of a
        server action: no window action of the addon claims the model."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Coaching Providers"),
            "res_model": "res.partner",
            "views": [
                (
                    self.env.ref(
                        "integration_program.res_partner_view_list_coaching_provider"
                    ).id,
                    "list",
                ),
                (False, "form"),
            ],
            "domain": [("is_coaching_provider", "=", True)],
            "context": {
                "default_is_coaching_provider": True,
                "default_is_company": True,
            },
        }

    @api.model
    def _integration_service_action(self):
        """The catalogue of outside services (menu Configuration), as the action
        of a server action, like the coaching providers."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Outside Services"),
            "res_model": "res.partner",
            "views": [
                (
                    self.env.ref(
                        "integration_program.res_partner_view_list_integration_service"
                    ).id,
                    "list",
                ),
                (False, "form"),
            ],
            "domain": [("is_integration_service", "=", True)],
            "context": {
                "default_is_integration_service": True,
                "default_is_company": True,
            },
        }
