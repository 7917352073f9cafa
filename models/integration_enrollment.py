from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from .mail_activity import quiet_during_install
from .reader_lang import programme_lang, reader_env
from .surface_access import checked_message_ids

ENROLLMENT_STATES = [
    ("waitlist", "Waiting List"),
    ("enrolled", "Enrolled"),
    ("completed", "Completed"),
    ("dropped", "Dropped"),
]


class IntegrationEnrollment(models.Model):
    _name = "integration.enrollment"
    _description = "Course Enrolment"
    _inherit = [
        "integration.input.mixin",
        "integration.organisation.access",
        "mail.thread",
    ]
    message_ids = checked_message_ids()
    _order = "state desc, date_waitlisted, id"
    _rec_name = "participant_id"
    _organisation_access_fields = ("participant_id", "course_id")
    _integration_max_lengths = {"drop_reason": 500}

    course_id = fields.Many2one(
        "integration.course", required=True, index=True, ondelete="cascade"
    )
    participant_id = fields.Many2one(
        "integration.participant", required=True, index=True, ondelete="cascade"
    )
    program_id = fields.Many2one(related="course_id.program_id", store=True)
    course_type_id = fields.Many2one(related="course_id.course_type_id", store=True)
    state = fields.Selection(
        ENROLLMENT_STATES, required=True, default="enrolled", tracking=True, index=True
    )
    date_enrolled = fields.Date(string="Enrolled On", tracking=True)
    date_waitlisted = fields.Datetime(string="On Waiting List Since", copy=False)
    date_end = fields.Date(string="Completed or Dropped On", tracking=True)
    waitlist_position = fields.Integer(compute="_compute_waitlist_position")
    attendance_ids = fields.One2many(
        "integration.attendance", "enrollment_id", string="Attendance Register"
    )
    attendance_rate = fields.Float(
        string="Attendance (%)",
        tracking=True,
        aggregator="avg",
        compute="_compute_attendance_rate",
        store=True,
        readonly=False,
        help="Share of the registered course dates she attended. Filled from the "
        "attendance register once it has entries; entered by hand otherwise.",
    )
    absent_count = fields.Integer(
        string="Unexcused Absences", compute="_compute_attendance_rate", store=True
    )
    certificate_obtained = fields.Boolean(tracking=True)
    drop_reason = fields.Char(tracking=True)

    _course_participant_uniq = models.Constraint(
        "UNIQUE(course_id, participant_id)",
        "This participant is already enrolled in this course (or on its waiting list).",
    )

    @api.depends("state", "course_id", "course_id.enrollment_ids.state")
    def _compute_waitlist_position(self):
        # Only a course with someone of ours waiting has a queue to look up.
        waiting_courses = self.filtered(lambda e: e.state == "waitlist").course_id
        waiting = self.sudo().search(
            [("course_id", "in", waiting_courses.ids), ("state", "=", "waitlist")],
            order="date_waitlisted, id",
        )
        positions = {}
        for enrollment in waiting:
            course_queue = positions.setdefault(enrollment.course_id.id, [])
            course_queue.append(enrollment.id)
        for enrollment in self:
            if not enrollment._origin and enrollment.state == "waitlist":
                # Not saved yet: she would join the end of the queue.
                enrollment.waitlist_position = (
                    enrollment.course_id.sudo().waitlist_count + 1
                )
                continue
            queue = positions.get(enrollment.course_id.id, [])
            enrollment.waitlist_position = (
                queue.index(enrollment.id) + 1 if enrollment.id in queue else 0
            )

    @api.onchange("course_id")
    def _onchange_course_id_waitlist(self):
        """Before it is saved, a new enrolment already shows where she will be:
        on the waiting list of a full course, as saving it decides."""
        for enrollment in self.filtered(
            lambda e: not e._origin and e.state in ("enrolled", "waitlist")
        ):
            course = enrollment.course_id.sudo()
            full = course and course.seats_taken >= course.seats_max
            enrollment.state = "waitlist" if full else "enrolled"

    @api.depends("attendance_ids.state")
    def _compute_attendance_rate(self):
        for enrollment in self:
            states = enrollment.attendance_ids.mapped("state")
            enrollment.absent_count = states.count("absent")
            if states:
                enrollment.attendance_rate = round(
                    100.0 * states.count("present") / len(states), 1
                )
            else:
                enrollment.attendance_rate = enrollment.attendance_rate

    @api.constrains("attendance_rate")
    def _check_attendance_rate(self):
        for enrollment in self:
            if not 0 <= enrollment.attendance_rate <= 100:
                raise ValidationError(
                    self.env._("The attendance is a percentage between 0 and 100.")
                )

    @api.constrains("date_enrolled", "date_end")
    def _check_dates(self):
        for enrollment in self:
            if (
                enrollment.date_enrolled
                and enrollment.date_end
                and enrollment.date_end < enrollment.date_enrolled
            ):
                raise ValidationError(
                    self.env._(
                        "%(name)s cannot leave the course (%(end)s) before she was "
                        "enrolled (%(start)s).",
                        name=enrollment.participant_id.name,
                        end=enrollment.date_end,
                        start=enrollment.date_enrolled,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._integration_check_vals(vals)
        courses = self.env["integration.course"].browse(
            {vals["course_id"] for vals in vals_list if vals.get("course_id")}
        )
        courses._lock_seats()
        self._check_not_enrolled_yet(vals_list)
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        taken = {course.id: course.seats_taken for course in courses}
        for vals in vals_list:
            course = courses.browse(vals["course_id"])
            state = vals.get("state", "enrolled")
            # Completed and dropped enrolments of closed courses are history.
            if state in ("enrolled", "waitlist") and course.state in (
                "done",
                "cancelled",
            ):
                raise UserError(
                    self.env._(
                        "%(course)s is %(state)s: no one can be enrolled any more.",
                        course=course.display_name,
                        state=course._fields["state"].convert_to_export(
                            course.state, course
                        ),
                    )
                )
            if state == "enrolled":
                if taken[course.id] >= course.seats_max:
                    # Full: she joins the waiting list instead.
                    state = vals["state"] = "waitlist"
                else:
                    taken[course.id] += 1
            elif state == "completed":
                # Who completed a course had a seat in it.
                if taken[course.id] >= course.seats_max:
                    raise ValidationError(course._no_seat_message())
                taken[course.id] += 1
            if state == "waitlist":
                vals.setdefault("date_waitlisted", now)
            elif state == "enrolled":
                vals.setdefault("date_enrolled", today)
        enrollments = super().create(vals_list)
        enrollments.filtered(lambda e: e.state == "enrolled")._notify_participant(
            "integration_program.mail_template_enrollment_confirmation"
        )
        return enrollments

    def _check_not_enrolled_yet(self, vals_list):
        pairs = [
            (vals.get("course_id"), vals.get("participant_id")) for vals in vals_list
        ]
        if len(set(pairs)) != len(pairs):
            raise ValidationError(
                self.env._("The same participant is listed twice for one course.")
            )
        # One query for the whole batch; the UNIQUE constraint stays the backstop.
        existing = self.sudo().search(
            Domain.OR(
                Domain("course_id", "=", course_id)
                & Domain("participant_id", "=", participant_id)
                for course_id, participant_id in pairs
            ),
            limit=1,
        )
        if existing:
            raise ValidationError(
                self.env._(
                    "%(name)s is already registered for %(course)s (%(state)s).",
                    name=existing.participant_id.name,
                    course=existing.course_id.display_name,
                    state=existing._fields["state"].convert_to_export(
                        existing.state, existing
                    ),
                )
            )

    def write(self, vals):
        self._integration_check_vals(vals)
        self._check_seats_on_write(vals)
        if vals.get("state") in ("dropped", "completed"):
            # Never before her enrolment, even when the user who enrolled her
            # worked in a timezone already on the next day.
            vals.setdefault(
                "date_end",
                max(
                    [fields.Date.context_today(self)]
                    + [day for day in self.mapped("date_enrolled") if day]
                ),
            )
        # Seats freed in the courses they leave or in which they stop.
        freed_courses = self.env["integration.course"]
        if vals.get("state") in ("dropped", "waitlist") or "course_id" in vals:
            freed_courses = self.filtered(
                lambda e: e.state in ("enrolled", "completed")
            ).course_id
        result = super().write(vals)
        if freed_courses:
            freed_courses._promote_waitlist()
        return result

    def _check_seats_on_write(self, vals):
        """Every way into a course takes a seat in it: a new state, a new course,
        or both. A closed course takes nobody in."""
        if "course_id" not in vals and vals.get("state") not in (
            "enrolled",
            "completed",
            "waitlist",
        ):
            return
        seated = ("enrolled", "completed")
        new_course = self.env["integration.course"].browse(vals.get("course_id"))
        (self.course_id | new_course)._lock_seats()
        newcomers = {}
        for enrollment in self:
            course = new_course or enrollment.course_id
            state = vals.get("state", enrollment.state)
            moving = course != enrollment.course_id
            if (
                state in ("enrolled", "waitlist")
                and course.state in ("done", "cancelled")
                and (moving or state != enrollment.state)
            ):
                raise UserError(
                    self.env._(
                        "%(course)s is %(state)s: no one can be enrolled any more.",
                        course=course.display_name,
                        state=course._fields["state"].convert_to_export(
                            course.state, course
                        ),
                    )
                )
            if state in seated and (moving or enrollment.state not in seated):
                newcomers[course] = newcomers.get(course, 0) + 1
        for course, count in newcomers.items():
            if course.seats_taken + count > course.seats_max:
                raise ValidationError(course._no_seat_message())

    def unlink(self):
        courses = self.filtered(
            lambda e: e.state in ("enrolled", "completed")
        ).course_id
        result = super().unlink()
        courses.exists()._promote_waitlist()
        return result

    def _promote(self):
        """Seats freed up: enrol them and tell them."""
        self.write(
            {"state": "enrolled", "date_enrolled": fields.Date.context_today(self)}
        )
        self._notify_participant("integration_program.mail_template_waitlist_promotion")

    def _notify_participant(self, template_xmlid):
        """Tell her by e-mail where she has a usable address. Otherwise nothing is
        queued (the mail could never be delivered): the person looking after her
        is asked to tell her in person, and her enrolment's chatter says so."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        for enrollment in self:
            # sudo: reads only her address, to choose how she is told; the user
            # enrolling her may not see her contact (e.g. a waiting list moved on
            # by someone of another provider).
            partner = enrollment.sudo().participant_id.partner_id
            if partner.email_normalized:
                enrollment.message_post_with_source(
                    template,
                    message_type="comment",
                    partner_ids=partner.ids,
                    subtype_xmlid="mail.mt_comment",
                )
            else:
                enrollment._ask_to_inform_her(template)

    def _ask_to_inform_her(self, template):
        """An activity "Inform her in person" with the message she would have got,
        for her coach, else her responsible, a programme manager or the user at
        work: the first of them who may read her record."""
        self.ensure_one()
        participant = self.participant_id
        # sudo: who looks after her is read to address the activity; it only goes
        # to someone who may read her record (checked below and in mail.activity).
        sudo_participant = participant.sudo()
        candidates = (
            sudo_participant.coach_id
            | sudo_participant.user_id
            | sudo_participant.program_id.manager_ids
            | self.env.user
        )
        informer = next(
            (
                user
                for user in candidates
                if user.active
                and not user.share
                and participant.with_user(user).has_access("read")
            ),
            None,
        )
        # Notes in the enrolment's chatter are read by the programme's staff.
        staff_env = reader_env(self.env, programme_lang(self))
        if not informer:
            self.message_post(
                body=staff_env._(
                    "Not sent by e-mail: %(name)s has no e-mail address, and nobody "
                    "who looks after her (coach, responsible, programme manager) "
                    "could be asked to tell her.",
                    name=sudo_participant.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            return
        # The activity is for whoever informs her: in that person's language.
        env = reader_env(self.env, informer.lang)
        template = template.with_env(env)
        subject = template._render_field("subject", self.ids)[self.id]
        body = template._render_field("body_html", self.ids)[self.id]
        quiet_during_install(participant).activity_schedule(
            "integration_program.mail_activity_type_inform_in_person",
            summary=env._("Tell her: %(subject)s", subject=subject.strip()),
            note=Markup("<p>%s</p>%s")
            % (
                env._(
                    "She has no e-mail address. Tell her by phone or at the next "
                    "session what this message says:"
                ),
                Markup(body),
            ),
            user_id=informer.id,
        )
        self.message_post(
            body=staff_env._(
                "Not sent by e-mail: %(name)s has no e-mail address. %(user)s is "
                "asked to tell her by phone or at the next session (activity on "
                "her record).",
                name=sudo_participant.name,
                user=informer.name,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def action_enroll(self):
        self.write({"state": "enrolled"})

    def action_complete(self):
        self.write({"state": "completed"})

    def action_drop(self):
        self.write({"state": "dropped"})
