"""The Jobcenter's status report on its portal, under the rules of portal.py:
the Jobcenter is the login's own organisation, the report lists only the women
who share their data with it, and the browser sends nothing but the request."""

import base64

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request

from .portal import JOBCENTER_GROUP, IntegrationPortal

IMPORT_MAX_BYTES = 5 * 1024 * 1024


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
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                (
                    "Content-Disposition",
                    http.content_disposition(report._filename(organisation, today)),
                ),
            ],
        )

    # ------------------------------------------------------------------
    # Jobcenter: a file of referrals
    # ------------------------------------------------------------------
    @staticmethod
    def _import_domain(organisation):
        """The imports its own organisation's case workers uploaded."""
        return Domain("jobcenter_id", "=", organisation.id) & Domain(
            "user_id", "!=", False
        )

    def _import_of(self, organisation, import_id):
        return self._record_within(
            "integration.referral.import",
            self._import_domain(organisation)
            & Domain("state", "in", ("preview", "done")),
            import_id,
        )

    @http.route(
        ["/my/referrals/import"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_referral_import(self, **post):
        organisation = self._organisation(JOBCENTER_GROUP)
        programs = self._programs()
        errors = []
        if request.httprequest.method == "POST":
            program = self._program_from_post(post, programs, errors)
            upload = post.get("file")
            if not upload or not getattr(upload, "filename", None):
                errors.append(request.env._("Choose the file to upload."))
            content = self._read_upload(
                upload,
                IMPORT_MAX_BYTES,
                request.env._("The file may be at most 5 MB large."),
                errors,
            )
            if not errors:
                # Written as superuser with the values checked above: her
                # organisation, her login, a programme from the list, the file.
                try:
                    record = (
                        request.env["integration.referral.import"]
                        .sudo()
                        .create(
                            {
                                "jobcenter_id": organisation.id,
                                "user_id": request.env.user.id,
                                "program_id": program.id,
                                "file": base64.b64encode(content),
                                "filename": upload.filename[:200],
                            }
                        )
                    )
                    record.action_preview()
                except (UserError, ValidationError) as error:
                    request.env.cr.rollback()
                    errors.append(error.args[0])
                else:
                    return request.redirect(f"/my/referrals/import/{record.id}")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "integration_referral_import",
                "programs": programs,
                "post": post,
                "errors": errors,
            }
        )
        return request.render("integration_program.portal_referral_import", values)

    @http.route(
        ["/my/referrals/import/<int:import_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_referral_import_preview(self, import_id, **kw):
        organisation = self._organisation(JOBCENTER_GROUP)
        record = self._import_of(organisation, import_id)
        statuses = dict(
            request.env["integration.referral.import.line"]
            ._fields["status"]
            ._description_selection(request.env)
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "integration_referral_import_preview",
                "record": record,
                # Only what the file said and the check: never whom a row
                # matched (a Jobcenter must not learn who else is registered).
                # Nor whether a row matched anybody: new, registered and possibly
                # registered rows all read "to be sent" (staff sort them out).
                "lines": [
                    {
                        "row": line.sequence,
                        "name": line.name,
                        "birthdate": line.birthdate,
                        "status": "invalid" if line.status == "invalid" else "valid",
                        "status_label": statuses.get("invalid")
                        if line.status == "invalid"
                        else request.env._("To be sent"),
                        "note": line.note if line.status == "invalid" else "",
                    }
                    for line in record.line_ids.sorted("sequence")
                ],
            }
        )
        return request.render(
            "integration_program.portal_referral_import_preview", values
        )

    @http.route(
        ["/my/referrals/import/<int:import_id>/confirm"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_referral_import_confirm(self, import_id, **kw):
        organisation = self._organisation(JOBCENTER_GROUP)
        record = self._import_of(organisation, import_id)
        if record.state != "preview":
            return request.redirect(f"/my/referrals/import/{record.id}")
        # The decisions are the preview's own (new: register, match: link);
        # their consents wait for programme staff to check the forms.
        record.action_import()
        record._notify_programme_staff()
        return request.redirect(f"/my/referrals/import/{record.id}")
