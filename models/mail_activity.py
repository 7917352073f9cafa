from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        # A solution agreed in a coach meeting is done when its activity is,
        # wherever the owner marks it (chatter, activity view, the solution).
        self.env["integration.coach.meeting.solution"].sudo().search(
            [("activity_id", "in", self.ids)]
        ).write({"state": "done"})
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
