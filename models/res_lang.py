from odoo import api, models


class ResLang(models.Model):
    _inherit = "res.lang"

    def write(self, vals):
        """A language switched on (from the Languages list, by ``_activate_lang``
        in data files, or by the language wizard) comes with the official
        translations of every installed module. Odoo loads them only from the
        language wizard; activating German any other way left Odoo's own screens
        and those of the modules already installed (OCA auditlog, …) in English."""
        activated = self.browse()
        if vals.get("active") and not self.env.context.get("lang_install_loads_terms"):
            activated = self.filtered(lambda lang: not lang.active)
        result = super().write(vals)
        if activated:
            self._load_official_translations(activated.mapped("code"))
        return result

    @api.model
    def _load_official_translations(self, codes=None):
        """Load the ``.po`` files of all installed modules (and of those being
        installed) for the given active languages, English excepted. Existing
        translations are kept: this only fills what is missing."""
        if codes is None:
            codes = [code for code, _name in self.get_installed()]
        codes = [code for code in codes if code != "en_US"]
        if not codes:
            return
        modules = (
            self.env["ir.module.module"]
            .sudo()
            .search([("state", "in", ("installed", "to install", "to upgrade"))])
        )
        modules._update_translations(filter_lang=codes)
