from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .reader_lang import reader_env
from .surface_access import checked_activity_ids, checked_message_ids

APPOINTMENT_MODES = [
    ("in_person", "In person"),
    ("phone", "Phone call"),
    ("video", "Video call"),
]

APPOINTMENT_STATES = [
    ("planned", "Planned"),
    ("held", "Held"),
    ("declined", "Cannot Come"),
    ("cancelled", "Cancelled"),
]

# A session logged for an appointment keeps the way they met.
SESSION_MODE = {"in_person": "in_person", "phone": "phone", "video": "video"}


class IntegrationAppointment(models.Model):
    """A meeting of her coach with her, planned ahead. It is not a contact: only
    the coaching session logged once it was held counts (last contact, KPIs)."""

    _name = "integration.appointment"
    _description = "Coaching Appointment"
    _inherit = [
        "integration.input.mixin",
        "integration.coached.record",
        "integration.organisation.access",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    message_ids = checked_message_ids()
    activity_ids = checked_activity_ids()
    _order = "start desc, id desc"
    _integration_max_lengths = {"location": 200}

    participant_id = fields.Many2one(tracking=True)
    coach_id = fields.Many2one(tracking=True)
    start = fields.Datetime(
        string="Date and Time", required=True, index=True, tracking=True
    )
    duration = fields.Float(string="Duration (hours)", default=1.0)
    coach_first_name = fields.Char(compute="_compute_coach_first_name")
    stop = fields.Datetime(string="End", compute="_compute_stop", store=True)
    mode = fields.Selection(
        APPOINTMENT_MODES, required=True, default="in_person", tracking=True
    )
    location = fields.Char(
        string="Place",
        tracking=True,
        help="Address or room; for a call, the number or link she uses. "
        "Shown in her reminder: write nothing confidential here.",
    )
    state = fields.Selection(
        APPOINTMENT_STATES,
        string="Status",
        required=True,
        default="planned",
        tracking=True,
        index=True,
        copy=False,
    )
    declined_on = fields.Datetime(
        string="Cancelled by Her On", readonly=True, copy=False
    )
    session_id = fields.Many2one(
        "integration.coaching.session",
        string="Logged Session",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    reminder_ids = fields.One2many(
        "integration.reminder", "appointment_id", string="Reminders Sent"
    )

    @api.depends("coach_id.name")
    def _compute_coach_first_name(self):
        # All a reminder or her page tells of the coach.
        for appointment in self:
            names = (appointment.coach_id.name or "").split()
            appointment.coach_first_name = names[0] if names else False

    @api.depends("start", "duration")
    def _compute_stop(self):
        for appointment in self:
            appointment.stop = appointment.start and appointment.start + timedelta(
                hours=appointment.duration or 0
            )

    @api.depends("participant_id", "start")
    def _compute_display_name(self):
        for appointment in self:
            when = (
                fields.Datetime.context_timestamp(appointment, appointment.start)
                if appointment.start
                else False
            )
            appointment.display_name = " – ".join(
                part
                for part in (
                    appointment.participant_id.display_name,
                    when and when.strftime("%Y-%m-%d %H:%M"),
                )
                if part
            )

    def _compute_access_url(self):
        for appointment in self:
            appointment.access_url = "/my/integration/appointments"

    @api.constrains("duration")
    def _check_duration(self):
        for appointment in self:
            if appointment.duration < 0 or appointment.duration > 24:
                raise ValidationError(
                    self.env._("An appointment lasts between 0 and 24 hours.")
                )

    @api.onchange("participant_id")
    def _onchange_participant_id(self):
        coach = self.participant_id.coach_id
        if coach:
            self.coach_id = coach

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._integration_check_vals(vals)
        appointments = super().create(vals_list)
        for appointment in appointments:
            if appointment.coach_id.partner_id:
                appointment.message_subscribe(appointment.coach_id.partner_id.ids)
        return appointments

    def write(self, vals):
        self._integration_check_vals(vals)
        if "start" in vals and "state" not in vals:
            # Moved after she said she cannot come: planned again (and
            # reminded again, for the new time).
            declined = self.filtered(lambda a: a.state == "declined")
            if declined:
                super(IntegrationAppointment, declined).write({"state": "planned"})
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions of the coach
    # ------------------------------------------------------------------
    def action_log_session(self):
        """Held: log the coaching session (which then counts as her contact)."""
        self.ensure_one()
        if self.state == "cancelled":
            raise UserError(
                self.env._("This appointment was cancelled: reset it to planned first.")
            )
        local_start = fields.Datetime.context_timestamp(self, self.start)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Coaching Session"),
            "res_model": "integration.coaching.session",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_participant_id": self.participant_id.id,
                "default_coach_id": self.coach_id.id,
                "default_date": fields.Date.to_string(local_start.date()),
                "default_duration": self.duration,
                "default_mode": SESSION_MODE[self.mode],
                "default_appointment_id": self.id,
            },
        }

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_reset_planned(self):
        self.write({"state": "planned", "declined_on": False})

    def _mark_held(self, session):
        self.write({"state": "held", "session_id": session.id})

    # ------------------------------------------------------------------
    # Her answer: "I cannot come"
    # ------------------------------------------------------------------
    def _can_be_declined(self):
        self.ensure_one()
        return self.state == "planned" and self.start > fields.Datetime.now()

    def _decline_by_participant(self):
        """She cannot come: the appointment is marked and her coach gets a note
        and an activity to agree a new date, in the coach's language. Called by
        the portal routes, which have checked that it is hers."""
        for appointment in self:
            if not appointment._can_be_declined():
                raise UserError(
                    self.env._("This appointment can no longer be cancelled here.")
                )
            appointment.write(
                {"state": "declined", "declined_on": fields.Datetime.now()}
            )
            coach = appointment._coach_to_notify()
            env = reader_env(self.env, coach.lang)
            when = fields.Datetime.context_timestamp(
                appointment.with_context(tz=coach.tz or appointment.coach_id.tz),
                appointment.start,
            ).strftime("%d.%m.%Y %H:%M")
            appointment.message_post(
                body=Markup("<p>%s</p>")
                % env._(
                    "%(name)s answered that she cannot come on %(when)s.",
                    name=appointment.participant_id.name,
                    when=when,
                ),
                subtype_xmlid="mail.mt_note",
                author_id=appointment.participant_id.partner_id.id,
            )
            if coach:
                appointment.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=fields.Date.context_today(appointment),
                    summary=env._("Cannot come: agree a new appointment"),
                    user_id=coach.id,
                )
        return True

    def _coach_to_notify(self):
        """The appointment's coach, or her current coach when the appointment's
        coach no longer sees it (she changed provider since)."""
        self.ensure_one()
        for coach in (self.coach_id, self.participant_id.sudo().coach_id):
            if coach and self.with_user(coach).has_access("read"):
                return coach
        return self.env["res.users"]
