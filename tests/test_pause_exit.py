from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import IntegrationCase


@tagged("post_install", "-at_install")
class TestPauseAndExit(IntegrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.participant = cls.create_participant(
            name="Semhar Tesfay",
            enrollment_date="2019-05-01",
            stage_id=cls.stage["coaching"].id,
        )

    def _wizard_form(self, action):
        return Form(
            self.env[action["res_model"]]
            .with_user(self.staff)
            .with_context(**action["context"])
        )

    def test_pause_and_resume(self):
        form = self._wizard_form(self.participant.action_open_pause_wizard())
        form.pause_reason = "Language practice paused by the pandemic"
        form.pause_date_start = "2020-03-16"
        form.pause_date_end = "2020-06-30"
        form.save().action_confirm()
        self.assertTrue(self.participant.is_paused)
        self.assertEqual(
            self.participant.pause_reason, "Language practice paused by the pandemic"
        )
        self.assertEqual(str(self.participant.pause_date_start), "2020-03-16")
        self.assertIn("paused since", self.participant.message_ids[0].body)
        self.assertEqual(self.program.paused_count, 1)

        with freeze_time("2020-06-02"):
            self.participant.with_user(self.staff).action_resume()
        self.assertFalse(self.participant.is_paused)
        self.assertEqual(str(self.participant.pause_date_end), "2020-06-02")
        self.assertIn("resumed", self.participant.message_ids[0].body)
        self.program.invalidate_recordset(["paused_count"])
        self.assertEqual(self.program.paused_count, 0)

    def test_pause_ending_before_it_starts_is_refused(self):
        form = self._wizard_form(self.participant.action_open_pause_wizard())
        form.pause_reason = "Illness"
        form.pause_date_start = "2020-03-16"
        form.pause_date_end = "2020-03-01"
        with self.assertRaisesRegex(ValidationError, "cannot end"):
            form.save()
        self.assertFalse(self.participant.is_paused)

    def test_resume_without_pause_is_refused(self):
        with self.assertRaisesRegex(UserError, "Semhar Tesfay is not paused"):
            self.participant.action_resume()

    def test_exit_wizard_moves_to_exit_stage_with_reason(self):
        self.participant.is_paused = True
        form = self._wizard_form(self.participant.action_open_exit_wizard())
        form.exit_date = "2020-07-15"
        form.exit_reason_id = self.reason_moved
        form.exit_note = "Moved to Hamburg with her family."
        form.save().action_confirm()
        self.assertEqual(self.participant.stage_id, self.stage["exited"])
        self.assertEqual(str(self.participant.exit_date), "2020-07-15")
        self.assertEqual(self.participant.exit_reason_id, self.reason_moved)
        self.assertEqual(
            self.participant.exit_note, "Moved to Hamburg with her family."
        )
        self.assertFalse(self.participant.is_paused)
        self.assertIn("Left the programme", self.participant.message_ids[0].body)

    def test_exit_before_enrolment_or_in_future_is_refused(self):
        form = self._wizard_form(self.participant.action_open_exit_wizard())
        form.exit_date = "2019-01-01"
        form.exit_reason_id = self.reason_moved
        wizard = form.save()
        with self.assertRaisesRegex(ValidationError, "before she enrolled"):
            wizard.action_confirm()
        with self.assertRaisesRegex(ValidationError, "future"):
            form.exit_date = "2999-01-01"
            form.save()

    def test_exit_twice_is_refused(self):
        self.participant.stage_id = self.stage["exited"]
        form = self._wizard_form(self.participant.action_open_exit_wizard())
        form.exit_reason_id = self.reason_moved
        with self.assertRaisesRegex(UserError, "already left"):
            form.save().action_confirm()

    def test_exit_needs_an_exit_stage(self):
        self.stage["exited"].active = False
        form = self._wizard_form(self.participant.action_open_exit_wizard())
        form.exit_reason_id = self.reason_moved
        with self.assertRaisesRegex(UserError, "no stage with the milestone"):
            form.save().action_confirm()
        self.assertEqual(self.participant.stage_id, self.stage["coaching"])
