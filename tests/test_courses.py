from datetime import timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import IntegrationCase, committed_env, new_test_user, run_concurrently


@tagged("post_install", "-at_install")
class TestCourses(IntegrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.practice = cls.env.ref("integration_program.course_type_language_practice")
        cls.course = cls.env["integration.course"].create(
            {
                "program_id": cls.program.id,
                "course_type_id": cls.practice.id,
                "date_start": "2020-06-15",
                "date_end": "2020-09-30",
                "seats_max": 2,
                "state": "open",
            }
        )
        cls.women = [
            cls.create_participant(
                name=f"Woman {number}", email=f"w{number}@example.com"
            )
            for number in range(1, 6)
        ]

    def enrol(self, participant, course=None, **values):
        return (
            self.env["integration.enrollment"]
            .with_user(self.staff)
            .create(
                {
                    "course_id": (course or self.course).id,
                    "participant_id": participant.id,
                    **values,
                }
            )
        )

    def test_seats_are_never_exceeded(self):
        first, second, third = (self.enrol(woman) for woman in self.women[:3])
        self.assertEqual((first.state, second.state), ("enrolled", "enrolled"))
        self.assertEqual(third.state, "waitlist")
        self.assertEqual(third.waitlist_position, 1)
        self.assertEqual(
            (
                self.course.seats_taken,
                self.course.seats_available,
                self.course.waitlist_count,
            ),
            (2, 0, 1),
        )
        with self.assertRaisesRegex(ValidationError, "no free seat left"):
            third.action_enroll()

    def test_seats_taken_by_others_count_for_a_coach(self):
        """A coach sees only her provider's participants, but every enrolment takes
        a seat: she cannot oversell a course filled by another provider's."""
        partners = self.env["res.partner"]
        coaches = []
        for name in ("A", "B"):
            provider = partners.create(
                {
                    "name": f"Provider {name}",
                    "is_company": True,
                    "is_coaching_provider": True,
                }
            )
            coach = new_test_user(
                self.env,
                login=f"seat_coach_{name.lower()}",
                groups="integration_program.group_coach",
            )
            coach.write({"parent_id": provider.id, "integration_capacity": 5})
            coaches.append(coach)
        theirs = [
            self.create_participant(name=f"Theirs {n}", coach_id=coaches[0].id)
            for n in (1, 2)
        ]
        mine = self.create_participant(name="Mine", coach_id=coaches[1].id)
        for participant in theirs:
            self.enrol(participant)
        enrolment = (
            self.env["integration.enrollment"]
            .with_user(coaches[1])
            .create({"course_id": self.course.id, "participant_id": mine.id})
        )
        self.assertEqual(enrolment.state, "waitlist")
        self.assertEqual(enrolment.waitlist_position, 1)
        self.assertEqual(self.course.with_user(coaches[1]).seats_available, 0)

    def test_double_enrolment_is_refused(self):
        self.enrol(self.women[0])
        with self.assertRaisesRegex(ValidationError, "Woman 1 is already registered"):
            self.enrol(self.women[0])
        self.assertEqual(self.course.seats_taken, 1)

    def test_waitlist_promotion_and_its_mail(self):
        enrolled = [self.enrol(woman) for woman in self.women[:2]]
        first_waiting = self.enrol(self.women[2])
        second_waiting = self.enrol(self.women[3])
        self.assertEqual(second_waiting.waitlist_position, 2)
        # Who completes the course keeps her seat: nobody moves up.
        enrolled[1].action_complete()
        self.assertEqual(first_waiting.state, "waitlist")

        enrolled[0].with_user(self.staff).write(
            {"state": "dropped", "drop_reason": "Found a job"}
        )
        self.assertEqual(first_waiting.state, "enrolled")
        self.assertTrue(first_waiting.date_enrolled)
        self.assertEqual(second_waiting.state, "waitlist")
        self.assertEqual(second_waiting.waitlist_position, 1)
        mail = first_waiting.message_ids.filtered(
            lambda m: "A place is free for you" in (m.subject or "")
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.partner_ids, self.women[2].partner_id)
        self.assertIn("moved up from the waiting list", str(mail.body))

        # More seats: the next one moves up too.
        self.course.seats_max = 3
        self.assertEqual(second_waiting.state, "enrolled")

    def test_enrolment_confirmation_is_sent(self):
        enrollment = self.enrol(self.women[0])
        confirmation = enrollment.message_ids.filtered(
            lambda m: "Your place in the course" in (m.subject or "")
        )
        self.assertEqual(confirmation.partner_ids, self.women[0].partner_id)

    def test_closed_courses_take_no_one(self):
        self.course.state = "done"
        with self.assertRaisesRegex(UserError, "no one can be enrolled any more"):
            self.enrol(self.women[0])

    def test_date_checks(self):
        with self.assertRaisesRegex(ValidationError, "cannot end .* before it starts"):
            self.env["integration.course"].create(
                {
                    "program_id": self.program.id,
                    "course_type_id": self.practice.id,
                    "date_start": "2020-06-15",
                    "date_end": "2020-06-01",
                }
            )
        enrollment = self.enrol(self.women[0], date_enrolled="2020-06-15")
        with self.assertRaisesRegex(ValidationError, "cannot leave the course"):
            enrollment.write({"state": "completed", "date_end": "2020-06-01"})
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            enrollment.attendance_rate = 120

    def test_cohorts_are_numbered_per_type(self):
        orientation = self.env.ref("integration_program.course_type_orientation")
        courses = self.env["integration.course"].create(
            [
                {
                    "program_id": self.program.id,
                    "course_type_id": orientation.id,
                    "date_start": f"2021-0{month}-01",
                }
                for month in (1, 4)
            ]
        )
        self.assertEqual(courses.mapped("cohort_number"), [1, 2])
        self.assertEqual(courses[1].display_name, "Career Orientation, cohort 2")
        self.assertEqual(
            courses[1].with_context(lang="de_DE").display_name,
            "Berufsorientierung, Jahrgang 2",
        )
        self.assertEqual(courses[0].seats_max, orientation.default_seats_max)
        self.assertEqual(self.course.cohort_number, 1)

    def test_demo_courses(self):
        seventh = self.env.ref("integration_program.course_orientation_7")
        self.assertEqual(seventh.cohort_number, 7)
        # The demo moves the seed's 31 July 2020 to the day of its install.
        today = self.env["integration.program"]._demo_day()
        self.assertEqual(seventh.date_start, today + timedelta(days=24))
        self.assertEqual(seventh.state, "open")
        self.assertGreater(seventh.seats_available, 0)
        school = self.env.ref("integration_program.course_school_certificate_1")
        self.assertEqual(school.state, "planned")
        self.assertEqual(school.date_start, today + timedelta(days=185))
        self.assertGreater(school.seats_available, 0)


@tagged("post_install", "-at_install")
class TestConcurrentEnrolment(TransactionCase):
    """Two users enrol into the last seat at the same moment: one gets the seat,
    the other lands on the waiting list."""

    def test_last_seat_taken_once(self):
        with committed_env(self.registry) as env:
            program = env["integration.program"].create(
                {"name": "Concurrency", "code": "CONC"}
            )
            course = env["integration.course"].create(
                {
                    "program_id": program.id,
                    "course_type_id": env.ref(
                        "integration_program.course_type_language_practice"
                    ).id,
                    "date_start": "2020-06-15",
                    "seats_max": 1,
                    "state": "open",
                }
            )
            participants = env["integration.participant"].create(
                [{"name": f"Racer {n}", "program_id": program.id} for n in (1, 2)]
            )
            program_id, course_id, participant_ids = (
                program.id,
                course.id,
                participants.ids,
            )

        def enrol(participant_id):
            return lambda env: (
                env["integration.enrollment"]
                .create({"course_id": course_id, "participant_id": participant_id})
                .state
            )

        try:
            outcomes = run_concurrently(
                self.registry, *(enrol(pid) for pid in participant_ids)
            )
            self.assertEqual(sorted(outcomes), ["enrolled", "waitlist"])
            with committed_env(self.registry) as env:
                course = env["integration.course"].browse(course_id)
                self.assertEqual((course.seats_taken, course.waitlist_count), (1, 1))
        finally:
            with committed_env(self.registry) as env:
                participants = env["integration.participant"].browse(participant_ids)
                partners = participants.partner_id
                course = env["integration.course"].browse(course_id)
                course.enrollment_ids.unlink()
                course.unlink()
                participants.unlink()
                partners.unlink()
                env["integration.program"].browse(program_id).unlink()
