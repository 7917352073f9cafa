from odoo.tests import HttpCase, tagged

from .common import new_test_user


@tagged("post_install", "-at_install")
class TestPipelineTour(HttpCase):
    def test_pipeline_drag_and_open(self):
        new_test_user(
            self.env,
            login="tour_staff",
            password="tour_staff_pw",
            name="Tour Staff",
            groups="integration_program.group_user",
        )
        program = self.env["integration.program"].create(
            {"name": "Tour Programme", "code": "TOUR"}
        )
        participant = self.env["integration.participant"].create(
            {"name": "Zora Tourist", "program_id": program.id, "priority": "2"}
        )
        self.assertEqual(participant.milestone, "intake")
        self.start_tour(
            "/odoo/integration-pipeline",
            "integration_pipeline_tour",
            login="tour_staff",
        )
        participant.invalidate_recordset()
        self.assertEqual(participant.milestone, "orientation")
        self.assertEqual(
            participant.message_ids.tracking_value_ids.filtered(
                lambda value: value.field_id.name == "stage_id"
            ).new_value_char,
            "Career Orientation",
        )


@tagged("post_install", "-at_install")
class TestCoachSessionTour(HttpCase):
    def test_coach_logs_a_session_from_the_participant_form(self):
        provider = self.env["res.partner"].create(
            {"name": "Tour Provider", "is_company": True, "is_coaching_provider": True}
        )
        coach = new_test_user(
            self.env,
            login="tour_coach",
            password="tour_coach_pw",
            name="Tour Coach",
            groups="integration_program.group_coach",
        )
        coach.write({"parent_id": provider.id, "integration_capacity": 3})
        program = self.env["integration.program"].create(
            {"name": "Tour Programme", "code": "TOUR"}
        )
        participant = self.env["integration.participant"].create(
            {"name": "Nadia Session", "program_id": program.id, "coach_id": coach.id}
        )
        self.start_tour(
            f"/odoo/integration-pipeline/{participant.id}",
            "integration_coach_session_tour",
            login="tour_coach",
        )
        session = participant.session_ids
        self.assertEqual(len(session), 1)
        self.assertEqual(session.coach_id, coach)
        self.assertEqual(session.mode, "phone")
        self.assertEqual(session.next_steps, "Apply to two care homes")
        self.assertEqual(participant.last_contact_date, session.date)


@tagged("post_install", "-at_install")
class TestWaitlistTour(HttpCase):
    def test_enrol_into_a_full_course_puts_her_on_the_waiting_list(self):
        new_test_user(
            self.env,
            login="tour_course_staff",
            password="tour_course_staff_pw",
            name="Course Staff",
            groups="integration_program.group_user",
        )
        program = self.env["integration.program"].create(
            {"name": "Tour Programme", "code": "TOUR"}
        )
        course = self.env["integration.course"].create(
            {
                "name": "Tour Course",
                "program_id": program.id,
                "course_type_id": self.env.ref(
                    "integration_program.course_type_language_practice"
                ).id,
                "date_start": "2020-06-15",
                "seats_max": 1,
                "state": "open",
            }
        )
        participants = self.env["integration.participant"].create(
            [
                {"name": "Fiona First", "program_id": program.id},
                {"name": "Wanda Waiting", "program_id": program.id},
            ]
        )
        self.env["integration.enrollment"].create(
            {"course_id": course.id, "participant_id": participants[0].id}
        )
        self.start_tour(
            f"/odoo/integration-courses/{course.id}",
            "integration_waitlist_tour",
            login="tour_course_staff",
        )
        waiting = course.enrollment_ids.filtered(
            lambda e: e.participant_id == participants[1]
        )
        self.assertEqual(waiting.state, "waitlist")
        self.assertEqual(course.seats_taken, 1)


@tagged("post_install", "-at_install")
class TestCoachKanbanTour(HttpCase):
    def _coach(self, login, provider_name):
        provider = self.env["res.partner"].create(
            {"name": provider_name, "is_company": True, "is_coaching_provider": True}
        )
        coach = new_test_user(
            self.env,
            login=login,
            password=f"{login}_pw",
            name=login,
            groups="integration_program.group_coach",
        )
        coach.write({"parent_id": provider.id, "integration_capacity": 5})
        return coach

    def test_coach_sees_only_her_providers_cards(self):
        own_coach = self._coach("tour_kanban_coach", "Kanban Provider Own")
        other_coach = self._coach("tour_kanban_other", "Kanban Provider Other")
        program = self.env["integration.program"].create(
            {"name": "Kanban Programme", "code": "KAN"}
        )
        stage = {
            milestone: self.env.ref(f"integration_program.stage_{milestone}")
            for milestone in ("coaching", "qualification")
        }
        participants = self.env["integration.participant"]
        for name, coach, milestone in (
            ("Tour Own Coaching A", own_coach, "coaching"),
            ("Tour Own Coaching B", own_coach, "coaching"),
            ("Tour Own Qualification", own_coach, "qualification"),
            ("Tour Other Coaching", other_coach, "coaching"),
            ("Tour Other Qualification", other_coach, "qualification"),
        ):
            participants.create(
                {
                    "name": name,
                    "program_id": program.id,
                    "coach_id": coach.id,
                    "stage_id": stage[milestone].id,
                }
            )
        self.start_tour(
            "/odoo/integration-pipeline",
            "integration_coach_kanban_tour",
            login="tour_kanban_coach",
        )


