from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, TransactionCase, tagged

from .common import IntegrationCase, committed_env, new_test_user, run_concurrently


@tagged("post_install", "-at_install")
class TestCoaching(IntegrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partners = cls.env["res.partner"]
        cls.provider_a = partners.create(
            {"name": "Provider A", "is_company": True, "is_coaching_provider": True}
        )
        cls.provider_b = partners.create(
            {"name": "Provider B", "is_company": True, "is_coaching_provider": True}
        )
        cls.coach_a1 = cls._coach("coach_a1", cls.provider_a, capacity=2)
        cls.coach_a2 = cls._coach("coach_a2", cls.provider_a, capacity=5)
        cls.coach_b1 = cls._coach("coach_b1", cls.provider_b, capacity=3)
        cls.arabic = cls.env.ref("integration_program.language_ar")

    @classmethod
    def _coach(cls, login, provider, capacity):
        coach = new_test_user(
            cls.env,
            login=login,
            name=login.replace("_", " ").title(),
            groups="integration_program.group_coach",
        )
        coach.write({"parent_id": provider.id, "integration_capacity": capacity})
        return coach

    def test_coach_belongs_to_her_provider(self):
        self.assertEqual(self.coach_a1.integration_provider_id, self.provider_a)
        participant = self.create_participant(coach_id=self.coach_b1.id)
        self.assertEqual(participant.provider_id, self.provider_b)

    def test_assignment_history_on_coach_change(self):
        with freeze_time("2020-01-10"):
            participant = self.create_participant(
                enrollment_date="2019-10-01", coach_id=self.coach_a1.id
            )
        with freeze_time("2020-04-01"):
            participant.coach_id = self.coach_b1
        with freeze_time("2020-06-15"):
            participant.stage_id = self.stage["exited"]
        history = participant.assignment_ids.sorted("date_from")
        self.assertEqual(
            [(a.coach_id, a.provider_id, a.date_from, a.date_to) for a in history],
            [
                (self.coach_a1, self.provider_a, date(2019, 10, 1), date(2020, 4, 1)),
                (self.coach_b1, self.provider_b, date(2020, 4, 1), date(2020, 6, 15)),
            ],
        )
        assignments = self.env["integration.coaching.assignment"]

        def on(day):
            return assignments.search_on(
                day, [("participant_id", "=", participant.id)]
            ).coach_id

        self.assertEqual(on(date(2019, 9, 30)), self.env["res.users"])
        self.assertEqual(on(date(2020, 3, 31)), self.coach_a1)
        self.assertEqual(on(date(2020, 4, 1)), self.coach_b1)
        self.assertEqual(on(date(2020, 6, 15)), self.env["res.users"])
        # She comes back: her coach accompanies her again from that day.
        with freeze_time("2020-09-01"):
            participant.stage_id = self.stage["coaching"]
        self.assertEqual(on(date(2020, 8, 31)), self.env["res.users"])
        self.assertEqual(on(date(2020, 9, 1)), self.coach_b1)
        self.assertEqual(len(participant.assignment_ids), 3)

    def test_assigning_adds_the_coach_as_follower(self):
        participant = self.create_participant()
        participant.coach_id = self.coach_a2
        self.assertIn(self.coach_a2.partner_id, participant.message_partner_ids)

    def test_capacity_is_enforced_and_a_manager_may_override(self):
        self.create_participant(name="First", coach_id=self.coach_a1.id)
        second = self.create_participant(name="Second")
        second.with_user(self.staff).coach_id = self.coach_a1
        third = self.create_participant(name="Third")
        with (
            self.assertRaisesRegex(ValidationError, "capacity of 2 participants"),
            self.env.cr.savepoint(),
        ):
            third.with_user(self.staff).coach_id = self.coach_a1
        third.invalidate_recordset()
        self.assertFalse(third.coach_id)
        self.assertFalse(third.assignment_ids)
        # Staff cannot override, even when asking for it.
        with (
            self.assertRaisesRegex(ValidationError, "all places are taken"),
            self.env.cr.savepoint(),
        ):
            third.with_user(self.staff).with_context(
                integration_capacity_override=True
            ).coach_id = self.coach_a1
        third.with_user(self.manager).with_context(
            integration_capacity_override=True
        ).coach_id = self.coach_a1
        self.assertEqual(third.coach_id, self.coach_a1)
        self.assertEqual(self.coach_a1.integration_caseload, 3)
        # Participants who left free their place.
        second.stage_id = self.stage["exited"]
        self.coach_a1.invalidate_recordset(["integration_caseload"])
        self.assertEqual(self.coach_a1.integration_caseload, 2)

    def test_assign_wizard_proposes_free_coaches_of_the_provider(self):
        self.create_participant(name="One", coach_id=self.coach_a1.id)
        self.create_participant(name="Two", coach_id=self.coach_a1.id)
        self.coach_a2.integration_language_ids = self.arabic
        participant = self.create_participant(language_ids=[(6, 0, self.arabic.ids)])
        action = participant.action_open_assign_wizard()
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.staff)
            .with_context(**action["context"])
        )
        form.provider_id = self.provider_a
        self.assertEqual(form.suggested_coach_ids[:], self.coach_a2)
        form.coach_id = self.coach_a2
        form.save().action_assign()
        self.assertEqual(participant.coach_id, self.coach_a2)

    def test_assign_wizard_shows_each_coach_caseload(self):
        self.create_participant(name="One", coach_id=self.coach_a1.id)
        for name in ("Two", "Three", "Four"):
            self.create_participant(name=name, coach_id=self.coach_a2.id)
        participant = self.create_participant(name="New")
        action = participant.action_open_assign_wizard()
        wizards = (
            self.env[action["res_model"]]
            .with_user(self.staff)
            .with_context(**action["context"])
        )
        # What the web client asks for the dialog's list of coaches.
        columns = ("integration_caseload", "integration_free_capacity")
        spec = {
            "participant_id": {},
            "provider_id": {},
            "suggested_coach_ids": {
                "fields": {"integration_capacity": {}} | {c: {} for c in columns}
            },
        }
        values = wizards.onchange({}, [], spec)["value"]["suggested_coach_ids"]
        shown = {}
        for command in values:
            if command[0] in (Command.LINK, Command.UPDATE):
                shown.setdefault(command[1], {}).update(command[2])
        figures = {
            coach_id: tuple(row[column] for column in columns)
            for coach_id, row in shown.items()
            if coach_id in (self.coach_a1 | self.coach_a2 | self.coach_b1).ids
        }
        self.assertEqual(
            figures,
            {
                self.coach_a1.id: (1, 1),
                self.coach_a2.id: (3, 2),
                self.coach_b1.id: (0, 3),
            },
        )

    def test_an_empty_session_is_refused_and_keeps_the_last_contact(self):
        participant = self.create_participant(coach_id=self.coach_a2.id)
        sessions = self.env["integration.coaching.session"].with_user(self.coach_a2)
        with freeze_time("2020-05-04"):
            sessions.create(
                {"participant_id": participant.id, "topics": "Training plan"}
            )
        self.assertEqual(participant.last_contact_date, date(2020, 5, 4))
        # The Log Session dialog saved untouched (a reload saves open dialogs).
        action = participant.with_user(self.coach_a2).action_log_session()
        with (
            freeze_time("2020-06-01"),
            self.assertRaisesRegex(ValidationError, "The session is empty"),
            self.env.cr.savepoint(),
        ):
            form = Form(sessions.with_context(**action["context"]))
            form.topics = "   "
            form.save()
        participant.invalidate_recordset()
        self.assertEqual(participant.last_contact_date, date(2020, 5, 4))
        self.assertEqual(len(participant.session_ids), 1)
        # An obstacle, the next steps or a note alone is content enough.
        childcare = self.env.ref("integration_program.obstacle_childcare")
        with freeze_time("2020-06-01"):
            sessions.create(
                [
                    {
                        "participant_id": participant.id,
                        "obstacle_ids": [(6, 0, childcare.ids)],
                    },
                    {"participant_id": participant.id, "next_steps": "Call school"},
                    {"participant_id": participant.id, "notes": "<p>Tired</p>"},
                ]
            )
        self.assertEqual(participant.last_contact_date, date(2020, 6, 1))
        # Nor can a logged session be emptied afterwards.
        with self.assertRaisesRegex(ValidationError, "The session is empty"):
            participant.session_ids.filtered("next_steps").with_user(
                self.coach_a2
            ).next_steps = False

    def test_last_contact_date_and_followup(self):
        participant = self.create_participant(coach_id=self.coach_a2.id)
        sessions = self.env["integration.coaching.session"].with_user(self.coach_a2)
        sessions.create(
            {
                "participant_id": participant.id,
                "date": "2020-02-03",
                "mode": "phone",
                "topics": "Childcare",
            }
        )
        sessions.create(
            {
                "participant_id": participant.id,
                "date": "2020-05-04",
                "next_steps": "Send her CV to the care home",
                "followup_date": "2020-05-18",
            }
        )
        sessions.create(
            {"participant_id": participant.id, "date": "2020-03-01", "topics": "CV"}
        )
        self.assertEqual(participant.last_contact_date, date(2020, 5, 4))
        followup = participant.activity_ids
        self.assertEqual(len(followup), 1)
        self.assertEqual(followup.user_id, self.coach_a2)
        self.assertEqual(followup.date_deadline, date(2020, 5, 18))
        with self.assertRaisesRegex(ValidationError, "future date"):
            sessions.create(
                {"participant_id": participant.id, "date": "2999-01-01", "topics": "x"}
            )

    def test_confidential_notes(self):
        participant = self.create_participant(coach_id=self.coach_a2.id)
        session = (
            self.env["integration.coaching.session"]
            .with_user(self.coach_a2)
            .create(
                {"participant_id": participant.id, "notes": "<p>Difficult divorce</p>"}
            )
        )
        self.assertIn("divorce", session.with_user(self.manager).notes)
        with self.assertRaises(AccessError):
            _notes = session.with_user(self.staff).notes
        # A coach of another provider does not see the session at all.
        with self.assertRaises(AccessError):
            session.with_user(self.coach_b1).read(["date"])
        self.assertFalse(
            self.env["integration.participant"]
            .with_user(self.coach_b1)
            .search([("id", "=", participant.id)])
        )

    def test_stale_contact_cron_creates_one_activity_per_participant(self):
        self.env["ir.config_parameter"].set_param(
            "integration_program.stale_contact_days", 30
        )
        participants = self.env["integration.participant"]
        # Only this test's participants: archive the demo's.
        participants.search([]).action_archive()
        stale = self.create_participant(
            name="Stale", enrollment_date="2020-01-01", coach_id=self.coach_a2.id
        )
        never_seen = self.create_participant(
            name="Never Seen", enrollment_date="2020-01-01", coach_id=self.coach_b1.id
        )
        recent = self.create_participant(
            name="Recent", enrollment_date="2020-01-01", coach_id=self.coach_a2.id
        )
        paused = self.create_participant(
            name="Paused",
            enrollment_date="2020-01-01",
            coach_id=self.coach_a2.id,
            is_paused=True,
        )
        self.create_participant(name="No Coach", enrollment_date="2020-01-01")
        sessions = self.env["integration.coaching.session"]
        with freeze_time("2020-05-01"):
            sessions.create(
                {"participant_id": stale.id, "date": "2020-03-15", "topics": "Plan"}
            )
        with freeze_time("2020-05-20"):
            sessions.create(
                {"participant_id": recent.id, "date": "2020-05-10", "topics": "Plan"}
            )
            first_run = participants._cron_schedule_stale_contact_activities()
            self.assertEqual(first_run, stale | never_seen)
            activity_type = self.env.ref(
                "integration_program.mail_activity_type_stale_contact"
            )
            for participant, coach in (
                (stale, self.coach_a2),
                (never_seen, self.coach_b1),
            ):
                activity = participant.activity_ids
                self.assertEqual(activity.activity_type_id, activity_type)
                self.assertEqual(activity.user_id, coach)
            self.assertFalse(recent.activity_ids | paused.activity_ids)
        with freeze_time("2020-05-21"):
            second_run = participants._cron_schedule_stale_contact_activities()
        self.assertFalse(second_run)
        self.assertEqual(len(stale.activity_ids), 1)
        # Logging a session closes the reminder.
        with freeze_time("2020-05-22"):
            sessions.create(
                {"participant_id": stale.id, "date": "2020-05-22", "topics": "Plan"}
            )
        self.assertFalse(stale.activity_ids)

    def test_obstacle_statistics(self):
        participant = self.create_participant(coach_id=self.coach_a2.id)
        other = self.create_participant(name="Other", coach_id=self.coach_b1.id)
        childcare = self.env.ref("integration_program.obstacle_childcare")
        language = self.env.ref("integration_program.obstacle_language")
        sessions = self.env["integration.coaching.session"]
        sessions.create(
            [
                {
                    "participant_id": participant.id,
                    "coach_id": self.coach_a2.id,
                    "date": "2020-02-01",
                    "obstacle_ids": [(6, 0, (childcare | language).ids)],
                },
                {
                    "participant_id": participant.id,
                    "coach_id": self.coach_a2.id,
                    "date": "2020-05-01",
                    "obstacle_ids": [(6, 0, childcare.ids)],
                },
                {
                    "participant_id": other.id,
                    "coach_id": self.coach_b1.id,
                    "date": "2020-05-02",
                    "obstacle_ids": [(6, 0, language.ids)],
                },
            ]
        )
        meeting = self.env["integration.coach.meeting"].create(
            {
                "name": "Test meeting",
                "date": "2020-05-20",
                "program_id": self.program.id,
                "attendee_ids": [(6, 0, (self.coach_a2 | self.coach_b1).ids)],
                "obstacle_ids": [(6, 0, childcare.ids)],
                "solution_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Reserved childcare places",
                            "owner_id": self.manager.id,
                            "deadline": "2020-07-01",
                        },
                    )
                ],
            }
        )
        self.assertEqual(meeting.provider_ids, self.provider_a | self.provider_b)
        solution = meeting.solution_ids
        self.assertEqual(solution.state, "open")
        self.assertEqual(solution.activity_id.user_id, self.manager)
        solution.action_done()
        self.assertEqual(solution.state, "done")
        self.assertFalse(meeting.activity_ids)
        # Marking the activity done in the chatter closes the solution too.
        second = self.env["integration.coach.meeting.solution"].create(
            {
                "meeting_id": meeting.id,
                "name": "Evening language café",
                "owner_id": self.staff.id,
                "deadline": "2020-08-01",
            }
        )
        second.activity_id.with_user(self.staff).action_feedback(feedback="Started")
        self.assertEqual(second.state, "done")

        report = self.env["integration.obstacle.report"]
        self.env.flush_all()
        groups = report._read_group(
            [("program_id", "=", self.program.id)],
            ["obstacle_id", "provider_id", "source"],
            ["__count"],
        )
        counts = {
            (obstacle.name, provider.name, source): count
            for obstacle, provider, source, count in groups
        }
        self.assertEqual(
            counts,
            {
                ("Childcare", "Provider A", "session"): 2,
                ("Language", "Provider A", "session"): 1,
                ("Language", "Provider B", "session"): 1,
                ("Childcare", "Provider A", "meeting"): 1,
                ("Childcare", "Provider B", "meeting"): 1,
            },
        )
        by_quarter = report._read_group(
            [("program_id", "=", self.program.id), ("source", "=", "session")],
            ["date:quarter"],
            ["__count"],
        )
        self.assertEqual([count for _quarter, count in by_quarter], [2, 2])

    def test_caseload_report(self):
        self.create_participant(name="One", coach_id=self.coach_a1.id)
        self.create_participant(
            name="Two", coach_id=self.coach_a1.id, enrollment_date="2019-01-01"
        )
        self.env["integration.coaching.session"].create(
            {
                "participant_id": self.create_participant(name="Three").id,
                "coach_id": self.coach_a1.id,
                "topics": "Application documents",
            }
        )
        self.env.flush_all()
        row = self.env["integration.caseload.report"].search(
            [("coach_id", "=", self.coach_a1.id)]
        )
        self.assertEqual(row.provider_id, self.provider_a)
        self.assertEqual((row.active_count, row.capacity, row.free_capacity), (2, 2, 0))
        self.assertEqual(row.load_percent, 100)
        self.assertEqual(row.sessions_this_month, 1)
        self.assertEqual(row.stale_count, 1)


