"""A participant answers "I cannot come": from her portal page with her login, or
from her reminder's link without one. Nothing else is reachable, and nothing of
another woman."""

from datetime import timedelta
from urllib.parse import urlsplit

from odoo import fields, http
from odoo.tests import tagged

from .common import new_test_user
from .test_reminders import ReminderCase

# Her appointment routes (controllers/participant_appointments.py): each is
# asked for another woman's record below; test_participant_portal's enumeration
# of the routing map leaves exactly these to this module.
APPOINTMENT_ROUTES = {
    "/my/integration/appointments",
    "/my/integration/appointments/<int:appointment_id>/decline",
    "/my/integration/course-days/<int:course_date_id>/decline",
}


@tagged("post_install", "-at_install")
class ParticipantPortalCase(ReminderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hawa_user = new_test_user(
            cls.env,
            login="hawa_portal",
            name="Hawa Portal",
            groups="integration_program.group_participant_portal",
        )
        cls.nour_user = new_test_user(
            cls.env,
            login="nour_portal",
            name="Nour Portal",
            groups="integration_program.group_participant_portal",
        )
        cls.hawa = cls.create_participant(
            "Hawa Portal",
            partner_id=cls.hawa_user.partner_id.id,
            coach_id=cls.coach.id,
            stage_id=cls.stage["coaching"].id,
        )
        cls.nour = cls.create_participant(
            "Nour Portal",
            partner_id=cls.nour_user.partner_id.id,
            coach_id=cls.coach.id,
            stage_id=cls.stage["coaching"].id,
        )
        # Their own portal logins, as staff's invitation links them.
        cls.hawa.portal_user_id = cls.hawa_user
        cls.nour.portal_user_id = cls.nour_user
        soon = fields.Datetime.now().replace(microsecond=0) + timedelta(days=2)
        cls.hawa_appointment = cls.env["integration.appointment"].create(
            {
                "participant_id": cls.hawa.id,
                "coach_id": cls.coach.id,
                "start": soon,
                "location": "Rathausplatz 1, Raum 2.14",
            }
        )
        cls.nour_appointment = cls.env["integration.appointment"].create(
            {
                "participant_id": cls.nour.id,
                "coach_id": cls.coach.id,
                "start": soon + timedelta(hours=2),
                "location": "Beratungsstelle Nord, Raum 7",
            }
        )
        course = cls.env["integration.course"].create(
            {
                "name": "Deutsch B1",
                "program_id": cls.program.id,
                "course_type_id": cls.env.ref(
                    "integration_program.course_type_orientation"
                ).id,
                "date_start": fields.Date.today() - timedelta(days=30),
                "location": "VHS, Raum 3",
            }
        )
        cls.enrollment = cls.env["integration.enrollment"].create(
            {"course_id": course.id, "participant_id": cls.hawa.id}
        )
        cls.course_day = cls.env["integration.course.date"].create(
            {"course_id": course.id, "date": fields.Date.today() + timedelta(days=3)}
        )
        other_course = course.copy({"name": "Nähkurs"})
        cls.other_course_day = cls.env["integration.course.date"].create(
            {
                "course_id": other_course.id,
                "date": fields.Date.today() + timedelta(days=3),
            }
        )

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _post(self, url, **data):
        return self.url_open(
            url,
            data={"csrf_token": http.Request.csrf_token(self), **data},
            allow_redirects=False,
        )

    @staticmethod
    def _decline_url(appointment):
        return f"/my/integration/appointments/{appointment.id}/decline"


class TestParticipantPortal(ParticipantPortalCase):
    def test_she_is_her_portal_login_and_nobody_else(self):
        model = self.env["integration.participant"]
        self.assertEqual(model._portal_participant_for_user(self.hawa_user), self.hawa)
        self.assertFalse(model._portal_participant_for_user(self.coach))
        self.assertFalse(
            model._portal_participant_for_user(self.env.ref("base.public_user"))
        )

    def test_portal_login_has_no_access_to_the_models(self):
        for model in ("integration.appointment", "integration.reminder"):
            for operation in ("read", "write", "create", "unlink"):
                self.assertFalse(
                    self.env[model].with_user(self.hawa_user).has_access(operation)
                )

    def test_her_page_lists_her_appointments_and_course_days(self):
        self.authenticate("hawa_portal", "hawa_portal")
        # /my leads to her programme's home, which lists her next appointments
        # and links the page of all of them.
        self.assertIn('href="/my/integration"', self._get("/my").text)
        home = self._get("/my/integration").text
        self.assertIn('href="/my/integration/appointments"', home)
        self.assertIn("Meeting with my coach", home)
        response = self._get("/my/integration/appointments")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Rathausplatz 1, Raum 2.14", response.text)
        self.assertIn("Deutsch B1", response.text)
        self.assertIn("Anna", response.text)
        self.assertNotIn("Beispielcoach", response.text)
        self.assertNotIn("Beratungsstelle Nord", response.text)
        self.assertNotIn("Nähkurs", response.text)

    def test_page_refused_to_other_logins(self):
        self.authenticate("test_reminder_coach", "test_reminder_coach")
        response = self._get("/my/integration/appointments")
        # Not hers: a 404 (or the web client's redirect for coaches).
        self.assertIn(response.status_code, (303, 404))
        self.assertNotIn("o_integration_my_appointments", response.text)
        self.authenticate(None, None)
        response = self._get("/my/integration/appointments")
        self.assertEqual(response.status_code, 303, "anonymous: to the login page")

    def test_she_declines_with_her_login_and_her_coach_is_told(self):
        self.authenticate("hawa_portal", "hawa_portal")
        response = self._post(self._decline_url(self.hawa_appointment))
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.hawa_appointment.state, "declined")
        activity = self.hawa_appointment.activity_ids
        self.assertEqual(activity.user_id, self.coach)
        self.assertIn("Kann nicht kommen", activity.summary)
        self.assertIn(
            "nicht kommen kann",
            "".join(self.hawa_appointment.message_ids.mapped("body")),
        )
        location = urlsplit(response.headers["Location"])
        self.assertEqual(location.path, "/my/integration/appointments")
        self.assertEqual(location.query, "declined=1")
        page = self._get("/my/integration/appointments?declined=1")
        self.assertIn("o_integration_declined", page.text)
        self.assertNotIn("o_integration_decline ", page.text, "no button any more")

    def test_another_womans_appointment_is_refused_on_every_route(self):
        self.authenticate("hawa_portal", "hawa_portal")
        url = self._decline_url(self.nour_appointment)
        self.assertEqual(self._get(url).status_code, 404)
        self.assertEqual(self._post(url).status_code, 404)
        self.assertEqual(
            self._post(
                url, access_token=self.hawa_appointment._portal_ensure_token()
            ).status_code,
            404,
            "her own token opens only her own appointment",
        )
        unknown = self.env["integration.appointment"].browse(999999)
        self.assertEqual(self._get(self._decline_url(unknown)).status_code, 404)
        self.assertEqual(self.nour_appointment.state, "planned")
        self.assertFalse(self.nour_appointment.activity_ids)

    def test_she_declines_from_the_reminder_link_without_login(self):
        self.authenticate(None, None)
        token = self.hawa_appointment._portal_ensure_token()
        url = self._decline_url(self.hawa_appointment)
        page = self._get(f"{url}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        # Only the date and the time: no place, no name, no coach.
        for hidden in ("Rathausplatz", "Hawa", "Anna", "Deutsch B1"):
            self.assertNotIn(hidden, page.text)
        self.assertIn("o_integration_decline", page.text)
        response = self._post(url, access_token=token)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_integration_declined", response.text)
        self.assertEqual(self.hawa_appointment.state, "declined")
        self.assertEqual(self.hawa_appointment.activity_ids.user_id, self.coach)

    def test_a_wrong_token_is_refused(self):
        self.authenticate(None, None)
        url = self._decline_url(self.hawa_appointment)
        self.hawa_appointment._portal_ensure_token()
        for token in ("wrong", self.nour_appointment._portal_ensure_token()):
            self.assertEqual(self._get(f"{url}?access_token={token}").status_code, 404)
            self.assertEqual(self._post(url, access_token=token).status_code, 404)
        self.assertEqual(self._post(url).status_code, 404, "no token, no login")
        self.assertEqual(self.hawa_appointment.state, "planned")

    def test_she_declines_a_course_day(self):
        self.authenticate("hawa_portal", "hawa_portal")
        response = self._post(
            f"/my/integration/course-days/{self.course_day.id}/decline"
        )
        self.assertEqual(response.status_code, 303)
        attendance = self.course_day.attendance_ids
        self.assertEqual(attendance.enrollment_id, self.enrollment)
        self.assertEqual(attendance.state, "excused")
        self.assertEqual(self.hawa.activity_ids.user_id, self.coach)
        # The day is not reminded any more.
        self.assertFalse(
            self.env["integration.reminder"]._due_course_reminders(
                self.program, self.course_day.date, self.course_day.date
            )
        )
        response = self._post(
            f"/my/integration/course-days/{self.other_course_day.id}/decline"
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.other_course_day.attendance_ids)


@tagged("post_install", "-at_install")
class TestParticipantDeclineTour(ParticipantPortalCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_she_declines_an_appointment_on_her_phone(self):
        self.start_tour(
            "/my/integration/appointments",
            "integration_participant_decline_tour",
            login="hawa_portal",
        )
        self.assertEqual(self.hawa_appointment.state, "declined")
        self.assertEqual(self.hawa_appointment.activity_ids.user_id, self.coach)
