from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .integration_input import ATTACHMENT_MAX_MB_DEFAULT, ATTACHMENT_MAX_MB_PARAM
from .integration_participant_privacy import (
    RETENTION_MONTHS_DEFAULT,
    RETENTION_MONTHS_PARAM,
)
from .integration_program import STALE_DAYS_DEFAULT, STALE_DAYS_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    integration_stale_contact_days = fields.Integer(
        string="Days Without Contact",
        default=STALE_DAYS_DEFAULT,
        config_parameter=STALE_DAYS_PARAM,
        help="After this many days without a coaching session, the coach gets a "
        "follow-up activity and the caseload view counts the participant as "
        "without recent contact.",
    )
    integration_retention_months = fields.Integer(
        string="Retention Period (Months)",
        default=RETENTION_MONTHS_DEFAULT,
        config_parameter=RETENTION_MONTHS_PARAM,
        help="This many months after her exit, a participant's personal data is "
        "anonymised; only the statistics for the funder's reports stay.",
    )
    integration_attachment_max_mb = fields.Integer(
        string="Largest Attachment (MB)",
        default=ATTACHMENT_MAX_MB_DEFAULT,
        config_parameter=ATTACHMENT_MAX_MB_PARAM,
        help="Files attached to a participant's records (signed consent forms, "
        "documents in the chatter) may not be larger.",
    )

    @api.constrains("integration_attachment_max_mb")
    def _check_integration_attachment_max_mb(self):
        for settings in self:
            if not 1 <= settings.integration_attachment_max_mb <= 1024:
                raise ValidationError(
                    self.env._("The largest attachment lies between 1 and 1024 MB.")
                )
