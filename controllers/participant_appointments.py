"""The participant's own page of appointments and course days, and her answer
"I cannot come".

She is a portal user without any access right on the addon's models; these
routes read and write with ``sudo()`` under the rules of ``controllers/portal.py``:

1. her participant record comes from her login (``_portal_participant_for_user``),
   never from a parameter; an appointment or course day id she sends is looked up
   among her own, and any other is a 404;
2. a woman without a login declines from her reminder's link, whose token (the
   appointment's ``access_token``, compared with ``consteq``) opens exactly one
   thing: declining that appointment, showing only its date and time;
3. the pages show date, time, place, mode and the coach's first name, nothing of
   the coaching (topics, notes, obstacles).
"""

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import CustomerPortal

# Her page lists what comes in the next weeks, not the whole course plan.
COURSE_DAYS_AHEAD = 60
COURSE_DAYS_SHOWN = 20


class ParticipantAppointments(CustomerPortal):
    def _participant(self):
        participant = request.env[
            "integration.participant"
        ]._portal_participant_for_user(request.env.user)
        if not participant:
            raise NotFound()
        return participant

    @staticmethod
    def _her_appointments(participant):
        return (
            request.env["integration.appointment"]
            .sudo()
            .search(
                [
                    ("participant_id", "=", participant.id),
                    ("state", "in", ("planned", "declined")),
                    ("start", ">=", fields.Datetime.now()),
                ],
                order="start, id",
            )
        )

    @staticmethod
    def _her_course_days(participant):
        today = fields.Date.context_today(participant)
        days = request.env["integration.reminder"]._course_days_for(participant, today)
        until = fields.Date.add(today, days=COURSE_DAYS_AHEAD)
        return days.filtered(lambda day: day.date <= until)[:COURSE_DAYS_SHOWN]

    @http.route("/my/integration/appointments", type="http", auth="user", website=True)
    def portal_my_appointments(self, **kwargs):
        participant = self._participant()
        course_days = self._her_course_days(participant)
        excused = (
            request.env["integration.attendance"]
            .sudo()
            .search(
                [
                    ("course_date_id", "in", course_days.ids),
                    ("participant_id", "=", participant.id),
                    ("state", "=", "excused"),
                ]
            )
            .course_date_id
        )
        values = self._prepare_portal_layout_values()
        values |= {
            "page_name": "integration_appointments",
            "appointments": self._her_appointments(participant),
            "course_days": course_days,
            "excused_days": excused,
            "tz": participant.partner_id.tz or "Europe/Berlin",
            "declined": kwargs.get("declined"),
        }
        return request.render("integration_program.portal_my_appointments", values)

    @http.route(
        "/my/integration/appointments/<int:appointment_id>/decline",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_appointment_decline(self, appointment_id, access_token=None, **kwargs):
        appointment = (
            request.env["integration.appointment"]
            .sudo()
            .browse(appointment_id)
            .exists()
        )
        if not appointment:
            raise NotFound()
        if access_token:
            if not appointment.access_token or not consteq(
                appointment.access_token, access_token
            ):
                raise NotFound()
        elif appointment.participant_id != self._participant():
            raise NotFound()
        her_lang = appointment.participant_id.partner_id.lang
        if access_token and her_lang:
            # The link in her reminder opens in her language, as the reminder.
            request.update_context(lang=her_lang)
        if request.httprequest.method == "POST":
            if appointment._can_be_declined():
                appointment._decline_by_participant()
            if not access_token:
                return request.redirect("/my/integration/appointments?declined=1")
        values = {
            "appointment": appointment,
            "access_token": access_token,
            "tz": appointment.participant_id.partner_id.tz or "Europe/Berlin",
            "can_decline": appointment._can_be_declined(),
            "declined": appointment.state == "declined",
        }
        return request.render("integration_program.portal_appointment_decline", values)

    @http.route(
        "/my/integration/course-days/<int:course_date_id>/decline",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_course_day_decline(self, course_date_id, **kwargs):
        participant = self._participant()
        course_day = self._her_course_days(participant).filtered(
            lambda day: day.id == course_date_id
        )
        if not course_day:
            raise NotFound()
        course_day._decline_by_participant(participant)
        return request.redirect("/my/integration/appointments?declined=1")
