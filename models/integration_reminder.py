from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.fields import Domain

from odoo.addons.base.models.res_partner import _lang_get

from .reader_lang import reader_env

DEFAULT_TZ = "Europe/Berlin"


class IntegrationReminder(models.Model):
    """One reminder sent to a participant: of an appointment (for the time it had
    then: a moved appointment is reminded again) or of a course day. It is the
    record the mail and SMS templates render, and it exposes to them only what a
    reminder may tell: date, time, place, the coach's first name."""

    _name = "integration.reminder"
    _description = "Appointment or Course Day Reminder"
    _order = "create_date desc, id desc"
    _rec_name = "participant_id"

    participant_id = fields.Many2one(
        "integration.participant",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    appointment_id = fields.Many2one(
        "integration.appointment", index=True, ondelete="cascade", readonly=True
    )
    course_date_id = fields.Many2one(
        "integration.course.date", index=True, ondelete="cascade", readonly=True
    )
    start = fields.Datetime(
        string="Reminded Time",
        readonly=True,
        help="The appointment's time when she was reminded.",
    )
    date = fields.Date(readonly=True)
    tz = fields.Char(string="Time Zone", readonly=True)
    lang = fields.Selection(_lang_get, string="Language", readonly=True)
    mail_sent = fields.Boolean(string="By E-mail", readonly=True)
    sms_sent = fields.Boolean(string="By SMS", readonly=True)

    # What the templates may show, and nothing else.
    coach_first_name = fields.Char(compute="_compute_template_values")
    place = fields.Char(compute="_compute_template_values")
    mode_label = fields.Char(compute="_compute_template_values")
    course_name = fields.Char(compute="_compute_template_values")
    course_schedule = fields.Char(compute="_compute_template_values")
    decline_url = fields.Char(compute="_compute_template_values")

    _appointment_start_uniq = models.UniqueIndex(
        "(appointment_id, start) WHERE appointment_id IS NOT NULL",
        "This appointment was already reminded for this time.",
    )
    _course_date_participant_uniq = models.UniqueIndex(
        "(course_date_id, participant_id) WHERE course_date_id IS NOT NULL",
        "She was already reminded of this course day.",
    )

    @api.depends_context("lang")
    @api.depends("appointment_id", "course_date_id")
    def _compute_template_values(self):
        modes = dict(
            self.env["integration.appointment"]
            ._fields["mode"]
            ._description_selection(self.env)
        )
        for reminder in self:
            appointment = reminder.appointment_id.sudo()
            course = reminder.course_date_id.sudo().course_id
            reminder.coach_first_name = appointment.coach_first_name
            reminder.place = appointment.location or course.location or False
            reminder.mode_label = modes.get(appointment.mode, False)
            reminder.course_name = course.display_name or False
            reminder.course_schedule = course.schedule or False
            reminder.decline_url = (
                appointment.get_base_url()
                + f"/my/integration/appointments/{appointment.id}/decline"
                + f"?access_token={appointment._portal_ensure_token()}"
                if appointment
                else False
            )

    # ------------------------------------------------------------------
    # Who is reminded
    # ------------------------------------------------------------------
    @api.model
    def _reminder_partner(self, participant):
        """Her contact, if she may be reminded: in the programme, not paused,
        not opted out, with an e-mail address or a phone number."""
        participant = participant.sudo()
        partner = participant.partner_id
        if (
            not participant.active
            or participant.no_reminders
            or participant.is_paused
            or participant.milestone == "exited"
            or not (partner.email or partner.phone)
        ):
            return partner.browse()
        return partner

    # ------------------------------------------------------------------
    # The cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_send_reminders(self):
        now = fields.Datetime.now()
        programs = (
            self.env["integration.program"]
            .sudo()
            .search([("send_reminders", "=", True)])
        )
        vals_list = []
        for program in programs:
            horizon = timedelta(days=program.reminder_lead_days)
            vals_list += self._due_appointment_reminders(program, now, now + horizon)
            today = fields.Date.context_today(self.with_context(tz=DEFAULT_TZ))
            vals_list += self._due_course_reminders(program, today, today + horizon)
        reminders = self.sudo().create(vals_list)
        reminders._send()
        return reminders

    @api.model
    def _due_appointment_reminders(self, program, date_from, date_to):
        appointments = (
            self.env["integration.appointment"]
            .sudo()
            .search(
                [
                    ("program_id", "=", program.id),
                    ("state", "=", "planned"),
                    ("start", ">", date_from),
                    ("start", "<=", date_to),
                ]
            )
        )
        done = {
            (reminder.appointment_id.id, reminder.start)
            for reminder in self.sudo().search(
                [("appointment_id", "in", appointments.ids)]
            )
        }
        vals_list = []
        for appointment in appointments:
            participant = appointment.participant_id
            partner = self._reminder_partner(participant)
            if not partner or (appointment.id, appointment.start) in done:
                continue
            tz = partner.tz or appointment.coach_id.tz or DEFAULT_TZ
            local = pytz.utc.localize(appointment.start).astimezone(pytz.timezone(tz))
            vals_list.append(
                {
                    "participant_id": participant.id,
                    "appointment_id": appointment.id,
                    "start": appointment.start,
                    "date": local.date(),
                    "tz": tz,
                }
            )
        return vals_list

    @api.model
    def _due_course_reminders(self, program, date_from, date_to):
        course_dates = (
            self.env["integration.course.date"]
            .sudo()
            .search(
                [
                    ("program_id", "=", program.id),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ]
            )
        )
        enrollments = (
            self.env["integration.enrollment"]
            .sudo()
            .search(
                [
                    ("course_id", "in", course_dates.course_id.ids),
                    ("state", "=", "enrolled"),
                ]
            )
        )
        done = {
            (reminder.course_date_id.id, reminder.participant_id.id)
            for reminder in self.sudo().search(
                [("course_date_id", "in", course_dates.ids)]
            )
        }
        # A day she already said she cannot come to is not reminded.
        excused = {
            (attendance.course_date_id.id, attendance.participant_id.id)
            for attendance in self.env["integration.attendance"]
            .sudo()
            .search(
                [("course_date_id", "in", course_dates.ids), ("state", "=", "excused")]
            )
        }
        vals_list = []
        for course_date in course_dates:
            for enrollment in enrollments.filtered(
                lambda e, course_date=course_date: e.course_id == course_date.course_id
            ):
                participant = enrollment.participant_id
                key = (course_date.id, participant.id)
                partner = self._reminder_partner(participant)
                if not partner or key in done or key in excused:
                    continue
                vals_list.append(
                    {
                        "participant_id": participant.id,
                        "course_date_id": course_date.id,
                        "date": course_date.date,
                        "tz": partner.tz or DEFAULT_TZ,
                    }
                )
        return vals_list

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    def _templates(self):
        """(mail template, SMS template) of the reminder's kind."""
        self.ensure_one()
        kind = "appointment" if self.appointment_id else "course_date"
        return (
            self.env.ref(f"integration_program.mail_template_reminder_{kind}"),
            self.env.ref(f"integration_program.sms_template_reminder_{kind}"),
        )

    def _send(self):
        """Queue her reminder by e-mail and, with a phone number, by SMS: Odoo's
        mail and SMS queues deliver them (and retry on failure)."""
        sms_values = []
        for reminder in self.sudo():
            partner = reminder.participant_id.partner_id
            mail_template, sms_template = reminder._templates()
            values = {"lang": partner.lang or False}
            if partner.email:
                mail_template.send_mail(
                    reminder.id,
                    force_send=False,
                    email_layout_xmlid="mail.mail_notification_light",
                    email_values={
                        "subject": reminder._render_one_line(mail_template, "subject")
                    },
                )
                values["mail_sent"] = True
            number = partner.phone and partner._phone_format(number=partner.phone)
            if number:
                body = reminder._render_one_line(sms_template, "body")
                sms_values.append(
                    {"number": number, "body": body, "partner_id": partner.id}
                )
                values["sms_sent"] = True
            reminder.write(values)
            reminder._log_on_appointment()
        if sms_values:
            self.env["sms.sms"].sudo().create(sms_values)
            self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger()

    def _render_one_line(self, template, field):
        """A subject or an SMS in her language, on one line: the template's
        source is wrapped like any XML text."""
        self.ensure_one()
        rendered = template._render_field(field, self.ids, compute_lang=True)
        return " ".join((rendered[self.id] or "").split())

    def _log_on_appointment(self):
        """Her coach sees on the appointment that she was reminded, and how."""
        self.ensure_one()
        if not self.appointment_id:
            return
        env = reader_env(self.env, self.appointment_id.coach_id.lang)
        channels = []
        if self.mail_sent:
            channels.append(env._("e-mail"))
        if self.sms_sent:
            channels.append(env._("SMS"))
        self.appointment_id.message_post(
            body=env._("Reminder sent to her by %s.", " + ".join(channels)),
            subtype_xmlid="mail.mt_note",
        )

    @api.model
    def _course_days_for(self, participant, date_from):
        """Her coming course days (of the courses she is enrolled in), as
        superuser: for her own portal page only."""
        enrollments = participant.sudo().enrollment_ids.filtered(
            lambda e: e.state == "enrolled"
        )
        return (
            self.env["integration.course.date"]
            .sudo()
            .search(
                Domain("course_id", "in", enrollments.course_id.ids)
                & Domain("date", ">=", date_from),
                order="date, id",
            )
        )
