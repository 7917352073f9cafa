"""Her own portal: the pages of a participant's portal login under
/my/integration.

Her login is a portal user without any access right on the addon's models.
Every route first finds her own participant record with
``integration.participant._portal_participant_for_user`` (no record: the page
does not exist), and only then reads as superuser, strictly within that record:

1. every id the browser sends is looked up inside a domain on her record
   (``_hers``): another woman's id, existing or not, is a 404;
2. the templates render only what is hers to see (dates, places, her plan, her
   checklist): never coaching notes, assessments, staff-only fields or other
   women;
3. writes take only the values named in each route, parsed and checked here.
"""

import base64
import binascii

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.reader_lang import programme_lang, reader_env

# A scan or a photo from a phone.
DOCUMENT_MIMETYPES = ("application/pdf", "image/jpeg", "image/png")
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
COMMENT_MAX_LENGTH = 2000
RATING_FIELDS = ("rating_overall", "rating_coaching", "rating_courses")


class ParticipantPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # Whose pages
    # ------------------------------------------------------------------
    @staticmethod
    def _participant():
        """Her own participant record (as superuser), or a 404 for any other
        login."""
        participant = request.env[
            "integration.participant"
        ]._portal_participant_for_user(request.env.user)
        if not participant:
            raise NotFound()
        return participant

    @staticmethod
    def _hers(participant, model, record_id, domain=None):
        """The record ``record_id`` of ``model`` (as superuser), only if it is
        hers (and inside ``domain``); any other id is a 404."""
        record = (
            request.env[model]
            .sudo()
            .search(
                Domain("participant_id", "=", participant.id)
                & Domain(domain or [])
                & Domain("id", "=", record_id),
                limit=1,
            )
        )
        if not record:
            raise NotFound()
        return record

    @staticmethod
    def _current_plan(participant):
        """The version she works with: the draft while one is open (to sign),
        else the agreed one."""
        plans = (
            request.env["integration.plan"]
            .sudo()
            .search(
                [
                    ("participant_id", "=", participant.id),
                    ("state", "in", ("draft", "agreed")),
                ]
            )
        )
        return plans.filtered(lambda p: p.state == "draft")[:1] or plans[:1]

    def _values(self, participant, **values):
        result = self._prepare_portal_layout_values()
        result.update(
            participant=participant,
            today=fields.Date.context_today(request.env.user),
            **values,
        )
        return result

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "integration_participant_count" in counters:
            values["integration_participant_count"] = len(
                request.env["integration.participant"]._portal_participant_for_user(
                    request.env.user
                )
            )
        return values

    # ------------------------------------------------------------------
    # Her home
    # ------------------------------------------------------------------
    @http.route(
        ["/my/integration"], type="http", auth="user", website=True, readonly=True
    )
    def portal_participant_home(self, **kw):
        participant = self._participant()
        today = fields.Date.context_today(request.env.user)
        enrollments = (
            request.env["integration.enrollment"]
            .sudo()
            .search(
                [
                    ("participant_id", "=", participant.id),
                    ("state", "!=", "dropped"),
                ]
            )
        )
        course_dates = (
            request.env["integration.course.date"]
            .sudo()
            .search(
                [
                    ("course_id", "in", enrollments.course_id.ids),
                    ("date", ">=", today),
                ],
                order="date, id",
                limit=5,
            )
        )
        # Her planned appointments (integration.appointment), not the sessions
        # a coach logged afterwards.
        appointments = (
            request.env["integration.appointment"]
            .sudo()
            .search(
                [
                    ("participant_id", "=", participant.id),
                    ("state", "=", "planned"),
                    ("start", ">=", fields.Datetime.now()),
                ],
                order="start, id",
                limit=5,
            )
        )
        plan = self._current_plan(participant)
        # Required by her stage and not received, listed on her checklist yet
        # or not (the list page adds the lines).
        received = participant.document_ids.filtered(lambda d: d.state == "received")
        missing_types = (
            participant._required_document_types() - received.document_type_id
        )
        values = self._values(
            participant,
            page_name="integration_participant_home",
            enrollments=enrollments,
            course_dates=course_dates,
            appointments=appointments,
            plan=plan,
            my_steps=plan.step_ids.filtered(
                lambda s: (
                    s.owner == "participant" and s.status in ("todo", "in_progress")
                )
            ),
            missing_document_types=missing_types,
            consents=request.env["integration.consent"]
            .sudo()
            .search(
                [
                    ("participant_id", "=", participant.id),
                    ("state", "=", "pending"),
                    ("signature", "=", False),
                ]
            ),
            surveys=request.env["integration.satisfaction.survey"]
            .sudo()
            .search([("participant_id", "=", participant.id), ("state", "=", "sent")]),
        )
        return request.render("integration_program.portal_participant_home", values)

    # ------------------------------------------------------------------
    # Her plan, and her signature on it
    # ------------------------------------------------------------------
    @http.route(
        ["/my/integration/plan/<int:plan_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_participant_plan(self, plan_id, message=None, **kw):
        participant = self._participant()
        plan = self._hers(
            participant,
            "integration.plan",
            plan_id,
            [("state", "in", ("draft", "agreed", "superseded"))],
        )
        values = self._values(
            participant,
            page_name="integration_participant_plan",
            plan=plan,
            message=message,
        )
        return request.render("integration_program.portal_participant_plan", values)

    @http.route(
        ["/my/integration/plan/<int:plan_id>/sign"], type="jsonrpc", auth="user"
    )
    def portal_participant_plan_sign(self, plan_id, name=None, signature=None):
        plan = self._hers(self._participant(), "integration.plan", plan_id)
        return self._sign(plan, name, signature, f"/my/integration/plan/{plan.id}")

    def _sign(self, record, name, signature, page_url):
        """Her signature on ``record`` (one of hers: a plan or a consent), as
        the portal's signature widget expects the answer."""
        try:
            record._sign(name, signature)
        except (UserError, ValidationError) as error:
            return {"error": error.args[0]}
        except (TypeError, ValueError, binascii.Error):
            return {"error": request.env._("The signature could not be read.")}
        return {"force_refresh": True, "redirect_url": f"{page_url}?message=signed"}

    # ------------------------------------------------------------------
    # Her consents, signed on the portal
    # ------------------------------------------------------------------
    @http.route(
        ["/my/integration/consent/<int:consent_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_participant_consent(self, consent_id, message=None, **kw):
        participant = self._participant()
        consent = self._hers(participant, "integration.consent", consent_id)
        values = self._values(
            participant,
            page_name="integration_participant_consent",
            consent=consent,
            message=message,
        )
        return request.render("integration_program.portal_participant_consent", values)

    @http.route(
        ["/my/integration/consent/<int:consent_id>/sign"],
        type="jsonrpc",
        auth="user",
    )
    def portal_participant_consent_sign(self, consent_id, name=None, signature=None):
        consent = self._hers(self._participant(), "integration.consent", consent_id)
        return self._sign(
            consent, name, signature, f"/my/integration/consent/{consent.id}"
        )

    # ------------------------------------------------------------------
    # Her document checklist, and her uploads
    # ------------------------------------------------------------------
    @http.route(["/my/integration/documents"], type="http", auth="user", website=True)
    def portal_participant_documents(self, message=None, **kw):
        participant = self._participant()
        # A line per document required by now, to upload into.
        participant._ensure_document_checklist()
        values = self._values(
            participant,
            page_name="integration_participant_documents",
            documents=participant.document_ids,
            message=message,
        )
        return request.render(
            "integration_program.portal_participant_documents", values
        )

    @http.route(
        ["/my/integration/documents/<int:document_id>/upload"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_participant_document_upload(self, document_id, upload=None, **kw):
        participant = self._participant()
        document = self._hers(
            participant,
            "integration.participant.document",
            document_id,
            [("state", "=", "missing")],
        )
        if not upload or not getattr(upload, "filename", None):
            return request.redirect("/my/integration/documents?message=no_file")
        content = upload.read(DOCUMENT_MAX_BYTES + 1)
        if len(content) > DOCUMENT_MAX_BYTES:
            return request.redirect("/my/integration/documents?message=too_large")
        if upload.mimetype not in DOCUMENT_MIMETYPES:
            return request.redirect("/my/integration/documents?message=file_type")
        try:
            document.write(
                {
                    "file": base64.b64encode(content),
                    "file_name": (upload.filename or "")[:255],
                }
            )
        except (UserError, ValidationError):
            return request.redirect("/my/integration/documents?message=file_type")
        # A note for the programme's staff: in their language.
        staff_env = reader_env(request.env, programme_lang(participant))
        document.message_post(
            body=staff_env._(
                "Uploaded by %(name)s on her portal: please check it.",
                name=participant.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return request.redirect("/my/integration/documents?message=uploaded")

    # ------------------------------------------------------------------
    # The satisfaction survey, sent to her by a link
    # ------------------------------------------------------------------
    def _survey(self, survey_id, access_token):
        """The survey of the link: its token is the key (she may answer it
        without her portal login); any other id or token is a 404."""
        survey = request.env["integration.satisfaction.survey"].sudo().browse(survey_id)
        if not survey.exists() or not survey._check_token(access_token):
            raise NotFound()
        return survey

    @http.route(
        ["/my/integration/survey/<int:survey_id>"],
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_participant_survey(self, survey_id, access_token=None, **post):
        survey = self._survey(survey_id, access_token)
        error = None
        if request.httprequest.method == "POST" and survey.state == "sent":
            answers = {}
            for name in RATING_FIELDS:
                if post.get(name) in {"1", "2", "3", "4", "5"}:
                    answers[name] = post[name]
            if set(answers) != set(RATING_FIELDS):
                error = request.env._("Please answer every question.")
            else:
                answers["would_recommend"] = post.get("would_recommend") == "yes"
                answers["comment"] = (post.get("comment") or "").strip()[
                    :COMMENT_MAX_LENGTH
                ]
                survey._submit(answers)
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="integration_participant_survey",
            survey=survey,
            access_token=access_token,
            ratings=survey._fields["rating_overall"]._description_selection(
                request.env
            ),
            error=error,
        )
        return request.render("integration_program.portal_participant_survey", values)
