import base64

from odoo import fields, models
from odoo.exceptions import UserError


class IntegrationJobcenterReportWizard(models.TransientModel):
    _name = "integration.jobcenter.report.wizard"
    _description = "Build a Jobcenter's Status Report"

    jobcenter_id = fields.Many2one(
        "res.partner",
        required=True,
        domain="[('is_company', '=', True)]",
    )
    date = fields.Date(string="As Of", required=True, default=fields.Date.context_today)
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    def action_build(self):
        self.ensure_one()
        report = self.env["integration.jobcenter.report"]
        self.write(
            {
                "file": base64.b64encode(
                    report._build_xlsx(self.jobcenter_id, self.date)
                ),
                "filename": report._filename(self.jobcenter_id, self.date),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_send(self):
        self.ensure_one()
        mail = self.env["integration.jobcenter.report"]._send(
            self.jobcenter_id, self.date
        )
        if not mail:
            raise UserError(
                self.env._(
                    "%(jobcenter)s has no e-mail address. Enter it on the "
                    "organisation's contact first.",
                    jobcenter=self.jobcenter_id.name,
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._("The status report was sent."),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
