"""What each role can read, model by model, across the whole registry.

Every model of the registry with a table is counted as the real fixture user of
each role (``with_user``, never sudo). A model the role can read must be on that
role's allowlist: with the exact number of records for case data (the fixture's
organisations are new, so nothing of the demo data's organisations may show), or
named as public reference/configuration data with a reason. Everything else
fails, and the test reports every mismatch at once.
"""

import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase
from odoo.tests.common import JsonRpcException

from .common import OrganisationsCase, new_test_user

# Odoo's reference and configuration data: the same for every user, nobody's
# case data. The count is not checked.
PUBLIC = {
    "iap.account": "IAP accounts, e.g. the SMS one (Odoo's baseline for internal "
    "users; the token is for administrators only)",
    "iap.service": "IAP service catalogue",
    "ir.actions.report": "report definitions",
    "ir.default": "her own and global default values",
    "ir.module.category": "app categories",
    "ir.module.module": "installed apps list",
    "ir.module.module.dependency": "app dependencies",
    "ir.ui.menu": "menus (partner logins see the Integration app only)",
    "mail.activity.type": "activity types",
    "mail.canned.response": "canned responses shared with her groups",
    "mail.message.subtype": "message subtypes",
    "mail.template": "mail templates (configuration)",
    "report.layout": "report layouts",
    "report.paperformat": "paper formats",
    "res.bank": "banks (institutions, not accounts)",
    "res.company": "the city (company)",
    "res.country": "countries",
    "res.country.group": "country groups",
    "res.country.state": "federal states",
    "res.currency": "currencies",
    "res.currency.rate": "exchange rates",
    "res.groups": "groups (names of roles)",
    "res.groups.privilege": "group privileges",
    "res.lang": "languages",
    "res.partner.category": "contact tags",
    "res.partner.industry": "industries",
    "sms.template": "SMS templates (configuration)",
    "web_tour.tour": "UI tours",
}

# The addon's catalogue, which coaches use to plan with a participant: courses
# (of every organiser: organisations, no people), programmes, stages and lists.
CATALOGUE = {
    "integration.document.type": "document types",
    "integration.document.requirement": "the programmes' document checklists",
    "integration.service.type": "types of outside services",
    "integration.assessment.area": "assessment areas",
    "integration.course": "course catalogue (organisers are organisations)",
    "integration.course.date": "the courses' dates",
    "integration.course.type": "course types",
    "integration.esf.qualification": "school and vocational qualifications (ISCED)",
    "integration.exit.reason": "exit reasons",
    "integration.language": "languages",
    "integration.obstacle": "obstacle list",
    "integration.profession": "professions",
    "integration.program": "programmes",
    "integration.stage": "pipeline stages",
    "integration.tag": "tags",
}

# Special-category data (Art. 9 GDPR): programme managers and her own coach
# only, never programme staff.
STAFF_NEVER = ("integration.esf.sensitive",)

# As many records as the superuser sees: staff keep their whole view.
ALL = "all"

# Messages are counted per model of their document.
MESSAGE_PREFIX = "mail.message on "


def readable_counts(env, user):
    """{model: count} of every model with a table that the user can read, with
    mail.message broken down by the model of its document."""
    found = {}
    for name in sorted(env.registry):
        model = env[name]
        if model._abstract:
            # No table, no records: mixins, report renderers, the mail Store.
            continue
        records = model.with_user(user).with_context(active_test=False)
        try:
            if name == "mail.message":
                messages = records.search([])
                for doc_model, count in (
                    env["mail.message"]
                    .with_context(active_test=False)
                    ._read_group([("id", "in", messages.ids)], ["model"], ["__count"])
                ):
                    found[f"{MESSAGE_PREFIX}{doc_model or 'no document'}"] = count
                continue
            count = records.search_count([])
        except AccessError:
            continue
        if count:
            found[name] = count
    return found


