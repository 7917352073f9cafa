from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import format_date

from odoo.addons.integration_program.models.integration_program_demo import (
    DEMO_SEED_DAY,
)

from .common import IntegrationCase


@tagged("post_install", "-at_install")
class TestDemoLivesToday(IntegrationCase):
    """The demo tells the city's story of mid-2020 as of the day it was
    installed (the tests run on the day of the install, in the same database)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The day of the install (the tests may run a day later).
        cls.today = cls.env["integration.program"]._demo_day()
        cls.swi = cls.env.ref("integration_program.program_social_economy")
        cls.demo = (
            cls.env["integration.participant"]
            .with_context(active_test=False)
            .search(
                [
                    (
                        "program_id",
                        "in",
                        [
                            cls.swi.id,
                            cls.env.ref("integration_program.program_trades").id,
                        ],
                    )
                ]
            )
        )

    def moved(self, seed_date):
        """Where a date of the seed lands in the demo."""
        return seed_date + (self.today - DEMO_SEED_DAY)

    def test_figures_hold_as_of_today(self):
        report = self.env["integration.funder.report"].create(
            {"program_id": self.swi.id, "reference_date": self.today}
        )
        self.assertEqual(
            (
                report.enrolled,
                report.in_coaching,
                report.in_employment,
                report.training_started,
            ),
            (155, 106, 14, 37),
        )
        target = report._targets()
        self.assertEqual(
            (target.actual_value, target.target_value, target.status),
            (51, 50, "reached"),
        )
        self.assertLessEqual(self.swi.date_start, self.today)
        self.assertGreater(self.swi.date_end, self.today)

    def test_no_date_in_the_future_nor_years_ago(self):
        self.assertEqual(len(self.demo), 161)
        self.assertLessEqual(max(self.demo.mapped("enrollment_date")), self.today)
        active = self.demo.filtered(lambda p: p.milestone != "exited")
        days_in_stage = active.mapped("days_in_stage")
        self.assertGreaterEqual(min(days_in_stage), 0)
        # Nobody in one stage for years (the frozen demo showed 2347 days).
        self.assertLess(max(days_in_stage), 3 * 365)
        contacts = active.filtered("coach_id").filtered(lambda p: not p.is_paused)
        since_contact = [
            (self.today - participant.last_contact_date).days
            for participant in contacts
        ]
        self.assertGreaterEqual(min(since_contact), 0)
        self.assertLessEqual(max(since_contact), 60)
        sessions = self.env["integration.coaching.session"].search(
            [("participant_id", "in", self.demo.ids)]
        )
        self.assertLessEqual(max(sessions.mapped("date")), self.today)
        # Weeks run as they did: the 7th orientation cohort starts 24 days on.
        seventh = self.env.ref("integration_program.course_orientation_7")
        self.assertEqual(seventh.date_start, self.today + timedelta(days=24))

    def test_status_bar_counts_the_time_in_her_stage(self):
        woman = self.demo.filtered(lambda p: p.milestone == "training")[0]
        seconds = woman.duration_tracking[str(woman.stage_id.id)]
        self.assertAlmostEqual(seconds / 86400, woman.days_in_stage, delta=1)
        created = woman.message_ids.filtered(
            lambda m: m.message_type == "notification"
        )[-1:]
        self.assertEqual(created.date.date(), woman.enrollment_date)

    def test_sessions_this_month(self):
        self.env.flush_all()
        rows = self.env["integration.caseload.report"].search_read(
            [], ["sessions_this_month"]
        )
        self.assertGreater(sum(row["sessions_this_month"] for row in rows), 0)

    def test_no_contact_activities_spread(self):
        """A handful of women lack a recent contact; their coaches' reminders
        fall due on the days their contact lapsed, not all today. (The cron
        may have run already, on a started server: its reminders count.)"""
        activity_type = self.env.ref(
            "integration_program.mail_activity_type_stale_contact"
        )
        self.env["integration.participant"]._cron_schedule_stale_contact_activities()
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "integration.participant"),
                ("res_id", "in", self.demo.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        self.assertTrue(3 <= len(activities) <= 30, len(activities))
        deadlines = set(activities.mapped("date_deadline"))
        self.assertGreater(len(deadlines), 1)
        today = fields.Date.context_today(activities)
        self.assertLessEqual(max(deadlines), today)
        self.assertGreaterEqual(min(deadlines), today - timedelta(days=30))
        self.assertEqual(
            set(activities.mapped("summary")), {"Seit mehr als 30 Tagen kein Kontakt"}
        )

    def test_a_few_women_due_for_anonymisation(self):
        """The retention period ended for a few of the 36 women who left (the
        cron may have anonymised them already, on a started server)."""
        exited = self.demo.filtered(lambda p: p.milestone == "exited")
        self.assertEqual(len(exited), 36)
        due = exited.filtered("anonymization_due")
        done = exited.filtered("is_anonymized")
        self.assertTrue(1 <= len(due | done) <= 6, len(due | done))
        queued = self.env["integration.participant"]._cron_anonymize_expired()
        self.assertEqual(queued & self.demo, due)

    def test_texts_quote_the_moved_days(self):
        """Her consent note was written while the demo loaded: it quotes the day
        of her consent as the demo shows it, not the seed's."""
        consent = self.env.ref("integration_program.demo_consent_001")
        note = consent.participant_id.message_ids.filtered(
            lambda message: "Einwilligung erfasst" in (message.body or "")
        )
        self.assertEqual(len(note), 1)
        quoted = format_date(self.env(context={"lang": "de_DE"}), consent.date_given)
        self.assertIn(f"erteilt am {quoted}", note.body)
        self.assertEqual(self.env.ref("base.main_company").name, "Stadt Kassel")
