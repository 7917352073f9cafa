from odoo import api, fields, models
from odoo.exceptions import UserError


class IntegrationCoachAssignWizard(models.TransientModel):
    _name = "integration.coach.assign.wizard"
    _description = "Assign a Coach"

    # The participant when only one is assigned.
    participant_id = fields.Many2one(
        "integration.participant", compute="_compute_participant_id"
    )
    participant_ids = fields.Many2many(
        "integration.participant",
        "integration_coach_assign_wizard_participant_rel",
        "wizard_id",
        "participant_id",
        string="Participants",
        required=True,
        default=lambda self: self._default_participant_ids(),
    )
    participant_count = fields.Integer(compute="_compute_participant_id")
    provider_id = fields.Many2one(
        "res.partner",
        string="Coaching Provider",
        domain="[('is_coaching_provider', '=', True)]",
        compute="_compute_provider_id",
        store=True,
        readonly=False,
    )
    suggested_coach_ids = fields.Many2many(
        "res.users",
        "integration_coach_assign_wizard_suggestion_rel",
        "wizard_id",
        "user_id",
        string="Coaches with Free Capacity",
        compute="_compute_suggested_coach_ids",
    )
    coach_id = fields.Many2one("res.users")
    override_capacity = fields.Boolean(
        help="Programme managers may assign a coach whose caseload is full.",
    )

    @api.model
    def _default_participant_ids(self):
        # Opened on a selection of the list (action menu).
        context = self.env.context
        if context.get("active_model") == "integration.participant":
            return context.get("active_ids", [])
        return []

    @api.depends("participant_ids")
    def _compute_participant_id(self):
        for wizard in self:
            participants = wizard.participant_ids
            wizard.participant_count = len(participants)
            wizard.participant_id = participants if len(participants) == 1 else False

    @api.depends("participant_ids")
    def _compute_provider_id(self):
        for wizard in self:
            providers = wizard.participant_ids.provider_id
            wizard.provider_id = providers if len(providers) == 1 else False

    @api.depends("provider_id", "participant_ids")
    def _compute_suggested_coach_ids(self):
        users = self.env["res.users"]
        for wizard in self:
            domain = [("integration_provider_id", "!=", False)]
            if wizard.provider_id:
                domain = [("integration_provider_id", "=", wizard.provider_id.id)]
            coaches = users.search(domain)
            languages = wizard.participant_ids.language_ids
            needed = len(wizard.participant_ids) or 1
            free = coaches.filtered(lambda c: c.integration_free_capacity > 0)
            # Coaches with room for all of them first, those sharing their
            # languages, then the most free places.
            wizard.suggested_coach_ids = free.sorted(
                lambda c, languages=languages, needed=needed: (
                    c.integration_free_capacity < needed,
                    -len(c.integration_language_ids & languages),
                    -c.integration_free_capacity,
                    c.name,
                )
            )

    def action_assign(self):
        self.ensure_one()
        if not self.coach_id:
            raise UserError(self.env._("Please choose the coach."))
        participants = self.participant_ids
        exited = participants.filtered(lambda p: p.milestone == "exited")
        if exited:
            raise UserError(
                self.env._(
                    "%(names)s left the programme: a coach is assigned to "
                    "participants in the programme only. Remove them from the "
                    "selection.",
                    names=", ".join(exited.mapped("name")),
                )
            )
        newcomers = participants.filtered(lambda p: p.coach_id != self.coach_id)
        coach = self.coach_id
        override = self.override_capacity and self.env.user.has_group(
            "integration_program.group_manager"
        )
        if len(newcomers) > 1 and not override:
            free = coach.integration_free_capacity
            if len(newcomers) > free:
                raise UserError(
                    self.env._(
                        "%(coach)s has %(free)s free places, and %(count)s "
                        "participants were selected. Choose fewer participants or "
                        "another coach (or, as programme manager, override the "
                        "capacity).",
                        coach=coach.name,
                        free=max(free, 0),
                        count=len(newcomers),
                    )
                )
        newcomers.with_context(
            integration_capacity_override=self.override_capacity
        ).coach_id = coach
        return {"type": "ir.actions.act_window_close"}
