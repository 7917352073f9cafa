from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import IntegrationCase


@tagged("post_install", "-at_install")
class TestPipeline(IntegrationCase):
    def test_new_participant_starts_in_first_stage_with_her_contact(self):
        participant = self.create_participant(
            name="  Rasha   Haddad ", email="rasha@example.com", city="Kassel"
        )
        self.assertEqual(participant.stage_id, self.stage["intake"])
        self.assertEqual(participant.milestone, "intake")
        self.assertEqual(participant.name, "Rasha Haddad")
        self.assertEqual(participant.partner_id.name, "Rasha Haddad")
        self.assertEqual(participant.partner_id.email, "rasha@example.com")
        self.assertEqual(participant.partner_id.city, "Kassel")
        self.assertTrue(participant.date_last_stage_update)

    def test_renaming_renames_her_contact(self):
        participant = self.create_participant(name="Hala Saleh")
        participant.name = "Hala Saleh-Nasser"
        self.assertEqual(participant.partner_id.name, "Hala Saleh-Nasser")

    def test_stage_move_is_tracked_and_dated(self):
        with freeze_time("2020-03-02 08:00:00"):
            participant = self.create_participant(kanban_state="done")
            self.flush_tracking()
        with freeze_time("2020-04-15 10:30:00"):
            participant.stage_id = self.stage["orientation"]
            self.flush_tracking()
            self.assertEqual(
                participant.date_last_stage_update, datetime(2020, 4, 15, 10, 30)
            )
            self.assertEqual(participant.days_in_stage, 0)
        self.assertEqual(participant.kanban_state, "normal")
        tracking = participant.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "stage_id"
        )
        self.assertEqual(len(tracking), 1)
        self.assertEqual(tracking.old_value_char, "Registration")
        self.assertEqual(tracking.new_value_char, "Career Orientation")
        with freeze_time("2020-04-25 10:30:00"):
            participant.invalidate_recordset(["days_in_stage"])
            self.assertEqual(participant.days_in_stage, 10)

    def test_moving_to_exit_stage_records_exit_date_and_reentry_clears_it(self):
        participant = self.create_participant(enrollment_date="2020-01-10")
        with freeze_time("2020-06-30"):
            participant.stage_id = self.stage["exited"]
        self.assertEqual(str(participant.exit_date), "2020-06-30")
        participant.exit_reason_id = self.reason_moved
        participant.stage_id = self.stage["coaching"]
        self.assertFalse(participant.exit_date)
        self.assertFalse(participant.exit_reason_id)
        self.assertEqual(participant.milestone, "coaching")

    def test_pipeline_columns_follow_the_programme(self):
        other_program = self.env["integration.program"].create(
            {"name": "Trades", "code": "TRD"}
        )
        trades_only = self.env["integration.stage"].create(
            {
                "name": "Workshop Trial",
                "milestone": "orientation",
                "sequence": 25,
                "program_ids": [(6, 0, other_program.ids)],
            }
        )
        participants = self.env["integration.participant"]
        columns = participants.with_context(
            default_program_id=self.program.id
        )._read_group_stage_ids(self.env["integration.stage"], [])
        self.assertIn(self.stage["coaching"], columns)
        self.assertNotIn(trades_only, columns)
        self.assertIn(
            trades_only,
            participants.with_context(
                default_program_id=other_program.id
            )._read_group_stage_ids(self.env["integration.stage"], []),
        )
        # Moving her to a programme without her stage puts her into its first one.
        participant = self.create_participant(program_id=other_program.id)
        participant.stage_id = trades_only
        participant.program_id = self.program
        self.assertEqual(participant.stage_id, self.stage["intake"])

    def test_form_creates_participant_as_staff(self):
        form = Form(self.env["integration.participant"].with_user(self.staff))
        form.name = "Layla Aziz"
        form.program_id = self.program
        form.birthdate = "1990-05-04"
        form.german_level = "b1"
        participant = form.save()
        self.assertEqual(participant.user_id, self.staff)
        self.assertEqual(participant.stage_id, self.stage["intake"])
        self.assertEqual(participant.create_uid, self.staff)

    def test_participants_in_progress_cannot_be_deleted(self):
        participant = self.create_participant(stage_id=self.stage["coaching"].id)
        with self.assertRaisesRegex(UserError, "Archive the others"):
            participant.with_user(self.manager).unlink()
        self.assertTrue(participant.exists())
        newcomer = self.create_participant(name="Nour Khalil")
        newcomer.with_user(self.manager).unlink()
        self.assertFalse(newcomer.exists())

    def test_staff_may_not_configure_or_delete(self):
        participant = self.create_participant()
        with self.assertRaises(AccessError):
            participant.with_user(self.staff).unlink()
        with self.assertRaises(AccessError):
            self.env["integration.stage"].with_user(self.staff).create(
                {"name": "Shortcut", "milestone": "training"}
            )
        with self.assertRaises(AccessError):
            self.program.with_user(self.staff).write({"name": "Renamed"})
        stage = (
            self.env["integration.stage"]
            .with_user(self.manager)
            .create({"name": "Internship", "milestone": "qualification"})
        )
        self.assertEqual(stage.milestone, "qualification")

    def test_stages_and_errors_speak_german(self):
        german = self.env["res.lang"]._activate_lang("de_DE")
        self.assertTrue(german, "the demo data activates German")
        stage = self.stage["intake"].with_context(lang="de_DE")
        self.assertEqual(stage.name, "Anmeldung")
        self.create_participant(name="Hana Test", jobcenter_customer_number="X1")
        with self.assertRaisesRegex(ValidationError, "Kundennummer"):
            self.env["integration.participant"].with_context(lang="de_DE").create(
                {
                    "name": "Hana Zweit",
                    "program_id": self.program.id,
                    "jobcenter_customer_number": "X1",
                }
            )
