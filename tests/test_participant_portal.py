"""A participant's own portal: her login sees her own records on the pages of
controllers/participant_portal.py, and nothing of another woman's, on every
route; she signs her plan (which agrees and freezes it) and her consents,
uploads her documents and answers the satisfaction survey."""

import base64
import json
import threading

from odoo import fields, http
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.integration_program.controllers.participant_portal import (
    ParticipantPortal,
)

from .common import OrganisationsCase
from .test_appointment_portal import APPOINTMENT_ROUTES

# A 1x1 PNG: what the signature pad sends (base64, without the data: prefix).
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAC"
    "hwGA60e6kgAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4 residence permit scan"


class ParticipantPortalCase(HttpCase, OrganisationsCase):
    """``own`` and ``other`` with their own portal logins, each with a draft
    plan, a checklist line, a consent waiting for her signature and a
    satisfaction survey."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["integration.plan"])
        cls.document_type = cls.env.ref(
            "integration_program.document_type_residence_permit"
        )
        cls.env["integration.document.requirement"].create(
            {
                "program_id": cls.program.id,
                "stage_id": cls.stage["coaching"].id,
                "document_type_id": cls.document_type.id,
            }
        )
        cls.records = {}
        for key, participant in (("own", cls.own), ("other", cls.other)):
            cls.records[key] = {
                "plan": cls._draft_plan(participant),
                "document": participant._ensure_document_checklist(),
                "consent": cls.env["integration.consent"].create(
                    {
                        "participant_id": participant.id,
                        "recipient_ids": [(6, 0, cls.orgs["school1"].ids)],
                        "to_confirm": True,
                    }
                ),
                "survey": cls.env["integration.satisfaction.survey"].create(
                    {"participant_id": participant.id}
                ),
            }

    @classmethod
    def _draft_plan(cls, participant):
        return cls.env["integration.plan"].create(
            {
                "participant_id": participant.id,
                "goal_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"German B1 for {participant.name}",
                            "step_ids": [
                                (
                                    0,
                                    0,
                                    {
                                        "name": f"Enrol {participant.name}",
                                        "owner": "participant",
                                        "date_due": cls.today,
                                    },
                                )
                            ],
                        },
                    )
                ],
            }
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

    def jsonrpc(self, url, params):
        response = self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        return response

    def sign(self, url):
        return self.jsonrpc(url, {"name": "Hawa Eins", "signature": SIGNATURE})


@tagged("post_install", "-at_install")
class TestParticipantPortal(ParticipantPortalCase):
    def test_her_login_finds_her_record_only(self):
        Participant = self.env["integration.participant"]
        self.assertEqual(
            Participant._portal_participant_for_user(self.role_users["participant1"]),
            self.own,
        )
        self.assertEqual(
            Participant._portal_participant_for_user(self.role_users["participant2"]),
            self.other,
        )
        for role in ("staff", "coach1", "jobcenter1", "school1"):
            self.assertFalse(
                Participant._portal_participant_for_user(self.role_users[role]), role
            )
        # A closed login finds nothing, even while its session lasts.
        user = self.role_users["participant2"]
        self.other.with_user(self.staff).action_revoke_portal()
        self.assertFalse(user.active)
        self.assertFalse(Participant._portal_participant_for_user(user))

    def test_invitation(self):
        participant = self.create_participant("Nour Portal", email="nour@example.com")
        participant.with_user(self.staff).action_invite_portal()
        user = participant.portal_user_id
        self.assertTrue(user.share)
        self.assertEqual(user.partner_id, participant.partner_id)
        self.assertTrue(user.has_group("integration_program.group_participant_portal"))
        self.assertFalse(user.has_group("base.group_user"))
        with self.assertRaises(UserError):
            participant.with_user(self.staff).action_invite_portal()
        # Closed, then invited again: the same login, active again.
        participant.with_user(self.staff).action_revoke_portal()
        participant.with_user(self.staff).action_invite_portal()
        self.assertEqual(participant.portal_user_id, user)
        self.assertTrue(user.active)
        # Her coach cannot open a login (only the programme's staff).
        with self.assertRaises(AccessError):
            self.own.with_user(self.role_users["coach1"]).action_revoke_portal()
        without_email = self.create_participant("Ohne Mail")
        with self.assertRaises(UserError):
            without_email.with_user(self.staff).action_invite_portal()

    def test_home_shows_her_own_and_nothing_confidential(self):
        self.login("participant1")
        page = self.get("/my/integration").text
        self.assertIn("Hawa Eins", page)
        self.assertIn("Enrol Hawa Eins", page)
        self.assertIn(self.document_type.name, page)
        self.assertIn("/my/integration/appointments", page)
        self.assertIn(f"/my/integration/plan/{self.records['own']['plan'].id}", page)
        self.assertIn(
            f"/my/integration/consent/{self.records['own']['consent'].id}", page
        )
        for secret in (
            "Hawa Zwei",
            "Confidential note 1",
            "Session notes 1",
            "Health note 1",
        ):
            self.assertNotIn(secret, page)
        self.assertIn("My Programme", self.get("/my").text)

    def test_other_logins_have_no_participant_pages(self):
        for role in ("jobcenter1", "school1"):
            self.login(role)
            self.assertEqual(self.get("/my/integration").status_code, 404, role)
        self.authenticate(None, None)
        self.assertNotEqual(self.get("/my/integration").status_code, 200)

    def _portal_routes(self):
        """Every route of the participant's portal, from the routing map."""
        routes = set()
        # The routing map is built for the database of the current thread.
        thread = threading.current_thread()
        had_dbname = hasattr(thread, "dbname")
        thread.dbname = self.env.cr.dbname
        try:
            routing_map = self.env["ir.http"].routing_map()
        finally:
            if not had_dbname:
                del thread.dbname
        for rule in routing_map.iter_rules():
            endpoint = rule.endpoint
            method = getattr(endpoint, "original_endpoint", endpoint)
            owner = getattr(method, "__qualname__", "").split(".")[0]
            if owner == ParticipantPortal.__name__ or rule.rule.startswith(
                "/my/integration"
            ):
                routes.add(rule.rule)
        return routes

    def test_every_route_refuses_another_womans_records(self):
        other = self.records["other"]
        # What each route is asked for: the other woman's record in its URL.
        probes = {
            "/my/integration": None,
            "/my/integration/plan/<int:plan_id>": (
                "get",
                f"/my/integration/plan/{other['plan'].id}",
            ),
            "/my/integration/plan/<int:plan_id>/sign": (
                "json",
                f"/my/integration/plan/{other['plan'].id}/sign",
            ),
            "/my/integration/consent/<int:consent_id>": (
                "get",
                f"/my/integration/consent/{other['consent'].id}",
            ),
            "/my/integration/consent/<int:consent_id>/sign": (
                "json",
                f"/my/integration/consent/{other['consent'].id}/sign",
            ),
            "/my/integration/documents": None,
            "/my/integration/documents/<int:document_id>/upload": (
                "post",
                f"/my/integration/documents/{other['document'].id}/upload",
            ),
            "/my/integration/survey/<int:survey_id>": (
                "get",
                f"/my/integration/survey/{other['survey'].id}",
            ),
        }
        found = self._portal_routes()
        # Her appointment routes are probed in test_appointment_portal.
        self.assertLessEqual(APPOINTMENT_ROUTES, found)
        found -= APPOINTMENT_ROUTES
        self.assertEqual(found, set(probes), "a portal route without its probe")
        self.login("participant1")
        for route, probe in probes.items():
            if probe is None:
                continue
            kind, url = probe
            with self.subTest(route=route):
                if kind == "get":
                    response = self.get(url)
                    self.assertEqual(response.status_code, 404)
                elif kind == "post":
                    response = self.post(
                        url, files={"upload": ("permit.pdf", PDF, "application/pdf")}
                    )
                    self.assertEqual(response.status_code, 404)
                else:
                    response = self.sign(url)
                    self.assertIn("error", response.json())
                    self.assertEqual(response.json()["error"]["code"], 404)
        # The survey's own link (with its token) opens for anyone holding it;
        # her token does not open the other woman's survey.
        token = self.records["own"]["survey"].sudo().access_token
        self.assertEqual(
            self.get(
                f"/my/integration/survey/{other['survey'].id}?access_token={token}"
            ).status_code,
            404,
        )
        # Pages without an id show nothing of hers.
        for url in ("/my/integration", "/my/integration/documents"):
            page = self.get(url).text
            self.assertNotIn("Hawa Zwei", page, url)
        # Nothing of the other woman's changed.
        self.assertEqual(other["plan"].state, "draft")
        self.assertFalse(other["plan"].signature)
        self.assertEqual(other["document"].state, "missing")
        self.assertEqual(other["consent"].state, "pending")

    def test_signing_agrees_and_freezes_her_plan(self):
        plan = self.records["own"]["plan"]
        self.login("participant1")
        result = self.sign(f"/my/integration/plan/{plan.id}/sign").json()["result"]
        self.assertTrue(result.get("force_refresh"), result)
        plan.invalidate_recordset()
        self.assertEqual(plan.state, "agreed")
        self.assertEqual(plan.date_agreed, self.today)
        self.assertEqual(plan.signed_by, "Hawa Eins")
        self.assertTrue(plan.signed_on)
        self.assertTrue(plan.signature)
        page = self.get(f"/my/integration/plan/{plan.id}").text
        self.assertIn("Signed", page)
        # Signed is agreed: it cannot change, nor be signed again.
        with self.assertRaises(UserError):
            plan.with_user(self.role_users["coach1"]).goal_ids.write({"name": "Other"})
        with self.assertRaises(UserError):
            plan._sign("Hawa Eins", SIGNATURE)
        result = self.sign(f"/my/integration/plan/{plan.id}/sign").json()["result"]
        self.assertIn("error", result)

    def test_nobody_else_writes_a_signature(self):
        plan = self.records["own"]["plan"]
        for user in (self.staff, self.manager, self.role_users["coach1"]):
            with self.assertRaises(UserError, msg=user.login):
                plan.with_user(user).write({"signature": SIGNATURE, "signed_by": "X"})

    def test_a_plan_that_cannot_be_agreed_keeps_no_signature(self):
        plan = self.records["own"]["plan"]
        plan.goal_ids.step_ids.unlink()
        self.login("participant1")
        result = self.sign(f"/my/integration/plan/{plan.id}/sign").json()["result"]
        self.assertIn("error", result)
        plan.invalidate_recordset()
        self.assertEqual(plan.state, "draft")
        self.assertFalse(plan.signature)

    def test_signing_gives_her_consent(self):
        consent = self.records["own"]["consent"]
        self.login("participant1")
        result = self.sign(f"/my/integration/consent/{consent.id}/sign").json()
        self.assertTrue(result["result"].get("force_refresh"), result)
        consent.invalidate_recordset()
        self.assertEqual(consent.state, "given")
        self.assertEqual(consent.signed_by, "Hawa Eins")
        self.assertTrue(consent.signature)
        self.assertIn(self.orgs["school1"], self.own.shared_with_partner_ids)

    def test_upload_into_her_checklist(self):
        document = self.records["own"]["document"]
        self.login("participant1")
        response = self.post(
            f"/my/integration/documents/{document.id}/upload",
            files={"upload": ("permit.pdf", PDF, "application/pdf")},
        )
        self.assertIn("message=uploaded", response.headers["Location"])
        document.invalidate_recordset()
        self.assertEqual(document.state, "received")
        self.assertEqual(base64.b64decode(document.file), PDF)
        self.assertEqual(document.received_by_id, self.role_users["participant1"])
        # Received once: a second upload into the line is refused.
        response = self.post(
            f"/my/integration/documents/{document.id}/upload",
            files={"upload": ("again.pdf", PDF, "application/pdf")},
        )
        self.assertEqual(response.status_code, 404)

    def test_upload_refuses_other_files(self):
        document = self.records["own"]["document"]
        self.login("participant1")
        response = self.post(
            f"/my/integration/documents/{document.id}/upload",
            files={"upload": ("virus.exe", b"MZ...", "application/x-msdownload")},
        )
        self.assertIn("message=file_type", response.headers["Location"])
        self.assertEqual(document.state, "missing")

    def test_satisfaction_survey_by_link(self):
        survey = self.records["own"]["survey"]
        url = survey._portal_url()
        # The link works without her login.
        self.authenticate(None, None)
        self.assertEqual(self.get(url).status_code, 200)
        self.assertEqual(
            self.get(f"/my/integration/survey/{survey.id}?access_token=x").status_code,
            404,
        )
        answers = {
            "access_token": survey.sudo().access_token,
            "rating_overall": "5",
            "rating_coaching": "4",
        }
        self.post(f"/my/integration/survey/{survey.id}", data=answers)
        self.assertEqual(survey.state, "sent", "every question needs an answer")
        answers.update(rating_courses="3", would_recommend="yes", comment="Danke")
        self.post(f"/my/integration/survey/{survey.id}", data=answers)
        survey.invalidate_recordset()
        self.assertEqual(survey.state, "answered")
        self.assertEqual(
            (survey.rating_overall, survey.rating_coaching, survey.rating_courses),
            ("5", "4", "3"),
        )
        self.assertTrue(survey.would_recommend)
        # Answered once.
        answers["rating_overall"] = "1"
        self.post(f"/my/integration/survey/{survey.id}", data=answers)
        survey.invalidate_recordset()
        self.assertEqual(survey.rating_overall, "5")

    def test_survey_is_sent_by_mail_in_her_language(self):
        self.own.partner_id.lang = (
            "de_DE" if self.env["res.lang"]._lang_get("de_DE") else "en_US"
        )
        self.own.with_user(self.staff).action_send_satisfaction_survey()
        survey = self.own.satisfaction_survey_ids.sorted("id")[-1]
        mail = self.env["mail.mail"].search(
            [("email_to", "=", self.own.email)], order="id desc", limit=1
        )
        self.assertIn(survey._portal_url().replace("&", "&amp;"), mail.body_html)