@tagged("post_install", "-at_install")
class TestConcurrentAssignment(TransactionCase):
    """Two staff members give the coach's last free place to two women at once:
    one assignment holds, the other is refused."""

    def test_last_free_place_given_once(self):
        with committed_env(self.registry) as env:
            provider = env["res.partner"].create(
                {
                    "name": "Race Provider",
                    "is_company": True,
                    "is_coaching_provider": True,
                }
            )
            coach = new_test_user(
                env, login="race_coach", groups="integration_program.group_coach"
            )
            coach.write({"parent_id": provider.id, "integration_capacity": 1})
            program = env["integration.program"].create(
                {"name": "Race", "code": "RACE"}
            )
            participants = env["integration.participant"].create(
                [{"name": f"Racer {n}", "program_id": program.id} for n in (1, 2)]
            )
            provider_id, coach_id, program_id, participant_ids = (
                provider.id,
                coach.id,
                program.id,
                participants.ids,
            )

        def assign(participant_id):
            def work(env):
                env["integration.participant"].browse(
                    participant_id
                ).coach_id = coach_id
                return "assigned"

            return work

        try:
            outcomes = run_concurrently(
                self.registry, *(assign(pid) for pid in participant_ids)
            )
            self.assertIn("assigned", outcomes)
            refused = [o for o in outcomes if isinstance(o, ValidationError)]
            self.assertEqual(len(refused), 1, outcomes)
            with committed_env(self.registry) as env:
                self.assertEqual(
                    env["res.users"].browse(coach_id).integration_caseload, 1
                )
        finally:
            with committed_env(self.registry) as env:
                participants = env["integration.participant"].browse(participant_ids)
                partners = participants.partner_id
                participants.unlink()
                partners.unlink()
                env["integration.program"].browse(program_id).unlink()
                env["res.users"].browse(coach_id).unlink()
                env["res.partner"].browse(provider_id).unlink()
