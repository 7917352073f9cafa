import json
from pathlib import Path
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.service.model import call_kw
from odoo.tests import tagged

from .common import IntegrationCase

# The calls the web client makes, recorded from the views by
# tools/bench/capture_requests.py: the benchmark replays the same.
REQUESTS = json.loads(
    (Path(__file__).resolve().parents[1] / "tools/bench/requests.json").read_text()
)["participant"]


def recorded(view, method):
    return next(c for c in REQUESTS[view] if c["method"] == method)


@tagged("post_install", "-at_install")
class TestQueryCounts(IntegrationCase):
    """The pipeline's queries do not grow with the number of participants."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tags = cls.env["integration.tag"].create(
            [{"name": f"Scale tag {n}", "color": n} for n in range(3)]
        )
        cls.professions = cls.env["integration.profession"].search([], limit=3)
        cls.coach = cls.env.ref("integration_program.user_coach_01")
        cls.serial = 0

    def add_participants(self, per_stage):
        """Participants in every column, with tags, professions, a coach, sessions
        and activities: what the cards show."""
        vals_list = []
        for stage in self.stage.values():
            for _ in range(per_stage):
                self.serial += 1
                vals_list.append(
                    {
                        "name": f"Scale Participant {self.serial}",
                        "program_id": self.program.id,
                        "stage_id": stage.id,
                        "user_id": self.staff.id,
                        "tag_ids": [Command.set(self.tags[: self.serial % 4].ids)],
                        "target_profession_ids": [
                            Command.set(self.professions[: self.serial % 3 + 1].ids)
                        ],
                    }
                )
        participants = self.env["integration.participant"].create(vals_list)
        self.env["integration.coaching.session"].create(
            [
                {"participant_id": p.id, "coach_id": self.coach.id, "topics": "Plan"}
                for p in participants
            ]
        )
        for participant in participants[::2]:
            participant.activity_schedule(
                "mail.mail_activity_data_todo", user_id=self.staff.id
            )
        return participants

    def call(self, view, method, **kwargs):
        """Replay a recorded call as programme staff, in a fresh cache as a new
        request has."""
        recorded_call = recorded(view, method)
        arguments = {**recorded_call["kwargs"], **kwargs}
        arguments["context"] = {**arguments["context"], "uid": self.staff.id}
        self.env.invalidate_all()
        env = self.env(user=self.staff)
        return call_kw(env[recorded_call["model"]], method, [], arguments)

    def kanban(self):
        domain = [("program_id", "=", self.program.id)]
        result = self.call("kanban", "web_read_group", domain=domain, opening_info=None)
        self.call("kanban", "read_progress_bar", domain=domain)
        return result

    def list_read(self):
        return self.call(
            "list", "web_search_read", domain=[("program_id", "=", self.program.id)]
        )

    def kpis(self):
        self.env.invalidate_all()
        program = self.program.with_user(self.staff)
        return program.participant_count, program.in_coaching_count

    def count_queries(self, function):
        function()  # warm-up: registry caches as in a running server
        before = self.env.cr.sql_log_count
        result = function()
        return self.env.cr.sql_log_count - before, result

    def assert_constant(self, function, check):
        self.add_participants(per_stage=1)
        small, result = self.count_queries(function)
        check(result, 1)
        self.add_participants(per_stage=5)
        with self.assertQueryCount(small):
            result = function()
        check(result, 6)

    def test_kanban_load(self):
        def check(result, per_stage):
            counts = {g["stage_id"][0]: g["__count"] for g in result["groups"]}
            self.assertEqual(counts[self.stage["coaching"].id], per_stage)
            column = next(
                g
                for g in result["groups"]
                if g["stage_id"][0] == self.stage["intake"].id
            )
            self.assertEqual(len(column["__records"]), per_stage)
            self.assertTrue(column["__records"][0]["target_profession_ids"])

        self.assert_constant(self.kanban, check)

    def test_list_read(self):
        def check(result, per_stage):
            self.assertEqual(result["length"], 7 * per_stage)

        self.assert_constant(self.list_read, check)

    def test_kpi_computation(self):
        def check(result, per_stage):
            self.assertEqual(result, (7 * per_stage, 4 * per_stage))

        self.assert_constant(self.kpis, check)

    def funder_kpis(self):
        self.env.invalidate_all()
        today = fields.Date.context_today(self.staff)
        return self.program.with_user(self.staff)._kpi_values(
            today - relativedelta(years=1), today, today
        )

    def test_funder_kpi_computation(self):
        """The funder dashboard's KPIs and breakdowns: one query for all of
        them, however many participants, cohorts and countries."""
        countries = self.env["res.country"].search([], limit=20)

        def check(result, per_stage):
            self.assertEqual(result["enrolled"], 7 * per_stage)
            self.assertEqual(
                sum(row["enrolled"] for row in result["by_country"]), 7 * per_stage
            )
            self.assertEqual(len(result["by_country"]), min(7 * per_stage, 20))

        def add_participants(per_stage):
            participants = TestQueryCounts.add_participants(self, per_stage)
            first = self.serial - len(participants)
            for number, participant in enumerate(participants, start=first):
                participant.country_id = countries[number % len(countries)]
            return participants

        with patch.object(self, "add_participants", add_participants):
            self.assert_constant(self.funder_kpis, check)
