from odoo import api, fields, models
from odoo.exceptions import ValidationError

ATTENDANCE_STATES = [
    ("present", "Present"),
    ("excused", "Excused"),
    ("absent", "Absent"),
]


class IntegrationAttendance(models.Model):
    _name = "integration.attendance"
    _description = "Attendance on a Course Date"
    _order = "course_date_id desc, id"
    _rec_name = "participant_id"

    course_date_id = fields.Many2one(
        "integration.course.date", required=True, index=True, ondelete="cascade"
    )
    date = fields.Date(related="course_date_id.date", store=True)
    enrollment_id = fields.Many2one(
        "integration.enrollment", required=True, index=True, ondelete="cascade"
    )
    course_id = fields.Many2one(related="enrollment_id.course_id", store=True)
    participant_id = fields.Many2one(
        related="enrollment_id.participant_id", store=True, index=True
    )
    state = fields.Selection(ATTENDANCE_STATES, required=True, default="present")

    _date_enrollment_uniq = models.Constraint(
        "UNIQUE(course_date_id, enrollment_id)",
        "She is already in this day's register.",
    )

    @api.constrains("course_date_id", "enrollment_id")
    def _check_same_course(self):
        for attendance in self:
            if (
                attendance.course_date_id.course_id
                != attendance.enrollment_id.course_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(name)s is not enrolled in %(course)s.",
                        name=attendance.enrollment_id.participant_id.name,
                        course=attendance.course_date_id.course_id.display_name,
                    )
                )
