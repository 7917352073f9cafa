from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class IntegrationCoachArchiveWizard(models.TransientModel):
    """A coach leaves: her active participants pass to other coaches with free
    capacity, then her login is archived."""

    _name = "integration.coach.archive.wizard"
    _description = "Archive a Coach"

    coach_id = fields.Many2one("res.users", required=True, readonly=True)
    line_ids = fields.One2many(
        "integration.coach.archive.wizard.line", "wizard_id", string="Participants"
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        coach = self.env["res.users"].browse(values.get("coach_id"))
        if coach and "line_ids" in fields_list:
            participants = coach._integration_active_participants()
            candidates = coach._integration_successors()
            free = {c.id: c.integration_free_capacity for c in candidates}
            colleague = {
                c.id: c.integration_provider_id == coach.integration_provider_id
                for c in candidates
            }
            lines = []
            for participant in participants:
                # A colleague of her provider with the most free places takes her.
                best = max(
                    free,
                    key=lambda c: (free[c] > 0, colleague[c], free[c]),
                    default=None,
                )
                if best and free[best] > 0:
                    free[best] -= 1
                else:
                    best = False
                lines.append(
                    Command.create(
                        {"participant_id": participant.id, "new_coach_id": best}
                    )
                )
            values["line_ids"] = lines
        return values

    def action_archive_coach(self):
        self.ensure_one()
        missing = self.line_ids.filtered(lambda line: not line.new_coach_id)
        if missing:
            raise UserError(
                self.env._(
                    "Choose a new coach for %(names)s before archiving %(coach)s.",
                    names=", ".join(missing.participant_id.mapped("name")),
                    coach=self.coach_id.name,
                )
            )
        for line in self.line_ids:
            line.participant_id.coach_id = line.new_coach_id
        self.coach_id.action_archive()
        return {"type": "ir.actions.act_window_close"}


class IntegrationCoachArchiveWizardLine(models.TransientModel):
    _name = "integration.coach.archive.wizard.line"
    _description = "Archive a Coach: New Coach of a Participant"

    wizard_id = fields.Many2one(
        "integration.coach.archive.wizard", required=True, ondelete="cascade"
    )
    participant_id = fields.Many2one(
        "integration.participant", required=True, readonly=True
    )
    new_coach_id = fields.Many2one(
        "res.users",
        domain="[('integration_provider_id', '!=', False), "
        "('id', '!=', parent.coach_id)]",
        help="A coach with free capacity (her capacity is checked on saving).",
    )
