from odoo import api, models, tools


class IrUiMenu(models.Model):
    _inherit = "ir.ui.menu"

    @api.model
    @tools.ormcache("frozenset(self.env.user._get_group_ids())", "debug")
    def _visible_menu_ids(self, debug=False):
        """Logins of partner organisations see the Integration app and nothing
        else (no Discuss, no Contacts, no other app their base rights open)."""
        visible = super()._visible_menu_ids(debug)
        user = self.env.user
        if user.has_group("integration_program.group_user") or not user.has_group(
            "integration_program.group_partner_login"
        ):
            return visible
        root = self.env.ref(
            "integration_program.menu_integration_root", raise_if_not_found=False
        )
        if not root:
            return visible
        app_menus = self.sudo().search([("id", "child_of", root.id)])
        return frozenset(visible) & frozenset(app_menus.ids)
