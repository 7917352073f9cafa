from odoo import api, fields, models
from odoo.exceptions import UserError


class IntegrationEnrollmentWizard(models.TransientModel):
    _name = "integration.enrollment.wizard"
    _description = "Enrol Participants in a Course"

    participant_ids = fields.Many2many(
        "integration.participant",
        "integration_enrollment_wizard_participant_rel",
        "wizard_id",
        "participant_id",
        string="Participants",
        required=True,
        default=lambda self: self._default_participant_ids(),
    )
    course_id = fields.Many2one(
        "integration.course",
        required=True,
        domain="[('state', 'in', ('planned', 'open', 'running'))]",
    )
    seats_available = fields.Integer(related="course_id.seats_available")
    outcome = fields.Char(compute="_compute_outcome")

    @api.model
    def _default_participant_ids(self):
        # Opened on a selection of the list (action menu).
        context = self.env.context
        if context.get("active_model") == "integration.participant":
            return context.get("active_ids", [])
        return []

    @api.depends("course_id", "participant_ids")
    def _compute_outcome(self):
        for wizard in self:
            if not wizard.course_id:
                wizard.outcome = False
                continue
            count = len(wizard.participant_ids)
            seats = wizard.course_id.sudo().seats_available
            enrolled = min(count, seats)
            wizard.outcome = self.env._(
                "%(enrolled)s enrolled, %(waiting)s on the waiting list.",
                enrolled=enrolled,
                waiting=count - enrolled,
            )

    def action_enroll(self):
        self.ensure_one()
        participants = self.participant_ids
        course = self.course_id
        exited = participants.filtered(lambda p: p.milestone == "exited")
        if exited:
            raise UserError(
                self.env._(
                    "%(names)s left the programme and cannot be enrolled. Remove "
                    "them from the selection.",
                    names=", ".join(exited.mapped("name")),
                )
            )
        # sudo: whether she is registered already, whoever enrolled her.
        registered = (
            self.env["integration.enrollment"]
            .sudo()
            .search(
                [
                    ("course_id", "=", course.id),
                    ("participant_id", "in", participants.ids),
                ]
            )
            .participant_id
        )
        if registered:
            raise UserError(
                self.env._(
                    "%(names)s are already registered for %(course)s (enrolled or "
                    "on its waiting list). Remove them from the selection.",
                    names=", ".join(registered.mapped("name")),
                    course=course.display_name,
                )
            )
        enrollments = self.env["integration.enrollment"].create(
            [
                {"course_id": course.id, "participant_id": participant.id}
                for participant in participants
            ]
        )
        waiting = enrollments.filtered(lambda e: e.state == "waitlist")
        message = self.env._(
            "%(enrolled)s enrolled in %(course)s, %(waiting)s on its waiting list.",
            enrolled=len(enrollments - waiting),
            course=course.display_name,
            waiting=len(waiting),
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "success" if not waiting else "warning",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
