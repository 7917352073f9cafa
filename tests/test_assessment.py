from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form

from .common import OrganisationsCase


class TestAssessment(OrganisationsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.areas = cls.env["integration.assessment.area"].search([])
        cls.language = cls.env.ref("integration_program.assessment_area_language")
        cls.childcare = cls.env.ref("integration_program.assessment_area_childcare")

    def _assess(self, participant, user, scores, date=None):
        form = Form(
            self.env["integration.assessment"]
            .with_user(user)
            .with_context(default_participant_id=participant.id)
        )
        if date:
            form.date = date
        for index in range(len(form.line_ids)):
            with form.line_ids.edit(index) as line:
                if line.area_id.id in scores:
                    line.score = scores[line.area_id.id]
        return form.save()

    def test_entry_then_review_starts_from_the_last_scores(self):
        coach = self.role_users["coach1"]
        entry = self._assess(
            self.own,
            coach,
            {self.language.id: "1", self.childcare.id: "2"},
            date="2026-01-10",
        )
        self.assertEqual(entry.kind, "entry")
        self.assertEqual(entry.line_ids.area_id, self.areas)
        self.assertEqual(entry.obstacle_count, 2)
        self.assertAlmostEqual(entry.score_avg, 1.5)

        review = self._assess(self.own, coach, {self.language.id: "3"})
        self.assertEqual(review.kind, "review")
        scores = {line.area_id: line.score for line in review.line_ids}
        self.assertEqual(scores[self.language], "3")
        # Not touched in the review: the score of her entry assessment stays.
        self.assertEqual(scores[self.childcare], "2")
        self.assertEqual(review.obstacle_count, 1)
        self.assertEqual(self.own.assessment_count, 2)

    def test_chart_shows_her_change_per_area(self):
        self._assess(self.own, self.staff, {self.language.id: "1"}, date="2026-01-10")
        self._assess(self.own, self.staff, {self.language.id: "4"})
        self._assess(self.other, self.staff, {self.language.id: "5"})
        action = self.own.action_view_assessment_chart()
        self.assertEqual(action["res_model"], "integration.assessment.line")
        self.assertIn("graph", action["view_mode"])
        groups = self.env["integration.assessment.line"]._read_group(
            action["domain"] + [("area_id", "=", self.language.id)],
            ["date:day"],
            ["score_value:avg"],
        )
        self.assertEqual([avg for _date, avg in groups], [1, 4])

    def test_future_date_and_double_area_refused(self):
        with self.assertRaises(ValidationError):
            self.env["integration.assessment"].create(
                {"participant_id": self.own.id, "date": "2999-01-01"}
            )
        with self.assertRaises(ValidationError):
            self.env["integration.assessment"].create(
                {
                    "participant_id": self.own.id,
                    "line_ids": [
                        (0, 0, {"area_id": self.language.id, "score": "2"}),
                        (0, 0, {"area_id": self.language.id, "score": "3"}),
                    ],
                }
            )

    def test_coaches_see_only_their_providers_assessments(self):
        own = self._assess(self.own, self.role_users["coach1"], {self.language.id: "2"})
        coach2 = self.role_users["coach2"]
        Assessment = self.env["integration.assessment"].with_user(coach2)
        self.assertFalse(Assessment.search([("id", "=", own.id)]))
        self.assertFalse(
            self.env["integration.assessment.line"]
            .with_user(coach2)
            .search([("assessment_id", "=", own.id)])
        )
        with self.assertRaises(AccessError):
            own.with_user(coach2).read(["note"])
        with self.assertRaises(AccessError):
            Assessment.create({"participant_id": self.own.id})
        # Nor can she move her own participant's assessment onto this one.
        theirs = self._assess(self.other, coach2, {self.language.id: "3"})
        with self.assertRaises(AccessError):
            theirs.with_user(coach2).participant_id = self.own
        for role in ("jobcenter1", "school1"):
            with self.assertRaises(AccessError, msg=role):
                own.with_user(self.role_users[role]).read(["date"])
