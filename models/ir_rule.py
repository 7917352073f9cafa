from odoo import api, models


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _eval_context(self):
        """The group of partner organisations' logins, for the rules of
        security/integration_internal_surface_rules.xml."""
        context = super()._eval_context()
        context["integration_partner_login_group_id"] = self.env[
            "ir.model.data"
        ]._xmlid_to_res_id(
            "integration_program.group_partner_login", raise_if_not_found=False
        )
        return context
