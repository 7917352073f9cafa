"""Jobcenters and training partners work on their portal pages, and reach nothing
beyond their own organisation's cases."""

import base64
import contextlib

from odoo import fields, http
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import OrganisationsCase

PDF = b"%PDF-1.4 signed consent form"


class PortalCase(HttpCase, OrganisationsCase):
    """The organisations of OrganisationsCase, with a referral by Jobcenter 1 for
    ``own`` (consenting) and ``unconsented``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        referrals = cls.env["integration.referral"]
        cls.referral_own = referrals.create(
            {
                "participant_id": cls.own.id,
                "jobcenter_id": cls.orgs["jobcenter1"].id,
                "user_id": cls.role_users["jobcenter1"].id,
                "reason": "Needs a way into care work",
            }
        )
        cls.referral_unconsented = referrals.create(
            {
                "participant_id": cls.unconsented.id,
                "jobcenter_id": cls.orgs["jobcenter1"].id,
            }
        )
        cls.referral_other = referrals.create(
            {"participant_id": cls.other.id, "jobcenter_id": cls.orgs["jobcenter2"].id}
        )

    def login(self, role):
        user = self.role_users[role]
        self.authenticate(user.login, user.login)
        return user

    def get(self, url):
        return self.url_open(url, allow_redirects=False)

    def post(self, url, data=None, files=None):
        return self.url_open(
            url,
            data={"csrf_token": http.Request.csrf_token(self), **(data or {})},
            files=files,
            allow_redirects=False,
        )

    def refer(self, role="jobcenter1", files=None, **values):
        self.login(role)
        data = {"program_id": str(self.program.id), "name": "Nour Referral", **values}
        return self.post("/my/referrals/new", data=data, files=files)


@tagged("post_install", "-at_install")
class TestJobcenterPortal(PortalCase):
    def test_referral_list_shows_only_consenting_referrals_of_her_jobcenter(self):
        self.login("jobcenter1")
        page = self.get("/my/referrals").text
        self.assertIn("Hawa Eins", page)
        self.assertIn(self.referral_own.access_url, page)
        # Referred without consent: the referral is listed, her name and
        # progress are not.
        self.assertNotIn("Hawa Ohne Einwilligung", page)
        self.assertNotIn(self.referral_unconsented.access_url + '"', page)
        self.assertNotIn("Hawa Zwei", page)
        status = self.get(self.referral_own.access_url)
        self.assertEqual(status.status_code, 200)
        # Opening her page is in her audit trail, like opening her form.
        self.assertTrue(
            self.env["auditlog.log"].search(
                [
                    ("model_model", "=", "integration.participant"),
                    ("res_id", "=", self.own.id),
                    ("method", "=", "read"),
                    ("user_id", "=", self.role_users["jobcenter1"].id),
                ]
            )
        )
        for shown in ("Hawa Eins", self.stage["coaching"].name, "Career Orientation"):
            self.assertIn(shown, status.text)
        for hidden in (
            "Confidential note 1",
            "Health note 1",
            "Session notes 1",
            "hawa1@example.com",
        ):
            self.assertNotIn(hidden, status.text)

    def test_other_organisations_records_are_not_found(self):
        self.login("jobcenter2")
        for url in (
            self.referral_own.access_url,
            self.referral_unconsented.access_url,
            f"/my/courses/{self.courses['school1'].id}",
            "/my/courses",
            "/my/placements",
        ):
            self.assertEqual(self.get(url).status_code, 404, url)
        self.assertNotIn("Hawa Eins", self.get("/my/referrals").text)
        # Without consent, even her own Jobcenter gets no status page.
        self.login("jobcenter1")
        response = self.get(self.referral_unconsented.access_url)
        self.assertEqual(response.status_code, 303)
        self.assertIn("unshared", response.headers["Location"])

    def test_refer_with_signed_form_then_staff_confirm(self):
        response = self.refer(
            birthdate="1991-04-12",
            jobcenter_customer_number="123 d 456789",
            email="nour@example.com",
            reason="Wants to train as a care assistant.",
            files={"consent_document": ("consent.pdf", PDF, "application/pdf")},
        )
        self.assertEqual(response.status_code, 303, response.text[:2000])
        participant = self.env["integration.participant"].search(
            [("name", "=", "Nour Referral")]
        )
        self.assertEqual(participant.referrer_id, self.orgs["jobcenter1"])
        self.assertEqual(participant.milestone, "intake")
        self.assertEqual(participant.jobcenter_customer_number, "123D456789")
        self.assertFalse(participant.user_id)
        referral = participant.referral_ids
        self.assertEqual(referral.jobcenter_id, self.orgs["jobcenter1"])
        self.assertEqual(referral.user_id, self.role_users["jobcenter1"])
        self.assertIn(
            self.role_users["jobcenter1"].partner_id, referral.message_partner_ids
        )
        # The consent arrives with the form and waits for programme staff.
        consent = participant.consent_ids
        self.assertEqual(consent.state, "pending")
        self.assertEqual(base64.b64decode(consent.document), PDF)
        self.assertFalse(participant.shared_with_partner_ids)
        self.assertIn("unshared", self.get(referral.access_url).headers["Location"])
        self.assertTrue(
            participant.activity_ids.filtered(
                lambda activity: "consent" in (activity.summary or "").lower()
            )
            or not self.program.manager_ids
        )
        consent.with_user(self.staff).action_confirm()
        self.assertEqual(consent.state, "given")
        self.assertEqual(participant.shared_with_partner_ids, self.orgs["jobcenter1"])
        self.assertEqual(self.get(referral.access_url).status_code, 200)

    def test_bad_referrals_are_refused_and_nothing_is_stored(self):
        count = self.env["integration.participant"].search_count([])
        for values, files, message in (
            ({"name": " \t "}, None, "Enter her name."),
            ({"name": "N" * 5000}, None, "at most 120 characters"),
            ({"birthdate": "not a date"}, None, "date of birth"),
            ({"birthdate": "2999-01-01"}, None, "in the future"),
            ({"reason": "x" * 20000}, None, "at most 4000 characters"),
            ({"german_level": "z9"}, None, "level of German"),
            ({"email": "nour"}, None, "not an e-mail address"),
            (
                {},
                {"consent_document": ("x.exe", b"MZ", "application/x-msdownload")},
                "PDF, JPEG or PNG",
            ),
        ):
            response = self.refer(files=files, **values)
            self.assertEqual(response.status_code, 200, values)
            self.assertIn(message, response.text, values)
        self.assertEqual(self.env["integration.participant"].search_count([]), count)

    def test_a_registered_woman_is_linked_and_the_jobcenter_learns_nothing(self):
        participants = self.env["integration.participant"]
        count = participants.search_count([])
        new = self.refer(role="jobcenter2", name="Nour Neu", birthdate="1991-02-02")
        registered = self.refer(
            role="jobcenter2", name="hawa eins", birthdate="1990-01-01"
        )
        # The same answer for a woman already registered as for a new one.
        self.assertEqual(registered.status_code, new.status_code)
        self.assertEqual(
            registered.headers["Location"].split("referred=")[0],
            new.headers["Location"].split("referred=")[0],
        )
        self.assertEqual(participants.search_count([]), count + 1)
        referral = self.own.referral_ids.filtered(
            lambda r: r.jobcenter_id == self.orgs["jobcenter2"]
        )
        self.assertTrue(referral, "her referral is linked to her record")
        self.assertEqual(self.own.name, "Hawa Eins")
        self.assertEqual(self.own.referrer_id, self.orgs["jobcenter1"])
        self.assertIn(
            "matched her record", "".join(self.own.message_ids.mapped("body"))
        )
        page = self.get("/my/referrals").text
        self.assertNotIn("Hawa", page)
        self.assertEqual(self.get(referral.access_url).status_code, 303)
        # By customer number as well.
        self.own.jobcenter_customer_number = "555K123"
        self.refer(
            role="jobcenter2", name="Other Name", jobcenter_customer_number="555k 123"
        )
        self.assertEqual(participants.search_count([]), count + 1)

    def test_only_consent_to_share_data_with_her_jobcenter_opens_her_record(self):
        self.env["integration.consent"].create(
            {
                "participant_id": self.unconsented.id,
                "purpose": "publication",
                "recipient_ids": [(6, 0, self.orgs["jobcenter1"].ids)],
            }
        )
        self.assertFalse(self.unconsented.shared_with_partner_ids)
        self.login("jobcenter1")
        self.assertEqual(
            self.get(self.referral_unconsented.access_url).status_code, 303
        )

    def test_withdrawal_closes_her_page_and_ends_the_news(self):
        jobcenter = self.role_users["jobcenter1"]
        for record in (
            self.referral_own,
            self.own.enrollment_ids,
            self.own.placement_ids,
        ):
            record.message_subscribe(partner_ids=jobcenter.partner_id.ids)
        self.own.consent_ids.with_user(self.staff).action_withdraw()
        self.assertFalse(self.own.shared_with_partner_ids)
        for record in (
            self.referral_own,
            self.own.enrollment_ids,
            self.own.placement_ids,
        ):
            self.assertNotIn(jobcenter.partner_id, record.message_partner_ids)
        self.login("jobcenter1")
        self.assertEqual(self.get(self.referral_own.access_url).status_code, 303)

    def test_staff_answer_reaches_the_jobcenter_with_a_link_to_her_page(self):
        jobcenter = self.role_users["jobcenter1"]
        self.referral_own.message_subscribe(partner_ids=jobcenter.partner_id.ids)
        message = self.referral_own.with_user(self.staff).message_post(
            body="Her course starts on Monday",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        mail = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        )
        self.assertIn(jobcenter.partner_id, mail.recipient_ids)
        body = "".join(mail.mapped("body_html"))
        self.assertIn(f'{self.referral_own.access_url}"', body)
        # The link leads a portal user to her referral page.
        self.assertEqual(
            self.referral_own._get_access_action(access_uid=jobcenter.id)["url"],
            self.referral_own.access_url,
        )
        # Internal notes stay with the programme staff.
        note = self.referral_own.with_user(self.staff).message_post(
            body="Internal: check her residence permit",
            subtype_xmlid="mail.mt_note",
        )
        self.assertFalse(
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", note.id)])
        )

    def test_jobcenter_writes_to_staff_on_the_referral_chatter(self):
        user = self.login("jobcenter1")
        partner = user.partner_id
        result = self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "integration.referral",
                "thread_id": self.referral_own.id,
                "post_data": {
                    "body": "She starts on Monday",
                    "message_type": "comment",
                },
                "hash": self.referral_own._sign_token(partner.id),
                "pid": partner.id,
            },
        )
        self.assertTrue(result)
        self.assertIn(
            "She starts on Monday",
            "".join(self.referral_own.message_ids.mapped("body")),
        )
        # Nothing of another Jobcenter's referral, whatever the ids sent.
        with contextlib.suppress(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "integration.referral",
                    "thread_id": self.referral_other.id,
                    "post_data": {"body": "Intrusion", "message_type": "comment"},
                    "hash": self.referral_own._sign_token(partner.id),
                    "pid": partner.id,
                },
            )
        self.assertNotIn(
            "Intrusion", "".join(self.referral_other.message_ids.mapped("body"))
        )
        # A signature kept from before her withdrawal opens nothing any more.
        self.own.consent_ids.with_user(self.staff).action_withdraw()
        with contextlib.suppress(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "integration.referral",
                    "thread_id": self.referral_own.id,
                    "post_data": {
                        "body": "After withdrawal",
                        "message_type": "comment",
                    },
                    "hash": self.referral_own._sign_token(partner.id),
                    "pid": partner.id,
                },
            )
        self.assertNotIn(
            "After withdrawal", "".join(self.referral_own.message_ids.mapped("body"))
        )
        messages = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {
                "thread_model": "integration.referral",
                "thread_id": self.referral_own.id,
                "hash": self.referral_own._sign_token(partner.id),
                "pid": partner.id,
            },
        )
        # Nothing of the referral's thread (an unreachable thread makes Odoo list
        # the messages the login may read anyway, e.g. public channels).
        returned = self.env["mail.message"].browse((messages or {}).get("messages"))
        self.assertFalse(returned.filtered(lambda m: m.model == "integration.referral"))


@tagged("post_install", "-at_install")
class TestTrainingPartnerPortal(PortalCase):
    def test_courses_and_enrolment_lists_of_her_organisation_only(self):
        self.login("school1")
        page = self.get("/my/courses").text
        self.assertIn(f"/my/courses/{self.courses['school1'].id}", page)
        self.assertNotIn(f"/my/courses/{self.courses['school2'].id}", page)
        course_page = self.get(f"/my/courses/{self.courses['school1'].id}").text
        self.assertIn("Hawa Eins", course_page)
        for hidden in ("hawa1@example.com", "Health note 1", "1990-01-01"):
            self.assertNotIn(hidden, course_page)
        for url in (
            f"/my/courses/{self.courses['school2'].id}",
            "/my/referrals",
            self.referral_own.access_url,
        ):
            self.assertEqual(self.get(url).status_code, 404, url)

    def _register(self, course_key="school1", day="2026-03-02"):
        self.login("school1")
        response = self.post(
            f"/my/courses/{self.courses[course_key].id}/dates", {"date": day}
        )
        return response

    def test_attendance_register_of_a_course_day(self):
        response = self._register()
        self.assertEqual(response.status_code, 303)
        course_date = self.courses["school1"].date_ids
        self.assertEqual(course_date.date, fields.Date.to_date("2026-03-02"))
        enrollment = self.own.enrollment_ids
        url = f"/my/courses/{self.courses['school1'].id}/dates/{course_date.id}"
        self.assertEqual(
            self.post(url, {f"attendance_{enrollment.id}": "absent"}).status_code, 200
        )
        self.assertEqual(course_date.attendance_ids.state, "absent")
        self.assertEqual(enrollment.absent_count, 1)
        self.assertEqual(enrollment.attendance_rate, 0)
        self.post(url, {f"attendance_{enrollment.id}": "present"})
        self.assertEqual(course_date.attendance_ids.state, "present")
        self.assertEqual(enrollment.attendance_rate, 100)
        # Another course's enrolment in the register: refused, nothing written.
        intruder = self.other.enrollment_ids
        response = self.post(url, {f"attendance_{intruder.id}": "absent"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(intruder.attendance_ids)
        self.assertEqual(
            self.post(url, {f"attendance_{enrollment.id}": "asleep"}).status_code, 403
        )
        self.assertEqual(course_date.attendance_ids.state, "present")
        # A register of another school's course does not exist for her.
        other_date = self.env["integration.course.date"].create(
            {"course_id": self.courses["school2"].id, "date": "2026-03-02"}
        )
        foreign = f"/my/courses/{self.courses['school2'].id}/dates/{other_date.id}"
        self.assertEqual(self.get(foreign).status_code, 404)
        mixed = f"/my/courses/{self.courses['school1'].id}/dates/{other_date.id}"
        self.assertEqual(self.get(mixed).status_code, 404)

    def test_a_day_outside_the_course_is_refused(self):
        response = self._register(day="2025-01-01")
        self.assertEqual(response.status_code, 303)
        self.assertIn("error=range", response.headers["Location"])
        self.assertFalse(self.courses["school1"].date_ids)

    def test_completion_and_certificate(self):
        self.login("school1")
        enrollment = self.own.enrollment_ids
        url = (
            f"/my/courses/{self.courses['school1'].id}/enrollments/"
            f"{enrollment.id}/complete"
        )
        self.assertEqual(self.post(url, {"certificate": "1"}).status_code, 303)
        self.assertEqual(enrollment.state, "completed")
        self.assertTrue(enrollment.certificate_obtained)
        other = self.other.enrollment_ids
        foreign = (
            f"/my/courses/{self.courses['school1'].id}/enrollments/{other.id}/complete"
        )
        self.assertEqual(self.post(foreign).status_code, 404)
        self.assertEqual(other.state, "enrolled")

    def test_start_a_training_placement_at_her_organisation(self):
        self.login("school1")
        response = self.post(
            "/my/placements/new",
            {
                "participant_id": str(self.own.id),
                "placement_type": "training",
                "date_start": "2026-08-01",
            },
        )
        self.assertEqual(response.status_code, 303, response.text[:1000])
        placement = self.own.placement_ids.filtered(
            lambda p: p.placement_type == "training"
        )
        self.assertEqual(placement.partner_id, self.orgs["school1"])
        self.assertEqual(placement.state, "active")
        self.assertEqual(self.own.milestone, "training")
        # Not a woman of her courses: refused, nothing stored.
        before = self.env["integration.placement"].search_count([])
        response = self.post(
            "/my/placements/new",
            {
                "participant_id": str(self.other.id),
                "placement_type": "training",
                "date_start": "2026-08-01",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("women in your courses", response.text)
        self.assertEqual(self.env["integration.placement"].search_count([]), before)
        self.assertIn("Hawa Eins", self.get("/my/placements").text)
        self.assertNotIn("Hawa Zwei", self.get("/my/placements").text)


@tagged("post_install", "-at_install")
class TestJobcenterReferralTour(PortalCase):
    def test_jobcenter_refers_with_signed_form_and_later_sees_her_status(self):
        self.start_tour(
            "/my/referrals/new",
            "integration_portal_referral_tour",
            login=self.role_users["jobcenter1"].login,
        )
        participant = self.env["integration.participant"].search(
            [("name", "=", "Nour Portal")]
        )
        self.assertEqual(participant.referrer_id, self.orgs["jobcenter1"])
        self.assertEqual(participant.consent_ids.state, "pending")
        self.assertEqual(participant.consent_ids.document_name, "consent-nour.pdf")
        # The programme confirms her consent and enrols her; she attends.
        participant.consent_ids.with_user(self.staff).action_confirm()
        enrollment = self.env["integration.enrollment"].create(
            {"participant_id": participant.id, "course_id": self.courses["school1"].id}
        )
        course_date = self.env["integration.course.date"].create(
            {"course_id": self.courses["school1"].id, "date": "2026-03-02"}
        )
        course_date._record_attendance({enrollment.id: "present"})
        self.start_tour(
            "/my/referrals",
            "integration_portal_referral_status_tour",
            login=self.role_users["jobcenter1"].login,
        )


@tagged("post_install", "-at_install")
class TestTrainingPartnerRegisterTour(PortalCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_school_takes_attendance_on_a_phone(self):
        self.start_tour(
            "/my/courses",
            "integration_portal_register_tour",
            login=self.role_users["school1"].login,
        )
        attendance = self.own.enrollment_ids.attendance_ids
        self.assertEqual(attendance.state, "absent")
        self.assertEqual(attendance.date, fields.Date.context_today(self.own))


@tagged("post_install", "-at_install")
class TestBackEndClosedToPortalLogins(PortalCase):
    """What an attacker who reads the code would try as a Jobcenter or a school:
    the back end's generic routes, on their own organisation's cases."""

    def call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def assert_refused(self, call, *args, **kwargs):
        with self.assertRaises(JsonRpcException) as refusal:
            call(*args, **kwargs)
        self.assertIn("AccessError", str(refusal.exception))

    def test_orm_calls_are_refused(self):
        consent_form = self.env["integration.consent"].create(
            {
                "participant_id": self.own.id,
                "purpose": "coaching",
                "document": base64.b64encode(PDF),
                "document_name": "coaching.pdf",
            }
        )
        for role in ("jobcenter1", "school1"):
            self.login(role)
            own = self.own.id
            enrollment = self.own.enrollment_ids.id
            for model, method, args, kwargs in (
                ("integration.participant", "search_read", [[]], {"fields": ["name"]}),
                ("integration.participant", "read", [[own], ["email"]], {}),
                (
                    "integration.participant",
                    "formatted_read_group",
                    [[]],
                    {"groupby": ["email"], "aggregates": ["email:array_agg"]},
                ),
                (
                    "integration.enrollment",
                    "read",
                    [[enrollment], ["participant_id"]],
                    {},
                ),
                ("integration.enrollment", "search_count", [[]], {}),
                (
                    "integration.consent",
                    "create",
                    [
                        {
                            "participant_id": own,
                            "recipient_ids": [
                                (6, 0, self.role_users[role].partner_id.parent_id.ids)
                            ],
                        }
                    ],
                    {},
                ),
                ("integration.referral", "search_read", [[]], {"fields": ["reason"]}),
                ("integration.attendance", "search_count", [[]], {}),
            ):
                self.assert_refused(self.call_kw, model, method, args, kwargs)
            # Her signed form is no download either.
            attachment = self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "integration.consent"),
                    ("res_id", "=", consent_form.id),
                    ("res_field", "=", "document"),
                ]
            )
            self.assertTrue(attachment)
            response = self.url_open(f"/web/content/{attachment.id}")
            self.assertNotEqual(response.status_code, 200, role)
            self.assertNotIn(PDF, response.content)

    def test_chatter_routes_of_her_records_give_nothing(self):
        self.own.message_post(
            body="Internal remark on Hawa", subtype_xmlid="mail.mt_note"
        )
        self.own.enrollment_ids.message_post(
            body="Note on her enrolment", subtype_xmlid="mail.mt_note"
        )
        for role in ("jobcenter1", "school1"):
            self.login(role)
            for record in (self.own, self.own.enrollment_ids, self.own.placement_ids):
                with contextlib.suppress(JsonRpcException):
                    result = self.make_jsonrpc_request(
                        "/mail/thread/messages",
                        {"thread_model": record._name, "thread_id": record.id},
                    )
                    returned = self.env["mail.message"].browse(result["messages"])
                    self.assertFalse(
                        returned.filtered(lambda m, r=record: m.model == r._name),
                        f"{role} reads messages of {record._name}",
                    )
                    self.assertNotIn("hawa1@example.com", str(result))
                with contextlib.suppress(JsonRpcException):
                    store = self.make_jsonrpc_request(
                        "/mail/data",
                        {
                            "fetch_params": [
                                [
                                    "mail.thread",
                                    {
                                        "thread_model": record._name,
                                        "thread_id": record.id,
                                        "request_list": [
                                            "followers",
                                            "activities",
                                            "attachments",
                                        ],
                                    },
                                ]
                            ]
                        },
                    )
                    for hidden in ("hawa1@example.com", "Hawa Eins", "User coach1"):
                        self.assertNotIn(hidden, str(store), f"{role}: {record._name}")

    def test_referral_values_beyond_the_form_are_ignored(self):
        other_enrollment = self.other.enrollment_ids
        response = self.refer(
            name="Nour Extra",
            enrollment_ids=f"[(1, {other_enrollment.id}, {{'state': 'dropped'}})]",
            referrer_id=str(self.orgs["jobcenter2"].id),
            stage_id=str(self.stage["employment"].id),
            message_follower_ids="[(2, 1)]",
        )
        self.assertEqual(response.status_code, 303)
        participant = self.env["integration.participant"].search(
            [("name", "=", "Nour Extra")]
        )
        self.assertEqual(participant.referrer_id, self.orgs["jobcenter1"])
        self.assertEqual(participant.milestone, "intake")
        self.assertEqual(other_enrollment.state, "enrolled")