@tagged("post_install", "-at_install")
class TestReferralImportTour(HttpCase):
    def test_import_with_one_match_linked(self):
        new_test_user(
            self.env,
            login="tour_import_staff",
            password="tour_import_staff_pw",
            name="Import Staff",
            groups="integration_program.group_user",
        )
        jobcenter = self.env["res.partner"].create(
            {"name": "Jobcenter Tour", "is_company": True}
        )
        fatima = self.env["integration.participant"].create(
            {"name": "Fatima Haddad", "birthdate": "1988-05-17"}
        )
        self.start_tour(
            "/odoo/integration-referral-imports/new",
            "integration_referral_import_tour",
            login="tour_import_staff",
        )
        record = self.env["integration.referral.import"].search(
            [("jobcenter_id", "=", jobcenter.id)]
        )
        self.assertEqual(record.state, "done")
        self.assertEqual(fatima.referral_ids.jobcenter_id, jobcenter)
        samira = self.env["integration.participant"].search(
            [("name", "=", "Samira Neu")]
        )
        self.assertEqual(samira.consent_ids.form_reference, "JC-1")
        self.assertEqual(samira.shared_with_partner_ids, jobcenter)


@tagged("post_install", "-at_install")
class TestBulkAssignTour(HttpCase):
    def test_assign_a_coach_to_a_selection_of_the_list(self):
        new_test_user(
            self.env,
            login="tour_bulk_staff",
            password="tour_bulk_staff_pw",
            name="Bulk Staff",
            groups="integration_program.group_user",
        )
        provider = self.env["res.partner"].create(
            {"name": "Tour Provider", "is_company": True, "is_coaching_provider": True}
        )
        coach = new_test_user(
            self.env,
            login="tour_bulk_coach",
            name="Tour Bulk Coach",
            groups="integration_program.group_coach",
        )
        coach.write({"parent_id": provider.id, "integration_capacity": 4})
        program = self.env["integration.program"].create(
            {"name": "Tour Programme", "code": "TOUR"}
        )
        participants = self.env["integration.participant"].create(
            [
                {"name": name, "program_id": program.id}
                for name in ("Bella Bulk Tour", "Bianca Bulk Tour", "Berta Bulk Tour")
            ]
        )
        self.start_tour(
            "/odoo/integration-pipeline?view_type=list",
            "integration_bulk_assign_tour",
            login="tour_bulk_staff",
        )
        self.assertEqual(participants[:2].coach_id, coach)
        self.assertFalse(participants[2].coach_id)
        self.assertEqual(len(participants[:2].assignment_ids), 2)


@tagged("post_install", "-at_install")
class TestFullCourseTour(HttpCase):
    def test_enrolling_into_a_full_course_shows_the_waiting_list_at_once(self):
        new_test_user(
            self.env,
            login="tour_full_staff",
            password="tour_full_staff_pw",
            name="Full Course Staff",
            groups="integration_program.group_user",
        )
        program = self.env["integration.program"].create(
            {"name": "Tour Programme", "code": "TOUR"}
        )
        course = self.env["integration.course"].create(
            {
                "name": "Tour Full Course",
                "program_id": program.id,
                "course_type_id": self.env.ref(
                    "integration_program.course_type_language_practice"
                ).id,
                "date_start": "2026-06-15",
                "seats_max": 1,
                "state": "open",
            }
        )
        seated, waiting, newcomer = self.env["integration.participant"].create(
            [
                {"name": name, "program_id": program.id}
                for name in ("Sara Seated", "Wilma Waiting", "Nora Newcomer")
            ]
        )
        self.env["integration.enrollment"].create(
            [
                {"course_id": course.id, "participant_id": seated.id},
                {"course_id": course.id, "participant_id": waiting.id},
            ]
        )
        self.start_tour(
            "/odoo/action-integration_program.integration_enrollment_action",
            "integration_full_course_tour",
            login="tour_full_staff",
        )
        enrollment = newcomer.enrollment_ids
        self.assertEqual(enrollment.course_id, course)
        self.assertEqual(enrollment.state, "waitlist")
        self.assertEqual(enrollment.waitlist_position, 2)
