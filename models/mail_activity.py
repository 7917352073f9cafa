from odoo import api, models
from odoo.exceptions import AccessError

from .integration_organisation_access import PARTICIPANT_MODELS

# Activities on these records name the participant in the assignee's mail.
PROTECTED_MODELS = PARTICIPANT_MODELS


def quiet_during_install(records):
    """Records loaded from data files (the demo) are no news for anyone: their
    activities are assigned without a notification mail."""
    if records.env.context.get("install_mode"):
        return records.with_context(mail_activity_quick_update=True)
    return records


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._check_assignee_may_see_record()
        return activities

    def write(self, vals):
        result = super().write(vals)
        if "user_id" in vals:
            self._check_assignee_may_see_record()
        return result

    def _check_assignee_may_see_record(self):
        """Nobody gets an activity (and its notification mail) on a participant
        she may not see, e.g. a coach of another provider."""
        for activity in self.sudo().filtered(
            lambda act: act.res_model in PROTECTED_MODELS and act.user_id
        ):
            record = self.env[activity.res_model].browse(activity.res_id)
            if not record.with_user(activity.user_id).has_access("read"):
                raise AccessError(
                    self.env._(
                        "%(user)s may not see this record (another organisation, "
                        "or no consent to share her data), so the activity cannot "
                        "be assigned to her.",
                        user=activity.user_id.name,
                    )
                )

    def _action_done(self, feedback=False, attachment_ids=None):
        # A solution agreed in a coach meeting is done when its activity is,
        # wherever the owner marks it (chatter, activity view, the solution).
        self.env["integration.coach.meeting.solution"].sudo().search(
            [("activity_id", "in", self.ids)]
        ).write({"state": "done"})
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