@tagged("post_install", "-at_install")
class TestParticipantPortalTours(ParticipantPortalCase):
    def test_coach_drafts_and_she_signs_on_her_phone(self):
        # The fixture's drafts give way to the coach's own.
        self.records["own"]["plan"].unlink()
        self.start_tour(
            "/odoo/action-integration_program.integration_plan_action/new",
            "integration_plan_draft_tour",
            login=self.role_users["coach1"].login,
        )
        plan = self.own.plan_ids
        self.assertEqual(plan.state, "draft")
        self.assertEqual(plan.goal_ids.step_ids.name, "Enrol in the B1 course")
        self.browser_size = "390x844"
        self.touch_enabled = True
        self.start_tour(
            "/my/integration",
            "integration_participant_sign_tour",
            login=self.role_users["participant1"].login,
        )
        plan.invalidate_recordset()
        self.assertEqual(plan.state, "agreed")
        self.assertEqual(plan.signed_by, "Hawa Eins")
        self.assertTrue(plan.signature)

    def test_she_uploads_a_requested_document_on_her_phone(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        self.start_tour(
            "/my/integration",
            "integration_participant_upload_tour",
            login=self.role_users["participant1"].login,
        )
        document = self.records["own"]["document"]
        document.invalidate_recordset()
        self.assertEqual(document.state, "received")
        self.assertEqual(document.file_name, "permit.pdf")
