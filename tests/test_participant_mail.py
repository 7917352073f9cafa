import json
import smtplib
from contextlib import contextmanager

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MailCase

from .common import IntegrationCase, new_test_user

ADDON_MODELS_DOMAIN = [("model", "=like", "integration.%")]


@tagged("post_install", "-at_install")
class TestParticipantMail(IntegrationCase, MailCase):
    """A message meant for a participant goes by e-mail only where she has an
    address; otherwise her coach (or the staff) is asked to tell her in person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        provider = cls.env["res.partner"].create(
            {"name": "Coaching Mitte", "is_company": True, "is_coaching_provider": True}
        )
        cls.coach = new_test_user(
            cls.env,
            login="mail_test_coach",
            name="Carla Coach",
            email="carla.coach@example.com",
            groups="integration_program.group_coach",
        )
        cls.coach.write({"parent_id": provider.id, "integration_capacity": 10})
        cls.inform_type = cls.env.ref(
            "integration_program.mail_activity_type_inform_in_person",
            raise_if_not_found=False,
        )
        cls.course = cls.env["integration.course"].create(
            {
                "program_id": cls.program.id,
                "course_type_id": cls.env.ref(
                    "integration_program.course_type_language_practice"
                ).id,
                "date_start": "2026-06-15",
                "seats_max": 1,
                "state": "open",
            }
        )

    def enrol(self, participant):
        return (
            self.env["integration.enrollment"]
            .with_user(self.staff)
            .create({"course_id": self.course.id, "participant_id": participant.id})
        )

    def queued_mails(self, records):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", records._name), ("res_id", "in", records.ids)])
        )

    def inform_activities(self, participant):
        return participant.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.inform_type
        )

    def messages_to_her(self, enrollment):
        return enrollment.message_ids.filtered(
            lambda message: enrollment.participant_id.partner_id in message.partner_ids
        )

    # ------------------------------------------------------------------
    # With and without an address
    # ------------------------------------------------------------------
    def test_confirmation_by_mail_where_she_has_an_address(self):
        woman = self.create_participant(
            "Amina Mail", email="amina@example.com", coach_id=self.coach.id
        )
        enrollment = self.enrol(woman)
        confirmation = self.messages_to_her(enrollment)
        self.assertEqual(len(confirmation), 1)
        self.assertIn("Your place in the course", confirmation.subject)
        self.assertEqual(len(self.queued_mails(enrollment)), 1)
        self.assertFalse(self.inform_activities(woman))

    def test_confirmation_without_address_goes_to_her_coach(self):
        woman = self.create_participant("Amina Ohne", coach_id=self.coach.id)
        enrollment = self.enrol(woman)
        self.assertFalse(self.messages_to_her(enrollment))
        self.assertFalse(self.queued_mails(enrollment))
        activity = self.inform_activities(woman)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.coach)
        self.assertIn(self.course.display_name, activity.summary)
        self.assertIn("you are enrolled in the course", str(activity.note))
        note = enrollment.message_ids[0]
        self.assertIn("no e-mail address", str(note.body))
        self.assertIn("Carla Coach", str(note.body))
        self.assertTrue(note.subtype_id.internal)

    def test_an_invalid_address_counts_as_none(self):
        woman = self.create_participant(
            "Amina Kaputt", email="amina at home", coach_id=self.coach.id
        )
        enrollment = self.enrol(woman)
        self.assertFalse(self.queued_mails(enrollment))
        self.assertEqual(self.inform_activities(woman).user_id, self.coach)

    def test_without_coach_her_responsible_or_a_manager_informs_her(self):
        woman = self.create_participant("Amina Allein", user_id=self.staff.id)
        self.enrol(woman)
        self.assertEqual(self.inform_activities(woman).user_id, self.staff)

        self.program.manager_ids = self.manager
        course = self.course.copy({"seats_max": 5})
        nobody = self.create_participant("Amina Niemand", user_id=False)
        self.env["integration.enrollment"].with_user(self.staff).create(
            {"course_id": course.id, "participant_id": nobody.id}
        )
        self.assertEqual(self.inform_activities(nobody).user_id, self.manager)

    def test_promotion_from_the_waiting_list_with_and_without_address(self):
        first = self.create_participant("Erste", email="erste@example.com")
        with_address = self.create_participant(
            "Zweite", email="zweite@example.com", coach_id=self.coach.id
        )
        without = self.create_participant("Dritte", coach_id=self.coach.id)
        seat = self.enrol(first)
        waiting = self.enrol(with_address)
        waiting_without = self.enrol(without)
        self.assertEqual(
            (waiting.state, waiting_without.state), ("waitlist", "waitlist")
        )

        seat.with_user(self.staff).action_drop()
        self.assertEqual(waiting.state, "enrolled")
        promotion = self.messages_to_her(waiting)
        self.assertEqual(len(promotion), 1)
        self.assertIn("A place is free for you", promotion.subject)
        self.assertEqual(len(self.queued_mails(waiting)), 1)
        self.assertFalse(self.inform_activities(with_address))

        waiting.with_user(self.staff).action_drop()
        self.assertEqual(waiting_without.state, "enrolled")
        self.assertFalse(self.messages_to_her(waiting_without))
        self.assertFalse(self.queued_mails(waiting_without))
        activity = self.inform_activities(without)
        self.assertEqual(activity.user_id, self.coach)
        self.assertIn("moved up from the waiting list", str(activity.note))
        self.assertIn("no e-mail address", str(waiting_without.message_ids[0].body))

    # ------------------------------------------------------------------
    # The queue
    # ------------------------------------------------------------------
    @contextmanager
    def refusing(self, address):
        """The mail server refuses mails to ``address`` and delivers the others."""
        with self.mock_mail_gateway(mail_unlink_sent=False):
            session = self.testing_smtp_session
            deliver = session.send_message

            def send_message(message, smtp_from, smtp_to_list):
                if address in smtp_to_list:
                    raise smtplib.SMTPRecipientsRefused(
                        {address: (550, b"No such user")}
                    )
                return deliver(message, smtp_from, smtp_to_list)

            session.send_message = send_message
            yield

    def _failing_participant_mail_and_another_apps_mail(self):
        woman = self.create_participant(
            "Amina Fehler", email="amina.fehler@example.com", coach_id=self.coach.id
        )
        enrollment = self.enrol(woman)
        failing = self.queued_mails(enrollment)
        self.assertEqual(len(failing), 1)
        customer = self.env["res.partner"].create(
            {"name": "Other App Customer", "email": "customer@example.com"}
        )
        contact = self.env["res.partner"].create({"name": "A Company Contact"})
        contact.message_post(
            body="An ordinary message of another app",
            partner_ids=customer.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        other = self.queued_mails(contact)
        self.assertEqual(len(other), 1)
        self.assertLess(failing.id, other.id, "her mail comes first in the queue")
        return failing, other

    def test_a_failed_participant_mail_never_stops_the_queue(self):
        """Whoever sends the queue (here, as Odoo's own tests and crons do, in
        sudo on behalf of a user who has none of the addon's groups), a
        participant's failed mail does not keep the other mails from going out."""
        failing, other = self._failing_participant_mail_and_another_apps_mail()
        plain = new_test_user(
            self.env, login="mail_test_plain", groups="base.group_user"
        )
        self.assertFalse(failing.mail_message_id.with_user(plain).has_access("read"))
        message = failing.mail_message_id
        with self.refusing("amina.fehler@example.com"), self.mock_bus():
            self.env["mail.mail"].with_user(plain).sudo().process_email_queue(
                email_ids=(failing | other).ids
            )
            self.env.cr.precommit.run()
        self.assertEqual(failing.state, "exception")
        self.assertEqual(other.state, "sent")
        # The failure is still shown to the staff member who enrolled her, and
        # only to her: the user sending the queue may not see the enrolment.
        self.assertEqual(message.notification_ids.notification_status, "exception")
        told = {
            json.loads(notif.channel)[2]
            for notif in self._new_bus_notifs
            if str(message.id) in notif.message
        }
        self.assertEqual(told, {self.staff.partner_id.id})

    def test_a_failed_participant_mail_sent_by_an_administrator(self):
        """An administrator without the addon's groups sends the queue from the
        technical menu, without sudo."""
        failing, other = self._failing_participant_mail_and_another_apps_mail()
        admin = new_test_user(
            self.env, login="mail_test_admin", groups="base.group_system"
        )
        with self.refusing("amina.fehler@example.com"):
            self.env["mail.mail"].with_user(admin).browse((failing | other).ids).send()
        self.assertEqual(failing.state, "exception")
        self.assertEqual(other.state, "sent")

    # ------------------------------------------------------------------
    # The demo
    # ------------------------------------------------------------------
    def test_the_demo_left_no_mail_in_the_queue(self):
        if not self.env.ref(
            "integration_program.course_orientation_7", raise_if_not_found=False
        ):
            self.skipTest("installed without demo data")
        self.assertFalse(
            self.env["mail.mail"].sudo().search(ADDON_MODELS_DOMAIN),
            "the demo data queued mails about the addon's records",
        )
