import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

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

    def test_coaches_copied_in_sql_are_like_the_orm_ones(self):
        """Coaches beyond the first are copies of her rows: groups, company,
        provider and contact as the ORM computes them."""
        template, *copies = self.generator.coaches
        self.assertTrue(copies)
        self.env.invalidate_all()
        for coach in copies[:10]:
            self.assertEqual(coach.group_ids, template.group_ids)
            self.assertEqual(coach.company_ids, template.company_ids)
            self.assertTrue(coach.has_group("integration_program.group_coach"))
            self.assertTrue(coach.login.startswith("bench_coach_"))
            self.assertNotEqual(coach.partner_id, template.partner_id)
            provider = coach.partner_id.parent_id
            self.assertTrue(provider.is_coaching_provider)
            stored = (
                coach.integration_provider_id,
                coach.partner_id.commercial_partner_id,
                coach.partner_id.complete_name,
            )
            self.env.add_to_compute(coach._fields["integration_provider_id"], coach)
            partner_fields = coach.partner_id._fields
            for name in ("commercial_partner_id", "complete_name"):
                self.env.add_to_compute(partner_fields[name], coach.partner_id)
            self.assertEqual(
                stored,
                (
                    coach.integration_provider_id,
                    coach.partner_id.commercial_partner_id,
                    coach.partner_id.complete_name,
                ),
            )
            self.assertEqual(stored[0], provider)

    def test_programmes_carry_period_and_targets(self):
        for program in self.generator.programs:
            self.assertTrue(program.date_start)
            self.assertEqual(len(program.target_ids), 2)
        kpis = self.generator.programs[0]._kpi_values(
            self.generator.programs[0].date_start,
            self.generator.today,
            self.generator.today,
        )
        self.assertGreater(kpis["enrolled"], 0)

    def test_programme_figures_built_from_the_rows(self):
        """The bulk is written with the figures' triggers off: afterwards they
        are on again, and the facts and snapshots are what the rows give."""
        cr = self.env.cr
        cr.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger"
            " WHERE tgname LIKE 'integration_kpi_%' AND NOT tgisinternal"
            " AND tgenabled = 'D'"
        )
        self.assertEqual(cr.fetchall(), [])
        figures = self.env["integration.kpi"]
        for left, right in (
            (figures._facts(), figures._facts(fresh=True)),
            (figures._facts(fresh=True), figures._facts()),
        ):
            cr.execute(SQL("SELECT * FROM %s a EXCEPT SELECT * FROM %s b", left, right))
            self.assertEqual(cr.fetchall(), [])
        cr.execute(
            "SELECT COUNT(*) FROM integration_kpi_fact WHERE program_id = ANY(%s)",
            [self.generator.programs.ids],
        )
        self.assertEqual(cr.fetchone()[0], 120)
        program = self.generator.programs[0]
        params = figures._params(program, program.date_start, self.generator.today)
        self.assertIsNotNone(figures._snapshot_kpi_rows(params))
        self.assertEqual(
            figures._kpi_rows(params), figures._kpi_rows(params, fresh=True)
        )

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
