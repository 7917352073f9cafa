from odoo import models

from .reader_lang import programme_lang


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _creation_message(self):
        # "Participant created", "Enrolment created", …: in the language of the
        # programme's staff, also when the record comes from an import, the
        # demo data or a Jobcenter's portal.
        if self._name.startswith("integration."):
            lang = programme_lang(self)
            if lang and lang != self.env.lang:
                in_lang = self.with_context(lang=lang)
                return super(MailThread, in_lang)._creation_message()
        return super()._creation_message()
