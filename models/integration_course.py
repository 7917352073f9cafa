from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .concurrency import serialize_writers
from .surface_access import checked_activity_ids, checked_message_ids

COURSE_STATES = [
    ("planned", "Planned"),
    ("open", "Open for Enrolment"),
    ("running", "Running"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]

# More than any classroom: beyond, a typing error.
SEATS_MAX = 10_000


class IntegrationCourse(models.Model):
    _name = "integration.course"
    _description = "Course"
    _inherit = ["integration.input.mixin", "mail.thread", "mail.activity.mixin"]
    message_ids = checked_message_ids()
    activity_ids = checked_activity_ids()
    _order = "date_start desc, id desc"
    _integration_max_lengths = {"name": 200, "schedule": 200, "location": 200}

    name = fields.Char(
        string="Title",
        help="Optional. Without a title the course is called by its type and cohort, "
        "in the language of whoever reads it.",
    )
    active = fields.Boolean(default=True, tracking=True)
    program_id = fields.Many2one(
        "integration.program",
        string="Programme",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env["integration.program"].search([], limit=1),
    )
    course_type_id = fields.Many2one(
        "integration.course.type",
        required=True,
        index=True,
        tracking=True,
    )
    cohort_number = fields.Integer(
        string="Cohort",
        copy=False,
        help="Running number of the course within its type and programme; "
        "given on creation.",
    )
    date_start = fields.Date(string="Start Date", required=True, tracking=True)
    date_end = fields.Date(string="End Date", tracking=True)
    schedule = fields.Char(help="e.g. Monday to Thursday, 8:30 to 12:30")
    location = fields.Char()
    organizer_ids = fields.Many2many(
        "res.partner",
        "integration_course_organizer_rel",
        "course_id",
        "partner_id",
        string="Run By",
        help="Organisations running the course, e.g. the Jobcenter or a school.",
    )
    seats_max = fields.Integer(
        string="Seats",
        tracking=True,
        help="Participants who can be enrolled. Beyond, they join the waiting list.",
    )
    seats_taken = fields.Integer(compute="_compute_seats")
    seats_available = fields.Integer(compute="_compute_seats")
    waitlist_count = fields.Integer(compute="_compute_seats", string="Waiting List")
    state = fields.Selection(
        COURSE_STATES,
        default="planned",
        required=True,
        tracking=True,
        group_expand=True,
        index=True,
    )
    color = fields.Integer()
    description = fields.Html()
    enrollment_ids = fields.One2many("integration.enrollment", "course_id")
    date_ids = fields.One2many(
        "integration.course.date", "course_id", string="Course Dates"
    )

    _rec_names_search = ["name", "course_type_id.name"]

    @api.depends("name", "course_type_id.name", "cohort_number")
    @api.depends_context("lang", "integration_course_seats")
    def _compute_display_name(self):
        # Translated once: reports name thousands of cohorts at a time.
        cohort_label = self.env._("%(type)s, cohort %(cohort)s")
        for course in self:
            if course.name:
                course.display_name = course.name
            elif course.cohort_number:
                course.display_name = cohort_label % {
                    "type": course.course_type_id.name,
                    "cohort": course.cohort_number,
                }
            else:
                course.display_name = course.course_type_id.name
        if self.env.context.get("integration_course_seats"):
            self._add_seats_to_display_name()

    def _add_seats_to_display_name(self):
        """The course picker of an enrolment tells the free seats, or that she
        would join the waiting list."""
        free_label = self.env._("%(course)s (%(seats)s free seats)")
        full_label = self.env._("%(course)s (full, %(waiting)s waiting)")
        for course in self:
            if course.seats_available:
                course.display_name = free_label % {
                    "course": course.display_name,
                    "seats": course.seats_available,
                }
            else:
                course.display_name = full_label % {
                    "course": course.display_name,
                    "waiting": course.waitlist_count,
                }

    @api.depends("seats_max", "enrollment_ids.state")
    def _compute_seats(self):
        # Every enrolment takes a seat, also those the reader may not see (a
        # coach sees her own provider's participants only).
        groups = (
            self.env["integration.enrollment"]
            .sudo()
            ._read_group(
                [("course_id", "in", self._origin.ids), ("state", "!=", "dropped")],
                ["course_id", "state"],
                ["__count"],
            )
        )
        counts = {(course.id, state): count for course, state, count in groups}
        for course in self:
            # In a form, the course is a new record wrapping the saved one.
            course_id = course._origin.id
            # Who completed the course kept her seat to the end.
            course.seats_taken = counts.get((course_id, "enrolled"), 0) + counts.get(
                (course_id, "completed"), 0
            )
            course.waitlist_count = counts.get((course_id, "waitlist"), 0)
            course.seats_available = max(course.seats_max - course.seats_taken, 0)

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for course in self:
            if course.date_end and course.date_end < course.date_start:
                raise ValidationError(
                    self.env._(
                        "The course %(course)s cannot end (%(end)s) before it starts "
                        "(%(start)s).",
                        course=course.display_name,
                        end=course.date_end,
                        start=course.date_start,
                    )
                )

    @api.constrains("seats_max", "cohort_number")
    def _check_numbers(self):
        for course in self:
            if not 0 <= course.seats_max <= SEATS_MAX:
                raise ValidationError(
                    self.env._(
                        "A course has between 0 and %(max)s seats.", max=SEATS_MAX
                    )
                )
            if course.cohort_number < 0:
                raise ValidationError(
                    self.env._("The cohort number cannot be negative.")
                )

    def _no_seat_message(self):
        self.ensure_one()
        return self.env._(
            "%(course)s has no free seat left (%(seats)s seats). "
            "Keep her on the waiting list: she moves up as soon as "
            "a seat frees up.",
            course=self.display_name,
            seats=self.seats_max,
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_enrolments(self):
        # Enrolments are her history (certificates, the funder's figures).
        with_enrolments = self.filtered(
            lambda c: c.sudo().with_context(active_test=False).enrollment_ids
        )
        if with_enrolments:
            raise UserError(
                self.env._(
                    "%(courses)s has enrolments, which are part of the participants' "
                    "history: archive the course instead of deleting it.",
                    courses=", ".join(with_enrolments.mapped("display_name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        numbers = {}
        for vals in vals_list:
            self._integration_check_vals(vals)
            if not vals.get("cohort_number") and vals.get("course_type_id"):
                key = (vals["course_type_id"], vals.get("program_id"))
                if key not in numbers:
                    numbers[key] = self._next_cohort_number(*key) - 1
                numbers[key] += 1
                vals["cohort_number"] = numbers[key]
            if "seats_max" not in vals and vals.get("course_type_id"):
                vals["seats_max"] = (
                    self.env["integration.course.type"]
                    .browse(vals["course_type_id"])
                    .default_seats_max
                )
        return super().create(vals_list)

    def _next_cohort_number(self, course_type_id, program_id):
        # Two courses of one type created at once must not share a number.
        serialize_writers(self.env["integration.course.type"].browse(course_type_id))
        domain = [("course_type_id", "=", course_type_id)]
        if program_id:
            domain.append(("program_id", "=", program_id))
        last = self.with_context(active_test=False).search(
            domain, order="cohort_number desc", limit=1
        )
        return (last.cohort_number or 0) + 1

    def write(self, vals):
        self._integration_check_vals(vals)
        result = super().write(vals)
        if "seats_max" in vals:
            self._promote_waitlist()
        return result

    def _lock_seats(self):
        """Serialise enrolments into these courses (see serialize_writers)."""
        serialize_writers(self)
        self.invalidate_recordset(["seats_taken", "seats_available"])

    def _promote_waitlist(self):
        """Move the first on the waiting list up while seats are free."""
        self._lock_seats()
        # The first in line moves up, whoever freed the seat.
        enrollments = self.env["integration.enrollment"].sudo()
        for course in self.filtered(lambda c: c.seats_taken < c.seats_max):
            waiting = enrollments.search(
                [("course_id", "=", course.id), ("state", "=", "waitlist")],
                order="date_waitlisted, id",
                limit=course.seats_max - course.seats_taken,
            )
            waiting._promote()

    def action_open(self):
        self.write({"state": "open"})

    def action_start(self):
        self.write({"state": "running"})

    def action_done(self):
        self.write({"state": "done"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    @api.readonly
    def action_view_enrollments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "integration_program.integration_enrollment_action"
        )
        action["domain"] = [("course_id", "=", self.id)]
        action["context"] = {"default_course_id": self.id}
        return action
