from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from odoo.addons.sms.tests.common import MockSMS

from .common import IntegrationCase, new_test_user

# 10:00 in Berlin the day after NOW.
NOW = datetime(2026, 3, 2, 12, 0)
AT_TEN = datetime(2026, 3, 3, 9, 0)
CONFIDENTIAL = ("Schulden beim Vermieter", "Gewalt in der Familie", "Diabetes")


@tagged("post_install", "-at_install")
class ReminderCase(IntegrationCase, MockSMS):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        # Activating a language loads the addon's translations (res_lang.py).
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.provider = cls.env["res.partner"].create(
            {"name": "Beratung Nord", "is_company": True, "is_coaching_provider": True}
        )
        cls.coach = new_test_user(
            cls.env,
            login="test_reminder_coach",
            name="Anna Beispielcoach",
            groups="integration_program.group_coach",
            tz="Europe/Berlin",
        )
        cls.coach.write(
            {"parent_id": cls.provider.id, "integration_capacity": 20, "lang": "de_DE"}
        )
        cls.participant = cls.create_participant(
            "Hawa Erinnerung",
            coach_id=cls.coach.id,
            stage_id=cls.stage["coaching"].id,
            email="hawa@example.com",
            phone="+49 170 1234567",
            health_note=CONFIDENTIAL[2],
        )
        cls.participant.partner_id.write({"lang": "de_DE", "tz": "Europe/Berlin"})
        cls.obstacle = cls.env["integration.obstacle"].create({"name": CONFIDENTIAL[1]})

    def _appointment(self, start, participant=None, **values):
        return self.env["integration.appointment"].create(
            {
                "participant_id": (participant or self.participant).id,
                "coach_id": self.coach.id,
                "start": start,
                "location": "Rathausplatz 1, Raum 2.14",
                **values,
            }
        )

    def _run_cron(self, at=NOW):
        with freeze_time(at):
            return self.env["integration.reminder"]._cron_send_reminders()

    def _deliver_sms(self):
        self.env["sms.sms"].sudo().search([("state", "=", "outgoing")]).send()

    def _mails(self, reminders):
        return self.env["mail.mail"].search(
            [("model", "=", "integration.reminder"), ("res_id", "in", reminders.ids)]
        )