class TestExposure(OrganisationsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An internal user outside the addon: nothing may change for her.
        cls.role_users["outsider"] = new_test_user(
            cls.env,
            login="test_outsider",
            name="Olga Outsider",
            groups="base.group_user",
        )
        cls.own.message_post(
            body="Internal remark on Hawa", subtype_xmlid="mail.mt_note"
        )
        cls.other.message_post(
            body="Internal remark on Hawa Zwei", subtype_xmlid="mail.mt_note"
        )
        # ESF+ data and special-category data (Art. 9 GDPR) of both women.
        cls.program.esf_cofunded = True
        cls.env["integration.esf.record"]._for_participants(cls.own | cls.other)
        for participant in (cls.own, cls.other):
            cls.env["integration.esf.sensitive"].create(
                {"participant_id": participant.id, "disability": "yes"}
            )
        # A team channel the coaches did not join.
        cls.env["discuss.channel"].create({"name": "Team Stadt"})._add_members(
            users=cls.staff | cls.manager
        )

    def _count_all(self, model):
        if model.startswith(MESSAGE_PREFIX):
            doc_model = model[len(MESSAGE_PREFIX) :]
            return self.env["mail.message"].search_count([("model", "=", doc_model)])
        return self.env[model].with_context(active_test=False).search_count([])

    def _expected_coach(self, side):
        """The allowlist of the coach of provider ``side``: her participant and
        what hangs on it, herself and her organisation, the staff users."""
        user = self.role_users[f"coach{side}"]
        org = self.orgs[f"provider{side}"]
        participant = self.own if side == "1" else self.other
        partners = self.env["res.partner"].with_context(active_test=False)
        staff_users = (
            self.env["res.users"]
            .with_context(active_test=False)
            .search(
                [
                    ("share", "=", False),
                    (
                        "all_group_ids",
                        "not in",
                        self.env.ref("integration_program.group_partner_login").ids,
                    ),
                ]
            )
        )
        visible_users = staff_users | user | org.child_ids.user_ids
        visible_partners = (
            partners.search([("is_company", "=", True), ("user_ids", "=", False)])
            | partners.search([("commercial_partner_id", "=", org.id)])
            | participant.partner_id
            | partners.search([("user_ids", "in", visible_users.ids)])
        )
        expected = {
            "integration.participant": 1,
            "integration.coaching.session": 1,
            "integration.coaching.assignment": 1,
            "integration.caseload.report": 1,
            "integration.enrollment": 1,
            "integration.placement": 1,
            "integration.consent": len(participant.consent_ids),
            "integration.esf.record": 1,
            # Art. 9 data of the women she coaches herself.
            "integration.esf.sensitive": 1,
            # Her own subscription to her participant, and the followers of
            # the IAP accounts she reads (Odoo's baseline, see PUBLIC).
            "mail.followers": 1
            + self.env["mail.followers"].search_count(
                [("res_model", "=", "iap.account")]
            ),
            "res.users.settings": 1,
            "res.users": len(visible_users),
            "res.partner": len(visible_partners),
            # The note of the fixture above and the tracking of her records.
            f"{MESSAGE_PREFIX}integration.participant": self._count_messages(
                participant
            ),
            f"{MESSAGE_PREFIX}integration.coaching.session": self._count_messages(
                participant.session_ids
            ),
            f"{MESSAGE_PREFIX}integration.enrollment": self._count_messages(
                participant.enrollment_ids
            ),
            f"{MESSAGE_PREFIX}integration.placement": self._count_messages(
                participant.placement_ids
            ),
            f"{MESSAGE_PREFIX}res.partner": self.env["mail.message"].search_count(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "in", [user.partner_id.id, org.id]),
                ]
            ),
            # Odoo's baseline: the chatter of the IAP accounts they read.
            f"{MESSAGE_PREFIX}iap.account": ALL,
            # "Course created", "Programme created": the catalogue's chatter.
            f"{MESSAGE_PREFIX}integration.course": ALL,
            f"{MESSAGE_PREFIX}integration.program": ALL,
            # Public files (e.g. the web client's placeholder image).
            "ir.attachment": self.env["ir.attachment"].search_count(
                [("public", "=", True)]
            ),
        }
        for model, reason in {**PUBLIC, **CATALOGUE}.items():
            expected[model] = reason
        return expected

    def _count_messages(self, records):
        return self.env["mail.message"].search_count(
            [
                ("model", "=", records._name),
                ("res_id", "in", records.ids),
                ("message_type", "!=", "user_notification"),
            ]
        )

    def _expected_portal(self, side, kind):
        """Odoo's portal baseline: herself and her organisation's people, and
        the channels open to everybody. Nothing of the addon through the ORM.
        A participant's own login: herself only (her pages are in
        test_participant_portal.py)."""
        if kind == "participant":
            org = getattr(self, "own" if side == "1" else "other").partner_id
        else:
            org = self.orgs[f"{kind}{side}"]
        return {
            "res.partner": self.env["res.partner"].search_count(
                [("commercial_partner_id", "=", org.id)]
            ),
            "res.users": self.env["res.users"].search_count(
                [("partner_id.commercial_partner_id", "=", org.id)]
            ),
            "discuss.channel": "channels open to everybody (Odoo's portal baseline)",
            "discuss.channel.member": "members of those channels",
            f"{MESSAGE_PREFIX}discuss.channel": "messages of those channels",
            "mail.message.subtype": PUBLIC["mail.message.subtype"],
            "res.company": PUBLIC["res.company"],
            "res.country": PUBLIC["res.country"],
            "res.country.group": PUBLIC["res.country.group"],
            "res.country.state": PUBLIC["res.country.state"],
            "res.currency": PUBLIC["res.currency"],
            "res.currency.rate": PUBLIC["res.currency.rate"],
            "res.lang": PUBLIC["res.lang"],
            **(self._expected_participant(org) if kind == "participant" else {}),
        }

    def _expected_participant(self, partner):
        """What a participant's own login reads beyond the portal baseline: the
        mails sent to her (her course confirmations), as Odoo lets every
        recipient read the messages she received, and their notifications."""
        return {
            f"{MESSAGE_PREFIX}integration.enrollment": self.env[
                "mail.message"
            ].search_count(
                [
                    ("model", "=", "integration.enrollment"),
                    ("partner_ids", "in", partner.ids),
                ]
            ),
            "mail.notification": self.env["mail.notification"].search_count(
                [("res_partner_id", "=", partner.id)]
            ),
        }

    def _expected_unrestricted(self, role):
        """Staff and users outside the addon: Odoo's standard internal rights,
        not listed model by model; the models this addon restricts for coaches
        must stay whole for them, and staff see every case record."""
        expected = {
            "res.partner": ALL,
            "res.users": ALL,
            "res.partner.bank": ALL,
            "mail.notification": ALL,
            "mail.followers": ALL,
            "mail.guest": ALL,
        }
        if role == "staff":
            for model in (
                "integration.participant",
                "integration.coaching.session",
                "integration.coaching.assignment",
                "integration.caseload.report",
                "integration.enrollment",
                "integration.placement",
                "integration.consent",
                "integration.course",
                "integration.coach.meeting",
                "integration.esf.record",
            ):
                expected[model] = ALL
        return expected

    def _expected_for(self, role, user):
        """(allowlist, strict) of a role."""
        if role.startswith("coach"):
            return self._expected_coach(role[-1]), True
        if role.startswith(("jobcenter", "school", "participant")):
            # Partner organisations' and participants' logins are portal users,
            # never internal.
            self.assertTrue(user.share, f"{role} must be a portal user")
            kind = next(
                kind
                for kind in ("jobcenter", "school", "participant")
                if role.startswith(kind)
            )
            return self._expected_portal(role[-1], kind), True
        return self._expected_unrestricted(role), False

    def _mismatches(self, role, found, expected, strict):
        mismatches = []
        for model, count in found.items():
            want = expected.get(model)
            if role == "staff" and model in STAFF_NEVER:
                mismatches.append(f"{role}: reads {count} of {model}")
            elif want is None:
                # Strict roles read nothing unlisted; an outsider no case data.
                if strict or (role == "outsider" and model.startswith("integration.")):
                    mismatches.append(f"{role}: reads {count} of {model}")
            elif want == ALL:
                total = self._count_all(model)
                if count != total:
                    mismatches.append(f"{role}: {model} {count}, expected all {total}")
            elif isinstance(want, int) and count != want:
                mismatches.append(f"{role}: {model} {count}, expected {want}")
        for model, want in expected.items():
            if model in found:
                continue
            if want == ALL and self._count_all(model):
                mismatches.append(f"{role}: reads none of {model}, expected all")
            elif isinstance(want, int) and want:
                mismatches.append(f"{role}: reads none of {model}, expected {want}")
        return mismatches

    def test_every_model_for_every_role(self):
        mismatches = []
        for role, user in self.role_users.items():
            if role == "manager":
                continue  # sees everything by design; staff is the lower bound
            allowlist = self._expected_for(role, user)
            found = readable_counts(self.env, user)
            mismatches += self._mismatches(role, found, *allowlist)
        self.assertFalse(mismatches, "\n" + "\n".join(mismatches))

    def test_found_records_are_readable(self):
        """The counted records can be read too (no record counted by a search
        whose read would fail, which would hide a broken rule)."""
        user = self.role_users["coach1"]
        for name in ("integration.participant", "res.partner", "res.users"):
            records = self.env[name].with_user(user).search([])
            records.read(["display_name"])


