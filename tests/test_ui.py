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
