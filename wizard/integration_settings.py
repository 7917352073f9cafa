from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.integration_input import (
    ATTACHMENT_MAX_MB_DEFAULT,
    ATTACHMENT_MAX_MB_PARAM,
)
from ..models.integration_participant_privacy import (
    RETENTION_MONTHS_DEFAULT,
    RETENTION_MONTHS_PARAM,
)
from ..models.integration_program import STALE_DAYS_DEFAULT, STALE_DAYS_PARAM

# field name: (system parameter, default, lowest, highest)
SETTINGS = {
    "stale_contact_days": (STALE_DAYS_PARAM, STALE_DAYS_DEFAULT, 1, 365),
    "retention_months": (RETENTION_MONTHS_PARAM, RETENTION_MONTHS_DEFAULT, 1, 240),
    "attachment_max_mb": (ATTACHMENT_MAX_MB_PARAM, ATTACHMENT_MAX_MB_DEFAULT, 1, 1024),
}


class IntegrationSettings(models.TransientModel):
    """The programme's settings for its managers, who are no Odoo administrators
    (Odoo's Settings app is for administrators only)."""

    _name = "integration.settings"
    _description = "Programme Settings"

    stale_contact_days = fields.Integer(
        string="Days Without Contact",
        help="After this many days without a coaching session, the coach gets a "
        "follow-up activity and the caseload view counts the participant as "
        "without recent contact.",
    )
    retention_months = fields.Integer(
        string="Retention Period (Months)",
        help="This many months after her exit, a participant's personal data is "
        "anonymised; only the statistics for the funder's reports stay.",
    )
    attachment_max_mb = fields.Integer(
        string="Largest Attachment (MB)",
        help="Files attached to a participant's records (signed consent forms, "
        "documents in the chatter) may not be larger.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        # sudo: system parameters are read by administrators only; these three
        # are the programme's own settings.
        params = self.env["ir.config_parameter"].sudo()
        for name, (key, default, _low, _high) in SETTINGS.items():
            if name in fields_list:
                try:
                    values[name] = int(params.get_param(key, default))
                except ValueError:
                    values[name] = default
        return values

    @api.constrains(*SETTINGS)
    def _check_ranges(self):
        for settings in self:
            for name, (_key, _default, low, high) in SETTINGS.items():
                if not low <= settings[name] <= high:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s lies between %(low)s and %(high)s.",
                            setting=self._fields[name].get_description(self.env)[
                                "string"
                            ],
                            low=low,
                            high=high,
                        )
                    )

    def action_save(self):
        self.ensure_one()
        # sudo: only programme managers reach this model (access rights), and it
        # writes these three parameters only.
        params = self.env["ir.config_parameter"].sudo()
        for name, (key, _default, _low, _high) in SETTINGS.items():
            params.set_param(key, str(self[name]))
        return {"type": "ir.actions.act_window_close"}
