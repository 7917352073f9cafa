from odoo import models


class BaseLanguageInstall(models.TransientModel):
    _inherit = "base.language.install"

    def lang_install(self):
        # The wizard loads the translations itself (with its "overwrite" option):
        # the activation need not load them a first time.
        return super(
            BaseLanguageInstall, self.with_context(lang_install_loads_terms=True)
        ).lang_install()
