"""The Jobcenter's status report on its portal, under the rules of portal.py:
the Jobcenter is the login's own organisation, the report lists only the women
who share their data with it, and the browser sends nothing but the request."""

from odoo import fields, http
from odoo.http import request

from .portal import JOBCENTER_GROUP, IntegrationPortal


class IntegrationExchangePortal(IntegrationPortal):
    @http.route(
        ["/my/referrals/report.xlsx"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_referral_report(self, **kw):
        organisation = self._organisation(JOBCENTER_GROUP)
        report = request.env["integration.jobcenter.report"].sudo()
        today = fields.Date.context_today(request.env.user)
        content = report._build_xlsx(organisation, today)
        return request.make_response(
            content,
            headers=[
                (
                    "Content-Type",
                    "application/vnd.openxmlformats-officedocument"
                    ".spreadsheetml.sheet",
                ),
                (
                    "Content-Disposition",
                    http.content_disposition(report._filename(organisation, today)),
                ),
            ],
        )