class TestReminders(ReminderCase):
    def test_reminded_once_in_her_language(self):
        appointment = self._appointment(AT_TEN)
        reminders = self._run_cron()
        self.assertEqual(reminders.appointment_id, appointment)
        mail = self._mails(reminders)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.participant.partner_id)
        self.assertIn("Erinnerung", mail.subject)
        self.assertEqual(
            mail.subject, "Erinnerung: Ihr Termin am Dienstag, 3. März 2026"
        )
        self.assertIn("Ich kann nicht kommen", mail.body_html)
        self.assertIn("10:00", mail.body_html)
        self.assertIn("Anna", mail.body_html)
        self.assertNotIn("Hello", mail.body_html)
        self.assertTrue(reminders.mail_sent)
        # A second run (the cron is hourly) sends nothing again.
        self.assertFalse(self._run_cron(NOW + timedelta(hours=1)))
        self.assertEqual(len(appointment.reminder_ids), 1)
        # Her coach reads on the appointment, in German, that she was reminded.
        self.assertIn(
            "Erinnerung an sie gesendet per E-Mail + SMS",
            "".join(appointment.message_ids.mapped("body")),
        )

    def test_reminder_in_arabic(self):
        self.participant.partner_id.lang = "ar_001"
        self._appointment(AT_TEN)
        mail = self._mails(self._run_cron())
        self.assertIn("تذكير", mail.subject)
        self.assertIn("لا أستطيع الحضور", mail.body_html)
        self.assertNotIn("Hello", mail.body_html)

    def test_lead_time_of_the_programme(self):
        appointment = self._appointment(NOW + timedelta(days=3))
        self.assertFalse(self._run_cron(), "default: one day ahead")
        self.program.reminder_lead_days = 3
        self.assertEqual(self._run_cron().appointment_id, appointment)
        self.program.send_reminders = False
        self._appointment(NOW + timedelta(days=2))
        self.assertFalse(self._run_cron(), "reminders switched off")

    def test_moved_appointment_is_reminded_again(self):
        appointment = self._appointment(AT_TEN)
        self._run_cron()
        appointment.start = AT_TEN + timedelta(hours=2)
        second = self._run_cron(NOW + timedelta(hours=1))
        self.assertEqual(second.appointment_id, appointment)
        self.assertEqual(len(appointment.reminder_ids), 2)
        self.assertIn("12:00", self._mails(second).body_html)

    def test_no_reminder_for_cancelled_or_past_appointments(self):
        self._appointment(NOW - timedelta(hours=1))
        self._appointment(NOW + timedelta(hours=5)).action_cancel()
        self.assertFalse(self._run_cron())

    def test_no_reminder_to_women_opted_out_paused_left_or_unreachable(self):
        def woman(name, **values):
            participant = self.create_participant(
                name,
                coach_id=self.coach.id,
                stage_id=self.stage["coaching"].id,
                email=f"{name.split()[0].lower()}@example.com",
                **values,
            )
            self._appointment(AT_TEN, participant=participant)
            return participant

        woman("Opted Out", no_reminders=True)
        woman("Paused Woman", is_paused=True)
        left = woman("Left Woman")
        left.write({"stage_id": self.stage["exited"].id})
        unreachable = woman("No Address")
        unreachable.email = False
        reachable = woman("Reachable Woman")
        reminders = self._run_cron()
        self.assertEqual(reminders.participant_id, reachable)

    def test_course_day_reminder(self):
        course = self.env["integration.course"].create(
            {
                "name": "Deutsch B1",
                "program_id": self.program.id,
                "date_start": "2026-01-01",
                "location": "VHS, Raum 3",
                "schedule": "9–12 Uhr",
                "course_type_id": self.env.ref(
                    "integration_program.course_type_orientation"
                ).id,
            }
        )
        day = self.env["integration.course.date"].create(
            {"course_id": course.id, "date": "2026-03-03"}
        )
        self.env["integration.course.date"].create(
            {"course_id": course.id, "date": "2026-03-10"}
        )
        self.env["integration.enrollment"].create(
            {"course_id": course.id, "participant_id": self.participant.id}
        )
        waiting = self.create_participant(
            "Warte Liste", email="warte@example.com", stage_id=self.stage["coaching"].id
        )
        self.env["integration.enrollment"].create(
            {"course_id": course.id, "participant_id": waiting.id, "state": "waitlist"}
        )
        reminders = self._run_cron()
        self.assertEqual(reminders.course_date_id, day)
        self.assertEqual(reminders.participant_id, self.participant)
        mail = self._mails(reminders)
        self.assertIn("Deutsch B1", mail.body_html)
        self.assertIn("VHS, Raum 3", mail.body_html)
        self.assertFalse(self._run_cron(NOW + timedelta(hours=2)))

    def test_no_confidential_content(self):
        appointment = self._appointment(AT_TEN)
        self.env["integration.coaching.session"].create(
            {
                "participant_id": self.participant.id,
                "coach_id": self.coach.id,
                "date": "2026-02-20",
                "topics": CONFIDENTIAL[0],
                "obstacle_ids": [(6, 0, self.obstacle.ids)],
                "notes": f"<p>{CONFIDENTIAL[1]}</p>",
            }
        )
        self.participant.note = f"<p>{CONFIDENTIAL[0]}</p>"
        with self.mockSMSGateway():
            reminders = self._run_cron()
            self._deliver_sms()
        mail = self._mails(reminders)
        rendered = mail.subject + mail.body_html + self._sms[0]["body"]
        for secret in (*CONFIDENTIAL, "Beispielcoach"):
            self.assertNotIn(secret, rendered)
        self.assertIn(appointment.location, rendered)

    def test_sms_through_the_sms_module(self):
        self._appointment(AT_TEN)
        with self.mockSMSGateway():
            reminders = self._run_cron()
            self.assertTrue(reminders.sms_sent)
            self._deliver_sms()
        self.assertEqual(len(self._sms), 1)
        # Formatted to E.164 where the phonenumbers library is installed.
        self.assertEqual(self._sms[0]["number"].replace(" ", ""), "+491701234567")
        body = self._sms[0]["body"]
        self.assertTrue(body.startswith("Erinnerung: Ihr Termin am Dienstag"), body)
        self.assertNotIn("\n", body)
        self.assertIn("10:00", body)
        self.assertIn("/decline?access_token=", body)
        # Sent once: a later run queues no other SMS.
        with self.mockSMSGateway():
            self._run_cron(NOW + timedelta(hours=1))
            self._deliver_sms()
        self.assertFalse(self._sms)

    def test_no_sms_without_phone(self):
        self.participant.phone = False
        self._appointment(AT_TEN)
        with self.mockSMSGateway():
            reminders = self._run_cron()
            self._deliver_sms()
        self.assertFalse(self._sms)
        self.assertTrue(reminders.mail_sent)
        self.assertFalse(reminders.sms_sent)


