import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged

GENERATOR = Path(__file__).resolve().parents[1] / "tools" / "bench" / "generate.py"


def load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestBenchData(TransactionCase):
    """The benchmark generator writes data the ORM agrees with (crm is not
    installed here: participants only)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        generate = load_generator()
        cls.generator = generate.Generator(cls.env, 120, commit=False)
        cls.generator.run()
        cls.verify = staticmethod(generate.verify)
        cls.participants = cls.env["integration.participant"].search(
            [("program_id", "in", cls.generator.programs.ids)]
        )

    def test_rows_match_the_orm(self):
        self.assertEqual(len(self.participants), 120)
        self.assertEqual(self.verify(self.env), [])

    def test_caseloads_within_capacity(self):
        caseloads = self.generator.coaches._integration_caseloads()
        for coach in self.generator.coaches:
            self.assertLessEqual(caseloads.get(coach.id, 0), coach.integration_capacity)
        self.assertTrue(all(3 <= load <= 40 for load in caseloads.values()))

    def test_no_course_oversold(self):
        courses = self.participants.enrollment_ids.course_id
        self.assertTrue(courses)
        for course in courses:
            self.assertLessEqual(course.seats_taken, course.seats_max)
        counts = [len(p.enrollment_ids) for p in self.participants]
        self.assertEqual((min(counts), max(counts)), (1, 3))

    def test_history_chatter_followers(self):
        coached = self.participants.filtered("coach_id")
        self.assertTrue(coached)
        for participant in coached[:20]:
            self.assertIn(
                participant.coach_id.partner_id, participant.message_partner_ids
            )
            self.assertEqual(
                participant.last_contact_date,
                max(participant.session_ids.mapped("date")),
            )
        moved = self.participants.filtered(lambda p: p.stage_id != self.stage_first)
        tracked = moved[:20]
        for participant in tracked:
            durations = participant.duration_tracking
            self.assertIn(str(self.stage_first.id), durations)
            self.assertTrue(participant.message_ids)

    @property
    def stage_first(self):
        return self.generator.stages[0]
