from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .reader_lang import reader_env


class IntegrationCourseDate(models.Model):
    _name = "integration.course.date"
    _description = "Course Date"
    _order = "date desc, id desc"
    _rec_name = "date"

    course_id = fields.Many2one(
        "integration.course", required=True, index=True, ondelete="cascade"
    )
    program_id = fields.Many2one(related="course_id.program_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    topic = fields.Char(size=200)
    duration = fields.Float(
        string="Duration (hours)",
        default=3.0,
        help="Length of the course date: the hours it counts for those present.",
    )
    attendance_ids = fields.One2many(
        "integration.attendance", "course_date_id", string="Attendance Register"
    )
    present_count = fields.Integer(compute="_compute_attendance_counts")
    excused_count = fields.Integer(compute="_compute_attendance_counts")
    absent_count = fields.Integer(compute="_compute_attendance_counts")

    _course_date_uniq = models.Constraint(
        "UNIQUE(course_id, date)",
        "This course already has a register for that day.",
    )

    @api.depends("attendance_ids.state")
    def _compute_attendance_counts(self):
        for course_date in self:
            states = course_date.attendance_ids.mapped("state")
            course_date.present_count = states.count("present")
            course_date.excused_count = states.count("excused")
            course_date.absent_count = states.count("absent")

    @api.depends("course_id.display_name", "date")
    def _compute_display_name(self):
        for course_date in self:
            course_date.display_name = (
                f"{course_date.course_id.display_name}, "
                f"{fields.Date.to_string(course_date.date) if course_date.date else ''}"
            )

    @api.constrains("date", "course_id")
    def _check_date_in_course(self):
        for course_date in self:
            course = course_date.course_id
            if course_date.date < course.date_start or (
                course.date_end and course_date.date > course.date_end
            ):
                raise ValidationError(
                    self.env._(
                        "%(date)s lies outside the course %(course)s "
                        "(%(start)s to %(end)s).",
                        date=course_date.date,
                        course=course.display_name,
                        start=course.date_start,
                        end=course.date_end or "…",
                    )
                )

    def _register_enrollments(self):
        """The women a register lists: enrolled, or completed the course."""
        self.ensure_one()
        return self.course_id.enrollment_ids.filtered(
            lambda enrollment: enrollment.state in ("enrolled", "completed")
        ).sorted(lambda enrollment: enrollment.participant_id.name or "")

    def _record_attendance(self, states):
        """Save the register of this day: ``states`` maps enrolment ids of this
        course to present, excused or absent. Enrolments of other courses are
        refused, not ignored."""
        self.ensure_one()
        allowed = self._register_enrollments()
        unknown = set(states) - set(allowed.ids)
        if unknown:
            raise ValidationError(
                self.env._("The register lists only the women enrolled in this course.")
            )
        valid_states = dict(
            self.env["integration.attendance"]._fields["state"].selection
        )
        if any(state not in valid_states for state in states.values()):
            raise ValidationError(
                self.env._("Mark each woman as present, excused or absent.")
            )
        existing = {
            attendance.enrollment_id.id: attendance
            for attendance in self.attendance_ids
        }
        new_vals = []
        for enrollment_id, state in states.items():
            if enrollment_id in existing:
                if existing[enrollment_id].state != state:
                    existing[enrollment_id].state = state
            else:
                new_vals.append(
                    {
                        "course_date_id": self.id,
                        "enrollment_id": enrollment_id,
                        "state": state,
                    }
                )
        self.env["integration.attendance"].create(new_vals)
        return True

    def _decline_by_participant(self, participant):
        """She cannot come to this course day: the day's register shows her as
        excused, and her coach gets a note and an activity. Called by her portal
        page, which has checked that she is enrolled in the course."""
        self.ensure_one()
        participant = participant.sudo()
        enrollment = participant.enrollment_ids.filtered(
            lambda e: e.course_id == self.course_id and e.state == "enrolled"
        )
        if not enrollment:
            raise ValidationError(
                self.env._("She is not enrolled in %s.", self.course_id.display_name)
            )
        self.sudo()._record_attendance({enrollment.id: "excused"})
        coach = participant.coach_id
        env = reader_env(self.env, coach.lang)
        message = env._(
            "%(name)s answered that she cannot come to %(course)s on %(date)s.",
            name=participant.name,
            course=self.course_id.display_name,
            date=self.date.strftime("%d.%m.%Y"),
        )
        participant.message_post(
            body=Markup("<p>%s</p>") % message,
            subtype_xmlid="mail.mt_note",
            author_id=participant.partner_id.id,
        )
        if coach:
            participant.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=min(fields.Date.context_today(self), self.date),
                summary=env._("Cannot come to a course day"),
                note=message,
                user_id=coach.id,
            )
        return True
