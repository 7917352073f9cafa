from odoo import api, fields, models

from .mail_activity import quiet_during_install


class IntegrationCoachMeetingSolution(models.Model):
    _name = "integration.coach.meeting.solution"
    _description = "Solution Agreed in a Coach Meeting"
    _order = "deadline, id"

    meeting_id = fields.Many2one(
        "integration.coach.meeting", required=True, index=True, ondelete="cascade"
    )
    name = fields.Char(string="Solution", required=True)
    obstacle_id = fields.Many2one("integration.obstacle")
    owner_id = fields.Many2one("res.users", required=True)
    deadline = fields.Date(required=True)
    activity_id = fields.Many2one(
        "mail.activity", readonly=True, copy=False, index="btree_not_null"
    )
    state = fields.Selection(
        [("open", "Pending"), ("done", "Done")],
        default="open",
        required=True,
        readonly=True,
        help="Done once its activity is marked done, here or in the chatter.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        solutions = super().create(vals_list)
        for solution in solutions:
            meeting = quiet_during_install(solution.meeting_id)
            solution.activity_id = meeting.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=solution.deadline,
                summary=solution.name,
                user_id=solution.owner_id.id,
            )
        return solutions

    def action_done(self):
        self.activity_id.action_feedback(feedback=self.env._("Solution implemented."))
        self.write({"state": "done"})
        return True
