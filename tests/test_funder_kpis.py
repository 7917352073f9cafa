from contextlib import contextmanager

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import IntegrationCase, new_test_user

KPIS = (
    "enrolled",
    "in_coaching",
    "training_started",
    "in_employment",
    "paused",
    "exited",
    "placement_dropouts",
)


@tagged("post_install", "-at_install")
class FunderCase(IntegrationCase):
    """A programme year (2020) with known events at known dates.

    - Amina: enrolled 15 Nov 2019 with coach A1; training from 1 Mar 2020.
    - Bahar: enrolled 10 Feb 2020 with coach A1; left 20 May 2020 (moved away),
      came back 1 Jul 2020 (coaching restarts then).
    - Chiara: enrolled 1 Mar 2020 with coach B1; an insured employment from
      1 Apr 2020 dropped on 25 Apr 2020, another one from 1 Sep 2020.
    - Dilan: enrolled 1 Apr 2020 without coach; paused from 1 Jun 2020, left
      15 Oct 2020 (family duties).
    - Elif: in the sister programme since 1 Feb 2020 (training from 1 May 2020)
      and in this one from 1 Aug 2020, as a second participant record of the
      same woman.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.write({"date_start": "2020-01-01", "date_end": "2020-12-31"})
        cls.sister = cls.env["integration.program"].create(
            {"name": "Sister Programme", "code": "SIS"}
        )
        partners = cls.env["res.partner"]
        cls.provider_a = partners.create(
            {"name": "Provider A", "is_company": True, "is_coaching_provider": True}
        )
        cls.provider_b = partners.create(
            {"name": "Provider B", "is_company": True, "is_coaching_provider": True}
        )
        cls.coach_a1 = cls._coach("funder_coach_a1", cls.provider_a)
        cls.coach_b1 = cls._coach("funder_coach_b1", cls.provider_b)
        cls.employer = partners.create({"name": "Care Home", "is_company": True})
        cls.syria = cls.env.ref("base.sy")
        cls.eritrea = cls.env.ref("base.er")
        cls.reason_family = cls.env.ref("integration_program.exit_reason_family")

        with cls.on_day("2019-11-15"):
            cls.amina = cls.create_participant(
                "Amina Funder",
                enrollment_date="2019-11-15",
                stage_id=cls.stage["coaching"].id,
                coach_id=cls.coach_a1.id,
                country_id=cls.syria.id,
                email="amina@example.com",
            )
        with cls.on_day("2020-02-10"):
            cls.bahar = cls.create_participant(
                "Bahar Funder",
                enrollment_date="2020-02-10",
                stage_id=cls.stage["coaching"].id,
                coach_id=cls.coach_a1.id,
                country_id=cls.syria.id,
                phone="+49 561 000000",
            )
        with cls.on_day("2020-03-01"):
            cls.chiara = cls.create_participant(
                "Chiara Funder",
                enrollment_date="2020-03-01",
                stage_id=cls.stage["qualification"].id,
                coach_id=cls.coach_b1.id,
                country_id=cls.eritrea.id,
            )
            cls.place(cls.amina, "training", "2020-03-01")
        with cls.on_day("2020-04-01"):
            cls.dilan = cls.create_participant(
                "Dilan Funder",
                enrollment_date="2020-04-01",
                stage_id=cls.stage["orientation"].id,
            )
            cls.dropped_job = cls.place(cls.chiara, "employment", "2020-04-01")
        with cls.on_day("2020-04-25"):
            cls.dropped_job.write(
                {
                    "state": "dropped",
                    "date_end": "2020-04-25",
                    "drop_reason": "Night shifts and no childcare",
                }
            )
        with cls.on_day("2020-02-01"):
            cls.elif_sister = cls.env["integration.participant"].create(
                {
                    "name": "Elif Funder",
                    "program_id": cls.sister.id,
                    "enrollment_date": "2020-02-01",
                }
            )
        with cls.on_day("2020-05-01"):
            cls.place(cls.elif_sister, "training", "2020-05-01")
        with cls.on_day("2020-05-20"):
            cls._exit(cls.bahar, cls.reason_moved)
        with cls.on_day("2020-06-01"):
            cls.env["integration.participant.pause.wizard"].create(
                {
                    "participant_ids": cls.dilan.ids,
                    "pause_reason": "Courses suspended",
                    "pause_date_start": "2020-06-01",
                }
            ).action_confirm()
        with cls.on_day("2020-07-01"):
            cls.bahar.stage_id = cls.stage["coaching"]
        with cls.on_day("2020-08-01"):
            cls.elif_here = cls.create_participant(
                "Elif Funder",
                enrollment_date="2020-08-01",
                partner_id=cls.elif_sister.partner_id.id,
            )
        with cls.on_day("2020-09-01"):
            cls.place(cls.chiara, "employment", "2020-09-01")
        with cls.on_day("2020-10-15"):
            cls._exit(cls.dilan, cls.reason_family)

    @classmethod
    def _coach(cls, login, provider):
        coach = new_test_user(
            cls.env,
            login=login,
            name=login.replace("_", " ").title(),
            groups="integration_program.group_coach",
        )
        coach.write({"parent_id": provider.id, "integration_capacity": 10})
        return coach

    @classmethod
    def place(cls, participant, placement_type, date_start):
        return cls.env["integration.placement"].create(
            {
                "participant_id": participant.id,
                "placement_type": placement_type,
                "partner_id": cls.employer.id,
                "date_start": date_start,
                "state": "active",
            }
        )

    @classmethod
    def _flush_tracking(cls):
        cls.env.flush_all()
        cls.env.cr.precommit.run()

    @classmethod
    @contextmanager
    def on_day(cls, day):
        """Do it on ``day``, and log its tracking then, as a request would."""
        with freeze_time(day):
            yield
            cls._flush_tracking()

    @classmethod
    def _exit(cls, participant, reason):
        cls.env["integration.participant.exit.wizard"].create(
            {
                "participant_ids": participant.ids,
                "exit_reason_id": reason.id,
            }
        ).action_confirm()

    def kpis(self, reference_date, program=None):
        values = (program or self.program)._kpi_values(
            "2020-01-01", "2020-12-31", reference_date
        )
        return {key: values[key] for key in KPIS}, values


class TestFunderKpis(FunderCase):
    def test_before_the_period_nothing_counts(self):
        kpis, values = self.kpis("2019-12-31")
        self.assertEqual(kpis, dict.fromkeys(KPIS, 0))
        self.assertEqual(values["by_provider"], [])
        self.assertEqual(values["exit_reasons"], [])

    def test_during_the_period(self):
        kpis, _values = self.kpis("2020-04-25")
        self.assertEqual(
            kpis,
            {
                # Bahar, Chiara, Dilan; Amina enrolled before the period.
                "enrolled": 3,
                "in_coaching": 3,
                "training_started": 1,
                # Chiara's job ended the day she dropped it.
                "in_employment": 0,
                "paused": 0,
                "exited": 0,
                "placement_dropouts": 1,
            },
        )
        kpis, _values = self.kpis("2020-04-24")
        self.assertEqual(kpis["in_employment"], 1)
        self.assertEqual(kpis["placement_dropouts"], 0)

    def test_exit_and_reentry(self):
        kpis, values = self.kpis("2020-06-15")
        # Bahar is out of coaching between her exit and her return, and her exit
        # counts although she came back.
        self.assertEqual(kpis["in_coaching"], 2)
        self.assertEqual(kpis["exited"], 1)
        self.assertEqual(kpis["paused"], 1)
        self.assertEqual(
            [(r["label"], r["count"]) for r in values["exit_reasons"]],
            [(self.reason_moved.name, 1)],
        )
        kpis, _values = self.kpis("2020-07-01")
        self.assertEqual(kpis["in_coaching"], 3)
        self.assertFalse(self.bahar.exit_date)

    def test_after_the_period(self):
        expected = {
            # Bahar, Chiara, Dilan, Elif (here since August).
            "enrolled": 4,
            "in_coaching": 3,
            # Elif's training belongs to the sister programme.
            "training_started": 1,
            "in_employment": 1,
            "paused": 0,
            "exited": 2,
            "placement_dropouts": 1,
        }
        kpis, values = self.kpis("2021-03-31")
        self.assertEqual(kpis, expected)
        self.assertEqual(values["as_of"].isoformat(), "2020-12-31")
        # Dilan is paused until she left, and she left on 15 October.
        kpis, _values = self.kpis("2020-10-14")
        self.assertEqual(kpis["paused"], 1)
        self.assertEqual(kpis["exited"], 1)
        self.assertEqual(
            sorted((r["label"], r["count"]) for r in values["exit_reasons"]),
            sorted([(self.reason_moved.name, 1), (self.reason_family.name, 1)]),
        )

    def test_participants_in_two_programmes(self):
        kpis, _values = self.kpis("2020-12-31", self.sister)
        self.assertEqual(kpis["enrolled"], 1)
        self.assertEqual(kpis["training_started"], 1)
        # Here she counts from her enrolment here, without her training there.
        kpis, _values = self.kpis("2020-07-31")
        self.assertEqual((kpis["enrolled"], kpis["training_started"]), (3, 1))
        kpis, _values = self.kpis("2020-12-31")
        self.assertEqual((kpis["enrolled"], kpis["training_started"]), (4, 1))

    def test_breakdowns(self):
        _kpis, values = self.kpis("2020-12-31")

        def table(name, *keys):
            # Rows are named when shown (a programme has thousands of cohorts).
            rows = self.env["integration.kpi"]._label_rows(values, name)
            return {row["label"]: tuple(row[key] for key in keys) for row in rows}

        self.assertEqual(
            table("by_provider", "enrolled", "in_coaching", "exited"),
            {
                "Provider A": (1, 2, 1),
                "Provider B": (1, 1, 0),
                "(none)": (2, 0, 1),
            },
        )
        self.assertEqual(
            table("by_country", "enrolled", "training_started"),
            {
                self.syria.name: (1, 1),
                self.eritrea.name: (1, 0),
                "(none)": (2, 0),
            },
        )
        self.assertEqual(
            table("by_year", "enrolled", "in_coaching"),
            {"2019": (0, 1), "2020": (4, 2)},
        )

    def test_cohort_breakdown(self):
        course = self.env["integration.course"].create(
            {
                "program_id": self.program.id,
                "course_type_id": self.env.ref(
                    "integration_program.course_type_orientation"
                ).id,
                "date_start": "2020-03-02",
                "seats_max": 1,
            }
        )
        enrollments = self.env["integration.enrollment"]
        for participant in (self.bahar, self.chiara):
            enrollments |= enrollments.create(
                {"course_id": course.id, "participant_id": participant.id}
            )
        self.assertEqual(enrollments.mapped("state"), ["enrolled", "waitlist"])
        _kpis, values = self.kpis("2020-12-31")
        cohorts = {row["key"]: row["enrolled"] for row in values["by_cohort"]}
        # Chiara only waits for a seat: she is no member of the cohort.
        self.assertEqual(cohorts, {course.id: 1, None: 3})
        _kpis, values = self.kpis("2020-03-01")
        self.assertNotIn(course.id, [row["key"] for row in values["by_cohort"]])

    def test_dashboard_shows_the_kpis(self):
        report = (
            self.env["integration.funder.report"]
            .with_user(self.staff)
            .create({"program_id": self.program.id, "reference_date": "2020-06-15"})
        )
        self.assertEqual(
            (report.date_from.isoformat(), report.date_to.isoformat()),
            ("2020-01-01", "2020-12-31"),
        )
        self.assertEqual(
            (report.enrolled, report.in_coaching, report.exited, report.paused),
            (3, 2, 1, 1),
        )
        self.assertIn("Provider A", report.breakdown_html)
        self.assertEqual(report.display_name, "Test Programme as of 06/15/2020")
        with Form(report) as form:
            form.reference_date = "2020-12-31"
        self.assertEqual((report.enrolled, report.in_employment), (4, 1))

    def test_period_must_be_ordered(self):
        with self.assertRaisesRegex(ValidationError, "cannot end"):
            self.env["integration.funder.report"].create(
                {
                    "program_id": self.program.id,
                    "date_from": "2020-12-31",
                    "date_to": "2020-01-01",
                    "reference_date": "2020-06-01",
                }
            )

    def test_coaches_see_no_funder_report(self):
        with self.assertRaises(AccessError):
            self.env["integration.funder.report"].with_user(self.coach_a1).create(
                {"program_id": self.program.id}
            )
        with self.assertRaises(AccessError):
            self.env["integration.target"].with_user(self.coach_a1).search([])


class TestFunderTargets(FunderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.target = cls.env["integration.target"].create(
            {
                "name": "Into training or employment",
                "program_id": cls.program.id,
                "date_from": "2020-01-01",
                "date_to": "2020-12-31",
                "count_training": True,
                "count_employment": True,
                "target_value": 4,
            }
        )

    def on(self, reference_date, target=None):
        target = (target or self.target).with_context(reference_date=reference_date)
        return (
            target.actual_value,
            round(target.progress),
            target.forecast_value,
            target.status,
        )

    def test_actual_forecast_and_status_by_reference_date(self):
        self.assertEqual(self.on("2019-12-31"), (0, 0, 0, "not_started"))
        # Amina's training (1 March) and Chiara's first job (1 April, dropped the
        # same month: it started); 2 in 122 days make 6 in 366.
        self.assertEqual(self.on("2020-05-01"), (2, 50, 6, "on_track"))
        # Nothing more until December: the pace falls below the target.
        self.assertEqual(self.on("2020-11-30"), (2, 50, 2, "at_risk"))
        # Chiara's second job does not count her twice.
        self.assertEqual(self.on("2021-06-30"), (2, 50, 2, "missed"))
        self.target.target_value = 2
        self.assertEqual(self.on("2020-05-01"), (2, 100, 6, "reached"))

    def test_funder_defaults_to_the_programme_funder(self):
        ministry = self.env["res.partner"].create({"name": "Ministry"})
        self.sister.funder_id = ministry
        with Form(self.env["integration.target"]) as form:
            form.name = "Orientation"
            form.program_id = self.sister
            form.date_from = "2020-01-01"
            form.date_to = "2020-12-31"
            form.count_training = True
            form.target_value = 1
        self.assertEqual(form.record.funder_id, ministry)
        self.assertEqual(self.on("2020-12-31", form.record)[0], 1)

    def test_milestone_reached(self):
        target = self.target.copy(
            {
                "count_training": False,
                "count_employment": False,
                "milestone": "coaching",
            }
        )
        # Bahar registered in coaching in February, and came back to it in July;
        # Amina was registered in coaching before the period.
        self.assertEqual(self.on("2020-06-30", target)[0], 1)
        self.assertEqual(self.on("2020-12-31", target)[0], 1)
        with self.on_day("2020-11-02"):
            self.dilan.write({"stage_id": self.stage["coaching"].id})
        self.env.invalidate_all()
        self.assertEqual(self.on("2020-11-01", target)[0], 1)
        self.assertEqual(self.on("2020-11-02", target)[0], 2)
        self.assertEqual(self.on("2020-12-31", target)[0], 2)

    def test_bad_targets_are_refused(self):
        values = {
            "name": "Bad",
            "program_id": self.program.id,
            "date_from": "2020-01-01",
            "date_to": "2020-12-31",
            "count_training": True,
            "target_value": 5,
        }
        targets = self.env["integration.target"]
        with self.assertRaisesRegex(ValidationError, "Say what the target Bad counts"):
            targets.create({**values, "count_training": False})
        with self.assertRaisesRegex(ValidationError, "greater than zero"):
            targets.create({**values, "target_value": 0})
        with self.assertRaisesRegex(ValidationError, "cannot end"):
            targets.create({**values, "date_to": "2019-12-31"})

    def test_staff_read_targets_only_managers_change_them(self):
        self.assertEqual(
            self.target.with_user(self.staff)
            .with_context(reference_date="2020-12-31")
            .actual_value,
            2,
        )
        with self.assertRaises(AccessError):
            self.target.with_user(self.staff).write({"target_value": 1})
        self.target.with_user(self.manager).write({"target_value": 1})


@tagged("post_install", "-at_install")
class TestFunderDemo(IntegrationCase):
    def test_demo_reproduces_the_reported_figures(self):
        program = self.env.ref("integration_program.program_social_economy")
        report = self.env["integration.funder.report"].create(
            # The demo's story ends on the day of its install.
            {
                "program_id": program.id,
                "reference_date": self.env["integration.program"]._demo_day(),
            }
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
        self.assertEqual(len(target), 1)
        self.assertEqual(
            (target.actual_value, target.target_value, target.status),
            (51, 50, "reached"),
        )
