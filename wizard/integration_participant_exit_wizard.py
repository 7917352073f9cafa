from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from ..models.integration_esf_record import EXIT_STATUSES


class IntegrationParticipantExitWizard(models.TransientModel):
    _name = "integration.participant.exit.wizard"
    _description = "Record a Participant's Exit"

    participant_ids = fields.Many2many(
        "integration.participant",
        "integration_participant_exit_wizard_rel",
        "wizard_id",
        "participant_id",
        string="Participants",
        required=True,
    )
    exit_date = fields.Date(required=True, default=fields.Date.context_today)
    exit_reason_id = fields.Many2one("integration.exit.reason", required=True)
    exit_note = fields.Text(string="Note")
    # Her situation on leaving, for ESF+ co-funded programmes (Annex I results).
    esf_needed = fields.Boolean(string="ESF+ Co-funded", compute="_compute_esf_needed")
    esf_exit_status = fields.Selection(EXIT_STATUSES, string="Situation on Leaving")
    esf_in_education = fields.Boolean(string="In Education or Training on Leaving")
    esf_qualification = fields.Boolean(string="Gained a Qualification")

    @api.depends("participant_ids")
    def _compute_esf_needed(self):
        for wizard in self:
            wizard.esf_needed = any(
                wizard.participant_ids.program_id.mapped("esf_cofunded")
            )

    @api.constrains("exit_date")
    def _check_exit_date(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.exit_date > today:
                raise ValidationError(
                    self.env._("An exit cannot be recorded for a future date.")
                )

    def action_confirm(self):
        self.ensure_one()
        participants = self.participant_ids
        already_exited = participants.filtered(lambda p: p.milestone == "exited")
        if already_exited:
            raise UserError(
                self.env._(
                    "%(names)s already left the programme.",
                    names=", ".join(already_exited.mapped("name")),
                )
            )
        stage_model = self.env["integration.stage"]
        for participant in participants:
            exit_stage = stage_model.search(
                Domain("milestone", "=", "exited")
                & participant._stage_domain(participant.program_id),
                order="sequence, id",
                limit=1,
            )
            if not exit_stage:
                raise UserError(
                    self.env._(
                        "The programme %(program)s has no stage with the milestone "
                        "“Exited”. Ask a programme manager to configure one.",
                        program=participant.program_id.name,
                    )
                )
            participant.write(
                {
                    "stage_id": exit_stage.id,
                    "exit_date": self.exit_date,
                    "exit_reason_id": self.exit_reason_id.id,
                    "exit_note": self.exit_note,
                    "is_paused": False,
                }
            )
            participant.message_post(
                body=self.env._(
                    "Left the programme on %(date)s: %(reason)s",
                    date=self.exit_date,
                    reason=self.exit_reason_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._record_esf_exit(participants)
        return {"type": "ir.actions.act_window_close"}

    def _record_esf_exit(self, participants):
        """ESF+ co-funded: her situation on leaving (if known now) and the
        six-month follow-up scheduled for her coach."""
        esf_participants = participants.filtered("program_id.esf_cofunded")
        if not esf_participants:
            return
        records = self.env["integration.esf.record"]._for_participants(esf_participants)
        if self.esf_exit_status or self.esf_in_education or self.esf_qualification:
            records.write(
                {
                    "exit_status": self.esf_exit_status,
                    "exit_in_education": self.esf_in_education,
                    "exit_qualification": self.esf_qualification,
                    "exit_recorded_on": fields.Date.context_today(self),
                }
            )
        records._schedule_followup()