SECRETS = (
    "Hawa Zwei",
    "hawa2@example.com",
    "Confidential note 2",
    "Session notes 2",
    "Health note 2",
    "Internal remark on Hawa Zwei",
)


class TestExposureRoutes(OrganisationsCase, HttpCase):
    """Routes of the web client asked for the other organisation's records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other.message_post(
            body="Internal remark on Hawa Zwei", subtype_xmlid="mail.mt_note"
        )
        attachments = cls.env["ir.attachment"]
        cls.document = attachments.create(
            {
                "name": "cv-hawa-zwei.pdf",
                "raw": b"%PDF- Hawa Zwei's CV",
                "res_model": "integration.participant",
                "res_id": cls.other.id,
            }
        )
        cls.consent = cls.env["integration.consent"].create(
            {
                "participant_id": cls.other.id,
                "recipient_ids": [(6, 0, cls.orgs["jobcenter2"].ids)],
                "document": b"JVBERi0gc2lnbmVk",
                "document_name": "consent-hawa-zwei.pdf",
            }
        )
        cls.consent_file = attachments.search(
            [
                ("res_model", "=", "integration.consent"),
                ("res_id", "=", cls.consent.id),
                ("res_field", "=", "document"),
            ]
        )
        cls.funder_report = (
            cls.env["integration.funder.report"]
            .with_user(cls.manager)
            .create({"program_id": cls.program.id, "reference_date": "2026-06-30"})
        )
        cls.program.with_user(cls.manager)._job_funder_workbook(
            "2026-01-01", "2026-06-30", "2026-06-30"
        )
        cls.workbook = attachments.search(
            [("res_model", "=", "integration.program"), ("res_id", "=", cls.program.id)]
        )
        action = cls.own.with_user(cls.manager).action_export_personal_data()
        cls.export = attachments.browse(int(action["url"].split("/")[3].split("?")[0]))

    def _refused(self, response):
        return response.status_code != 200 and not any(
            secret in response.text for secret in SECRETS
        )

    def test_files_are_refused(self):
        self.assertTrue(self.workbook and self.consent_file and self.export)
        self.authenticate("test_coach1", "test_coach1")
        for label, attachment in (
            ("participant's document", self.document),
            ("consent form", self.consent_file),
            ("funder workbook", self.workbook),
            # Even of her own participant: the export is the manager's.
            ("personal data export", self.export),
        ):
            response = self.url_open(f"/web/content/{attachment.id}?download=true")
            self.assertIn(response.status_code, (403, 404), f"coach downloads {label}")
        # Staff who did not ask for the workbook do not get it either...
        self.authenticate("test_programme_staff", "test_programme_staff")
        response = self.url_open(f"/web/content/{self.workbook.id}?download=true")
        self.assertIn(response.status_code, (403, 404), "staff downloads the workbook")
        # ... while the manager who asked does.
        self.authenticate("test_programme_manager", "test_programme_manager")
        response = self.url_open(f"/web/content/{self.workbook.id}?download=true")
        self.assertEqual(response.status_code, 200)

    def _jsonrpc(self, route, params):
        try:
            return json.dumps(self.make_jsonrpc_request(route, params))
        except JsonRpcException as error:
            return f"refused: {error}"

    def test_mail_routes_are_refused(self):
        self.authenticate("test_coach1", "test_coach1")
        for thread in (self.other, self.other.enrollment_ids, self.other.session_ids):
            params = {"thread_model": thread._name, "thread_id": thread.id}
            answer = self._jsonrpc("/mail/thread/messages", params)
            # Odoo answers a thread she may not read with the messages she may
            # read elsewhere (an empty thread): none of the thread's own.
            if not answer.startswith("refused"):
                self.assertFalse(
                    set(json.loads(answer)["messages"]) & set(thread.message_ids.ids),
                    f"/mail/thread/messages on {thread}",
                )
            for secret in SECRETS:
                self.assertNotIn(secret, answer, f"/mail/thread/messages {thread}")
            answer = self._jsonrpc(
                "/mail/data",
                {
                    "fetch_params": [
                        [
                            "mail.thread",
                            {
                                **params,
                                "request_list": [
                                    "activities",
                                    "attachments",
                                    "followers",
                                    "suggestedRecipients",
                                ],
                            },
                        ],
                        "init_messaging",
                        "failures",
                        "systray_get_activities",
                    ]
                },
            )
            for secret in (*SECRETS, "cv-hawa-zwei"):
                self.assertNotIn(secret, answer, f"/mail/data on {thread}")
            # Odoo 19 has no /mail/thread/data route any more.
            response = self.url_open(
                "/mail/thread/data",
                data=json.dumps({"params": params}),
                headers={"Content-Type": "application/json"},
            )
            self.assertTrue(self._refused(response), "/mail/thread/data")
        # Her own participant's chatter opens (the test is not blind).
        answer = self._jsonrpc(
            "/mail/thread/messages",
            {"thread_model": self.own._name, "thread_id": self.own.id},
        )
        self.assertIn("Hawa Eins", answer + self.own.name)
        self.assertNotIn("refused", answer)

    def test_report_routes_are_refused(self):
        self.authenticate("test_coach1", "test_coach1")
        for route in (
            f"/report/pdf/integration_program.report_funder_summary/{self.funder_report.id}",
            f"/report/html/integration_program.report_funder_summary/{self.funder_report.id}",
            f"/report/xlsx/integration_program.funder_report_xlsx/{self.funder_report.id}",
        ):
            response = self.url_open(route)
            self.assertTrue(self._refused(response), f"coach opens {route}")

    def test_no_free_sign_up(self):
        self.assertEqual(self.url_open("/web/signup").status_code, 404)
        login_page = self.url_open("/web/login")
        self.assertEqual(login_page.status_code, 200)
        self.assertNotIn("/web/signup", login_page.text)
