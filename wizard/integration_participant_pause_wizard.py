from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class IntegrationParticipantPauseWizard(models.TransientModel):
    _name = "integration.participant.pause.wizard"
    _description = "Pause a Participant's Participation"

    participant_ids = fields.Many2many(
        "integration.participant",
        "integration_participant_pause_wizard_rel",
        "wizard_id",
        "participant_id",
        string="Participants",
        required=True,
    )
    pause_reason = fields.Char(
        string="Reason",
        required=True,
        help="Why the participation is paused, e.g. courses suspended by the "
        "pandemic, maternity, illness.",
    )
    pause_date_start = fields.Date(
        string="Paused Since", required=True, default=fields.Date.context_today
    )
    pause_date_end = fields.Date(string="Pause Until")

    @api.constrains("pause_date_start", "pause_date_end")
    def _check_dates(self):
        for wizard in self:
            if (
                wizard.pause_date_end
                and wizard.pause_date_end < wizard.pause_date_start
            ):
                raise ValidationError(
                    self.env._(
                        "The pause cannot end (%(end)s) before it starts (%(start)s).",
                        end=wizard.pause_date_end,
                        start=wizard.pause_date_start,
                    )
                )

    def action_confirm(self):
        self.ensure_one()
        participants = self.participant_ids
        blocked = participants.filtered(
            lambda p: p.is_paused or p.milestone == "exited"
        )
        if blocked:
            raise UserError(
                self.env._(
                    "%(names)s cannot be paused: already paused or no longer in the "
                    "programme.",
                    names=", ".join(blocked.mapped("name")),
                )
            )
        participants.write(
            {
                "is_paused": True,
                "pause_reason": self.pause_reason,
                "pause_date_start": self.pause_date_start,
                "pause_date_end": self.pause_date_end,
            }
        )
        for participant in participants:
            participant.message_post(
                body=self.env._(
                    "Participation paused since %(start)s: %(reason)s",
                    start=self.pause_date_start,
                    reason=self.pause_reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return {"type": "ir.actions.act_window_close"}