class TestAppointments(ReminderCase):
    def test_an_appointment_is_no_contact_until_held(self):
        self.assertFalse(self.participant.last_contact_date)
        with freeze_time(NOW):
            appointment = self._appointment(NOW - timedelta(hours=2))
            appointment.write({"state": "declined"})
            self.assertFalse(self.participant.last_contact_date)
            appointment.action_reset_planned()
            action = appointment.action_log_session()
            session = (
                self.env["integration.coaching.session"]
                .with_context(**action["context"])
                .create({"topics": "Bewerbung"})
            )
        self.assertEqual(appointment.state, "held")
        self.assertEqual(appointment.session_id, session)
        self.assertEqual(session.date.isoformat(), "2026-03-02")
        self.assertEqual(self.participant.last_contact_date, session.date)

    def test_counted_on_her_form(self):
        self._appointment(NOW + timedelta(days=1))
        self._appointment(NOW + timedelta(days=8))
        self.assertEqual(self.participant.appointment_count, 2)
        action = self.participant.action_view_appointments()
        self.assertEqual(action["res_model"], "integration.appointment")

    def test_moving_a_declined_appointment_plans_it_again(self):
        appointment = self._appointment(NOW + timedelta(days=1))
        appointment.state = "declined"
        appointment.start = NOW + timedelta(days=3)
        self.assertEqual(appointment.state, "planned")

    def test_coach_of_another_provider_sees_nothing(self):
        appointment = self._appointment(NOW + timedelta(days=1))
        own = appointment.with_user(self.coach)
        self.assertEqual(own.location, "Rathausplatz 1, Raum 2.14")
        other_provider = self.env["res.partner"].create(
            {"name": "Beratung Süd", "is_company": True, "is_coaching_provider": True}
        )
        stranger = new_test_user(
            self.env,
            login="test_reminder_stranger",
            groups="integration_program.group_coach",
        )
        stranger.write({"parent_id": other_provider.id})
        with self.assertRaises(AccessError):
            appointment.with_user(stranger).read(["start"])
        self.assertFalse(
            self.env["integration.appointment"].with_user(stranger).search([])
        )

    def test_staff_set_her_preferred_language(self):
        form = Form(self.env["integration.participant"].with_user(self.staff))
        form.name = "Layla Sprache"
        form.program_id = self.program
        form.reminder_lang = "ar_001"
        participant = form.save()
        self.assertEqual(participant.partner_id.lang, "ar_001")
        with Form(participant.with_user(self.staff)) as form:
            form.reminder_lang = "de_DE"
        self.assertEqual(participant.partner_id.lang, "de_DE")
