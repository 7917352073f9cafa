from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html2plaintext

from .reader_lang import reader_env
from .surface_access import checked_message_ids

# What a logged session tells; one of them at least is filled in.
CONTENT_FIELDS = {"topics", "obstacle_ids", "next_steps", "notes"}

SESSION_MODES = [
    ("in_person", "In person"),
    ("phone", "Phone"),
    ("video", "Video call"),
    ("accompaniment", "Accompaniment to an office"),
]


class IntegrationCoachingSession(models.Model):
    _name = "integration.coaching.session"
    _description = "Coaching Session"
    _inherit = [
        "integration.input.mixin",
        "integration.coached.record",
        "integration.organisation.access",
        "mail.thread",
    ]
    message_ids = checked_message_ids()
    _order = "date desc, id desc"
    _rec_name = "participant_id"
    _integration_max_lengths = {"topics": 500}

    coach_id = fields.Many2one(tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    duration = fields.Float(
        string="Duration (hours)", default=1.0, help="Length of the session."
    )
    mode = fields.Selection(SESSION_MODES, required=True, default="in_person")
    topics = fields.Char(help="What was talked about, in a few words.")
    obstacle_ids = fields.Many2many(
        "integration.obstacle",
        "integration_coaching_session_obstacle_rel",
        "session_id",
        "obstacle_id",
        string="Obstacles",
    )
    notes = fields.Html(
        string="Confidential Notes",
        groups="integration_program.group_coach,integration_program.group_manager",
        help="Readable only by the coach's provider and the programme managers: "
        "the provider that wrote them, not one that accompanies her later.",
    )
    next_steps = fields.Text(string="Agreed Next Steps")
    appointment_id = fields.Many2one(
        "integration.appointment",
        index="btree_not_null",
        ondelete="set null",
        help="The planned appointment this session was held at.",
    )
    followup_date = fields.Date(
        string="Follow-up On",
        help="Schedules a follow-up activity for the coach on the participant.",
    )

    @api.constrains("date", "duration")
    def _check_date_duration(self):
        today = fields.Date.context_today(self)
        for session in self:
            if session.date > today:
                raise ValidationError(
                    self.env._(
                        "A session cannot be logged for a future date (%(date)s): "
                        "plan it as an activity instead.",
                        date=session.date,
                    )
                )
            if session.duration < 0 or session.duration > 24:
                raise ValidationError(
                    self.env._("A session lasts between 0 and 24 hours.")
                )

    def _check_content(self):
        """A dialog left open (and saved by a reload) must not log a contact that
        never took place: it would reset her last contact date. Checked when a
        session is logged or edited; anonymisation (as superuser) empties them."""
        # sudo: the notes count as content also for staff, who may not read them.
        for session in self.sudo():
            if not (
                (session.topics or "").strip()
                or session.obstacle_ids
                or (session.next_steps or "").strip()
                or html2plaintext(session.notes or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "The session is empty: write down at least its topics, an "
                        "obstacle, the agreed next steps or a note. An empty "
                        "session is not saved and does not count as a contact."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._integration_check_vals(vals)
        sessions = super().create(vals_list)
        sessions._check_content()
        sessions._schedule_followups()
        for session in sessions.filtered("appointment_id"):
            if session.appointment_id.participant_id != session.participant_id:
                raise ValidationError(
                    self.env._("The appointment belongs to another participant.")
                )
            session.appointment_id._mark_held(session)
        sessions.participant_id._close_stale_contact_activities()
        return sessions

    def _schedule_followups(self):
        for session in self.filtered("followup_date"):
            session.participant_id.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=session.followup_date,
                summary=reader_env(self.env, session.coach_id.lang)._(
                    "Follow-up of the coaching session"
                ),
                note=session.next_steps or "",
                user_id=session.coach_id.id,
            )

    def write(self, vals):
        self._integration_check_vals(vals)
        result = super().write(vals)
        if not self.env.su and CONTENT_FIELDS.intersection(vals):
            self._check_content()
        return result
