import base64
import io
import json
import zipfile
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.fields import Date

from odoo.addons.queue_job.job import identity_exact
from odoo.addons.queue_job.tests.common import trap_jobs

from ..models import integration_participant_privacy
from .common import OrganisationsCase

# Strings only this participant has, looked for in every text column afterwards.
NAME = "Zuleika Quorbani"
EMAIL = "zuleika.quorbani@example.net"
PHONE = "+49 561 9988776"
SECRETS = ("Zuleika", "Quorbani", EMAIL, "9988776", "Panikattacken", "Hüftleiden")


class TestPrivacy(OrganisationsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.participant = cls.create_participant(
            "Zuleika Q.",
            email=EMAIL,
            phone=PHONE,
            street="Quorbani-Weg 3",
            birthdate="1985-03-17",
            enrollment_date="2020-01-15",
            country_id=cls.env.ref("base.sy").id,
            coach_id=cls.role_users["coach1"].id,
            stage_id=cls.stage["coaching"].id,
            jobcenter_customer_number="999Z123456",
            note="<p>Zuleika has Panikattacken</p>",
            health_note="Hüftleiden",
            referrer_id=cls.orgs["jobcenter1"].id,
        )
        # A change of name leaves the old and the new one in the tracking values
        # and in the audit log.
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        cls.participant.name = NAME
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        cls.env["integration.coaching.session"].create(
            {
                "participant_id": cls.participant.id,
                "coach_id": cls.role_users["coach1"].id,
                "date": "2020-05-04",
                "topics": "Zuleika: Wohnung",
                "notes": "<p>Quorbani Panikattacken</p>",
                "next_steps": "Zuleika calls the landlord",
            }
        )
        cls.env["integration.consent"].create(
            {
                "participant_id": cls.participant.id,
                "recipient_ids": [(6, 0, cls.orgs["jobcenter1"].ids)],
                "document": base64.b64encode(b"signed by Zuleika Quorbani"),
                "document_name": "Einwilligung Quorbani.pdf",
            }
        )
        cls.env["integration.placement"].create(
            {
                "participant_id": cls.participant.id,
                "placement_type": "training",
                "partner_id": cls.orgs["school1"].id,
                "date_start": "2020-09-01",
                "drop_reason": "Zuleika moved",
            }
        )
        # The Jobcenter's referral: its reason and its portal conversation.
        referral = cls.env["integration.referral"].create(
            {
                "participant_id": cls.participant.id,
                "jobcenter_id": cls.orgs["jobcenter1"].id,
                "reason": "Zuleika Quorbani needs a flat first",
            }
        )
        referral.message_post(body="Zuleika starts on Monday", message_type="comment")
        cls.participant.message_post(
            body="Zuleika Quorbani sent her CV",
            attachment_ids=cls.env["ir.attachment"]
            .create({"name": "CV Quorbani.pdf", "raw": b"Zuleika Quorbani CV"})
            .ids,
        )
        cls.participant.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Call Zuleika",
            user_id=cls.role_users["coach1"].id,
        )
        cls.participant.with_user(cls.manager).write(
            {"stage_id": cls.stage["exited"].id, "exit_date": "2021-06-30"}
        )

    def _statistics(self):
        participant = self.participant.with_context(active_test=False)
        kpis = [
            self.program._kpi_values(
                Date.to_date("2018-01-01"), Date.to_date("2022-12-31"), reference
            )
            for reference in (Date.to_date("2020-06-30"), Date.to_date("2022-12-31"))
        ]
        target = self.env["integration.target"].create(
            {
                "name": "Women in coaching",
                "program_id": self.program.id,
                "date_from": "2018-01-01",
                "date_to": "2022-12-31",
                "milestone": "coaching",
                "target_value": 5,
            }
        )
        return {
            "kpis": kpis,
            "target": target._actual_on(Date.to_date("2022-12-31")),
            "program": participant.program_id,
            "milestone": participant.milestone,
            "country": participant.country_id,
            "enrollment_date": participant.enrollment_date,
            "exit_date": participant.exit_date,
            "placements": participant.placement_ids.mapped(
                lambda p: (p.placement_type, p.date_start, p.state)
            ),
            "sessions": len(participant.session_ids),
            "birth_year": participant.birthdate.year,
            "coaching": participant.assignment_ids.mapped("date_from"),
        }

    def _find_in_database(self, needle):
        """Every text column of every table holding ``needle``."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """SELECT table_name, column_name FROM information_schema.columns
                JOIN information_schema.tables USING (table_schema, table_name)
               WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
                 AND data_type IN ('character varying', 'text', 'jsonb', 'bytea')"""
        )
        hits = []
        for table, column in cr.fetchall():
            cr.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',
                [f"%{needle}%"],
            )
            if cr.fetchone()[0]:
                hits.append(f"{table}.{column}")
        return hits

    def test_anonymisation_leaves_nothing_personal(self):
        self.flush_tracking()
        before = self._statistics()
        self.assertTrue(
            self._find_in_database("Quorbani"), "fixture must store her name"
        )
        self.assertIn(
            "Zuleika Q.",
            self.participant.message_ids.tracking_value_ids.mapped("old_value_char"),
        )
        self.participant.with_user(self.manager).action_anonymize()
        self.flush_tracking()
        for secret in SECRETS:
            self.assertFalse(
                self._find_in_database(secret), f"{secret!r} is still stored"
            )
        self.assertEqual(self._statistics(), before)
        self.assertTrue(self.participant.is_anonymized)
        self.assertEqual(self.participant.birthdate, Date.to_date("1985-07-01"))
        self.assertIn("anonymised", self.participant.message_ids[0].body)
        # It does not run twice, and only programme managers may start it.
        with self.assertRaises(AccessError):
            self.other.with_user(self.staff).action_anonymize()

    def test_only_participants_who_left_are_anonymised(self):
        with self.assertRaises(UserError):
            self.own.with_user(self.manager).action_anonymize()

    def test_retention_preview_and_cron(self):
        participants = self.env["integration.participant"].with_context(
            active_test=False
        )
        self.env["ir.config_parameter"].set_param(
            "integration_program.retention_months", "36"
        )
        recent = self.create_participant(
            "Recently Left",
            enrollment_date="2025-01-06",
            stage_id=self.stage["exited"].id,
            exit_date=Date.subtract(Date.today(), months=3),
        )
        due = participants.search([("anonymization_due", "=", True)])
        self.assertIn(self.participant, due)
        self.assertNotIn(recent, due)
        self.assertNotIn(self.own, due)
        with trap_jobs() as trap:
            queued = participants._cron_anonymize_expired()
            # The cron only queues: one background job per batch of 200.
            self.assertIn(self.participant, queued)
            self.assertNotIn(recent, queued)
            trap.assert_jobs_count(-(-len(queued) // 200))
            self.assertFalse(self.participant.is_anonymized)
            trap.perform_enqueued_jobs()
        self.assertTrue(self.participant.is_anonymized)
        self.assertFalse(recent.is_anonymized)
        self.assertNotIn(
            self.participant, participants.search([("anonymization_due", "=", True)])
        )

    def test_cron_anonymises_in_batches_of_jobs(self):
        participants = self.env["integration.participant"].with_context(
            active_test=False
        )
        second = self.create_participant(
            "Second Leaver",
            enrollment_date="2019-01-07",
            stage_id=self.stage["exited"].id,
            exit_date="2020-03-31",
        )
        with (
            patch.object(integration_participant_privacy, "ANONYMIZE_BATCH", 1),
            trap_jobs() as trap,
        ):
            queued = participants._cron_anonymize_expired()
            self.assertIn(second, queued)
            trap.assert_jobs_count(len(queued))
            for call in trap.calls:
                self.assertEqual(len(call.method.__self__), 1)
            trap.assert_enqueued_job(
                second._job_anonymize_due,
                properties={
                    "description": (
                        "Anonymise participants after the retention period "
                        f"(batch {list(queued).index(second) + 1} of {len(queued)})"
                    ),
                    "identity_key": identity_exact,
                },
            )
            # She comes back before her batch runs: she is no longer due.
            second.with_context(tracking_disable=True).write(
                {"stage_id": self.stage["coaching"].id, "exit_date": False}
            )
            trap.perform_enqueued_jobs()
        self.assertTrue(self.participant.is_anonymized)
        self.assertFalse(second.is_anonymized)
        self.assertEqual(second.name, "Second Leaver")

    def test_personal_data_export(self):
        with self.assertRaises(AccessError):
            self.participant.with_user(self.staff).action_export_personal_data()
        action = self.participant.with_user(self.manager).action_export_personal_data()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        archive = zipfile.ZipFile(io.BytesIO(attachment.raw))
        names = archive.namelist()
        for expected in (
            "integration.participant.json",
            "integration.coaching.session.json",
            "integration.consent.json",
            "integration.placement.json",
            "res.partner.json",
            "messages.json",
        ):
            self.assertIn(expected, names)
        participant = json.loads(archive.read("integration.participant.json"))[0]
        self.assertEqual(participant["name"], NAME)
        self.assertEqual(participant["health_note"], "Hüftleiden")
        partner = json.loads(archive.read("res.partner.json"))[0]
        self.assertEqual(partner["email"], EMAIL)
        sessions = json.loads(archive.read("integration.coaching.session.json"))
        self.assertIn("Panikattacken", sessions[0]["notes"])
        messages = json.loads(archive.read("messages.json"))
        self.assertTrue(any("sent her CV" in (m["body"] or "") for m in messages))
        documents = [name for name in names if name.startswith("documents/")]
        self.assertTrue(any("CV Quorbani.pdf" in name for name in documents))
        self.assertEqual(
            archive.read(next(n for n in documents if "CV" in n)),
            b"Zuleika Quorbani CV",
        )

    def test_audit_trail(self):
        logs = self.env["auditlog.log"]
        domain = [
            ("model_model", "=", "integration.participant"),
            ("res_id", "=", self.own.id),
        ]
        self.own.with_user(self.role_users["coach1"]).write({"german_level": "b1"})
        write_log = logs.search([*domain, ("method", "=", "write")])
        self.assertIn(self.role_users["coach1"], write_log.user_id)
        self.assertIn("german_level", write_log.line_ids.mapped("field_name"))
        # Opening her form is logged with who and when.
        self.own.with_user(self.role_users["coach1"]).web_read({"name": {}})
        read_log = logs.search([*domain, ("method", "=", "read")])
        self.assertEqual(read_log.user_id, self.role_users["coach1"])
        action = self.own.with_user(self.manager).action_view_audit_log()
        self.assertEqual(
            logs.with_user(self.manager).search(action["domain"]), logs.search(domain)
        )
        with self.assertRaises(AccessError):
            self.own.with_user(self.staff).action_view_audit_log()
