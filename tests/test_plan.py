from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import OrganisationsCase


class TestPlan(OrganisationsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coach = cls.role_users["coach1"]
        cls.today = fields.Date.context_today(cls.env["integration.plan"])

    def _plan(self, participant=None, user=None, goals=None):
        """A draft with goals {name: [(step, owner, due, status)]}."""
        goals = goals or {
            "German B1": [
                ("Enrol in the B1 course", "participant", self.today, "todo"),
                ("Find childcare for the course", "coach", self.today, "todo"),
            ],
        }
        return (
            self.env["integration.plan"]
            .with_user(user or self.coach)
            .create(
                {
                    "participant_id": (participant or self.own).id,
                    "goal_ids": [
                        (
                            0,
                            0,
                            {
                                "name": goal,
                                "step_ids": [
                                    (
                                        0,
                                        0,
                                        {
                                            "name": step,
                                            "owner": owner,
                                            "date_due": due,
                                            "status": status,
                                        },
                                    )
                                    for step, owner, due, status in steps
                                ],
                            },
                        )
                        for goal, steps in goals.items()
                    ],
                }
            )
        )

    def test_an_agreed_version_cannot_change(self):
        plan = self._plan()
        self.assertEqual((plan.version, plan.state), (1, "draft"))
        plan.action_agree()
        self.assertEqual(plan.state, "agreed")
        self.assertEqual(plan.date_agreed, self.today)
        goal = plan.goal_ids
        step = plan.step_ids[0]
        for record, vals in (
            (plan, {"note": "Changed afterwards"}),
            (plan, {"user_id": self.staff.id}),
            (goal, {"name": "Another goal"}),
            (step, {"name": "Another step"}),
            (step, {"date_due": self.today + timedelta(days=30)}),
            (step, {"owner": "staff"}),
        ):
            with self.assertRaises(UserError, msg=f"{record._name} {vals}"):
                record.with_user(self.coach).write(vals)
        with self.assertRaises(UserError):
            self.env["integration.plan.goal"].with_user(self.coach).create(
                {"plan_id": plan.id, "name": "Sneaked in"}
            )
        with self.assertRaises(UserError):
            self.env["integration.plan.step"].with_user(self.coach).create(
                {"goal_id": goal.id, "name": "Sneaked in"}
            )
        for record in (step, goal, plan):
            with self.assertRaises(UserError):
                record.with_user(self.staff).unlink()
        with self.assertRaises(UserError):
            plan.action_agree()
        # Ticking a step off is progress against the agreement, not a change.
        step.with_user(self.coach).status = "done"
        self.assertEqual(step.date_done, self.today)
        self.assertEqual(plan.progress, 50)

    def test_new_version_starts_from_the_last_and_supersedes_it(self):
        first = self._plan()
        first.action_agree()
        first.step_ids[0].status = "done"
        action = first.with_user(self.coach).action_new_version()
        second = self.env["integration.plan"].browse(action["res_id"])
        self.assertEqual((second.version, second.state), (2, "draft"))
        self.assertEqual(second.goal_ids.mapped("name"), ["German B1"])
        self.assertEqual(
            second.step_ids.mapped("status"), first.step_ids.mapped("status")
        )
        self.assertEqual(second.progress, 50)
        # The draft changes freely; the agreed version stays as it was.
        second.goal_ids.name = "German B2"
        second.step_ids[1].date_due = self.today + timedelta(days=60)
        self.assertEqual(first.goal_ids.name, "German B1")
        self.assertEqual(first.step_ids[1].date_due, self.today)
        # One draft at a time.
        with self.assertRaises(UserError):
            first.action_new_version()
        second.action_agree()
        self.assertEqual(first.state, "superseded")
        self.assertEqual(second.state, "agreed")
        self.assertEqual(self.own.plan_progress, 50)

    def test_created_as_draft_and_agreed_only_with_steps(self):
        plan = self.env["integration.plan"].create(
            {
                "participant_id": self.own.id,
                "state": "agreed",
                "date_agreed": "2026-01-01",
            }
        )
        self.assertEqual((plan.state, plan.date_agreed), ("draft", False))
        with self.assertRaises(ValidationError):
            plan.action_agree()
        plan.goal_ids = [(0, 0, {"name": "Driving licence"})]
        with self.assertRaises(ValidationError):
            plan.action_agree()
        # Nor agreed by writing its state: the checks above would be skipped.
        with self.assertRaises(UserError):
            plan.with_user(self.coach).write({"state": "agreed"})
        with self.assertRaises(UserError):
            plan.with_user(self.coach).write({"date_agreed": "2026-01-01"})

    def test_progress_per_goal_and_plan(self):
        plan = self._plan(
            goals={
                "German B1": [
                    ("Enrol", "participant", self.today, "done"),
                    ("Pass the exam", "participant", self.today, "todo"),
                    ("Evening course", "participant", self.today, "cancelled"),
                ],
                "Childcare": [("Kita place", "coach", self.today, "done")],
            }
        )
        german, childcare = plan.goal_ids
        self.assertEqual(german.progress, 50)
        self.assertEqual(childcare.progress, 100)
        self.assertEqual(plan.progress, 75)
        self.assertEqual(plan.step_open_count, 1)
        self.assertEqual(self.own.plan_progress, 75)
        german.step_ids.filtered(lambda s: s.status == "todo").status = "in_progress"
        self.assertEqual(plan.progress, 75)
        german.step_ids.filtered(lambda s: s.status == "in_progress").status = "done"
        self.assertEqual(plan.progress, 100)
        self.assertEqual(plan.step_open_count, 0)

    def test_overdue_steps_become_one_activity_of_their_owner(self):
        yesterday = self.today - timedelta(days=1)
        self.own.user_id = self.staff
        plan = self._plan(
            goals={
                "Work": [
                    ("Write a CV", "participant", yesterday, "todo"),
                    ("Call the employer", "coach", yesterday, "in_progress"),
                    ("Book the language test", "staff", yesterday, "todo"),
                    ("Already done", "coach", yesterday, "done"),
                    ("Not due yet", "coach", self.today, "todo"),
                ]
            }
        )
        Step = self.env["integration.plan.step"]
        # A draft was not agreed: nothing to remind of yet.
        self.assertFalse(Step._cron_overdue_step_activities())
        plan.action_agree()
        self.assertEqual(
            Step.search([("is_overdue", "=", True), ("plan_id", "=", plan.id)]),
            plan.step_ids[:3],
        )
        handled = Step._cron_overdue_step_activities()
        self.assertEqual(handled, plan.step_ids[:3])
        activities = plan.activity_ids
        self.assertEqual(len(activities), 3)
        self.assertEqual(
            sorted(activity.user_id.login for activity in activities),
            sorted([self.coach.login, self.coach.login, self.staff.login]),
        )
        self.assertIn("Write a CV", " ".join(activities.mapped("summary")))
        # The next day: the same steps are still overdue, no second activity.
        self.assertFalse(Step._cron_overdue_step_activities())
        activities[0].action_feedback(feedback="Done by phone")
        self.assertFalse(Step._cron_overdue_step_activities())
        self.assertEqual(len(plan.activity_ids), 2)
        # A new version's steps are new promises: reminded once again.
        second = self.env["integration.plan"].browse(
            plan.action_new_version()["res_id"]
        )
        second.action_agree()
        self.assertEqual(len(Step._cron_overdue_step_activities()), 3)
        self.assertFalse(
            Step.search([("is_overdue", "=", True), ("plan_id", "=", plan.id)])
        )

    def test_coaches_see_only_their_providers_plans(self):
        plan = self._plan()
        plan.action_agree()
        coach2 = self.role_users["coach2"]
        self.assertFalse(
            self.env["integration.plan"]
            .with_user(coach2)
            .search([("id", "=", plan.id)])
        )
        for records in (plan, plan.goal_ids, plan.step_ids):
            with self.assertRaises(AccessError):
                records.with_user(coach2).read(["display_name"])
        with self.assertRaises(AccessError):
            self._plan(user=coach2)
        for role in ("jobcenter1", "school1"):
            with self.assertRaises(AccessError, msg=role):
                plan.with_user(self.role_users[role]).read(["note"])
