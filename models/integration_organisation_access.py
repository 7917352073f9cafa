from odoo import models

# The records attached to a participant, by model, with her field listing them:
# what the data subject's export holds, what anonymisation wipes, and on what an
# activity names her to its assignee.
PARTICIPANT_RECORDS = {
    "integration.coaching.session": "session_ids",
    "integration.enrollment": "enrollment_ids",
    "integration.placement": "placement_ids",
    "integration.consent": "consent_ids",
    "integration.coaching.assignment": "assignment_ids",
    "integration.referral": "referral_ids",
    "integration.assessment": "assessment_ids",
    "integration.assessment.line": "assessment_line_ids",
    "integration.plan": "plan_ids",
    "integration.plan.goal": "plan_goal_ids",
    "integration.plan.step": "plan_step_ids",
    "integration.service.referral": "service_referral_ids",
    "integration.participant.document": "document_ids",
    "integration.appointment": "appointment_ids",
}
# A participant and the records attached to her.
PARTICIPANT_MODELS = ("integration.participant", *PARTICIPANT_RECORDS)


class IntegrationOrganisationAccess(models.AbstractModel):
    """Which organisation sees a record is decided by a few of its fields (her
    coach's provider, the participant, the course, the referrer). Odoo checks record
    rules before a write only: whoever writes one of these fields must still see
    the record afterwards, or a coach could move a woman's data to another
    organisation (or take over someone else's)."""

    _name = "integration.organisation.access"
    _description = "Integration: Organisation Access"

    # The fields deciding who sees the record: declared by each model.
    _organisation_access_fields = ()

    def write(self, vals):
        result = super().write(vals)
        self._check_organisation_access(vals)
        return result

    def _check_organisation_access(self, vals):
        if self.env.su or not set(vals) & set(self._organisation_access_fields):
            return
        self.check_access("write")
