from odoo.tests import HttpCase, new_test_user, tagged


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
