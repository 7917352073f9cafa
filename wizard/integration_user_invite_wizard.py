from odoo import api, fields, models
from odoo.exceptions import UserError

ROLE_GROUPS = {
    "coach": "integration_program.group_coach",
    "jobcenter": "integration_program.group_jobcenter",
    "training_partner": "integration_program.group_training_partner",
}


class IntegrationUserInviteWizard(models.TransientModel):
    _name = "integration.user.invite.wizard"
    _description = "Invite a Partner Organisation's Staff Member"

    organisation_id = fields.Many2one(
        "res.partner",
        required=True,
        domain="[('is_company', '=', True)]",
    )
    role = fields.Selection(
        [
            ("coach", "Coach"),
            ("jobcenter", "Jobcenter Case Worker"),
            ("training_partner", "Training Partner"),
        ],
        required=True,
        default="coach",
    )
    name = fields.Char(required=True)
    email = fields.Char(required=True, help="Her login; the invitation goes there.")
    capacity = fields.Integer(
        string="Caseload Capacity",
        default=20,
        help="How many participants this coach may accompany at the same time.",
    )
    language_ids = fields.Many2many("integration.language", string="Coaching Languages")

    @api.onchange("organisation_id")
    def _onchange_organisation_id(self):
        if self.organisation_id.is_coaching_provider:
            self.role = "coach"

    def action_invite(self):
        self.ensure_one()
        email = (self.email or "").strip().lower()
        if "@" not in email:
            raise UserError(
                self.env._("%(email)s is not an e-mail address.", email=self.email)
            )
        users = self.env["res.users"].sudo().with_context(active_test=False)
        if users.search_count([("login", "=", email)]):
            raise UserError(
                self.env._(
                    "There already is a login %(email)s. Edit that user instead.",
                    email=email,
                )
            )
        if self.role == "coach" and not self.organisation_id.is_coaching_provider:
            raise UserError(
                self.env._(
                    "%(organisation)s is not a coaching provider. Mark it as one "
                    "(Configuration > Coaching Providers) before inviting its "
                    "coaches.",
                    organisation=self.organisation_id.name,
                )
            )
        contact = (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": self.name,
                    "email": email,
                    "parent_id": self.organisation_id.id,
                    "type": "contact",
                }
            )
        )
        user_vals = {
            "name": self.name,
            "login": email,
            "email": email,
            "partner_id": contact.id,
            "group_ids": [
                fields.Command.set([self.env.ref(ROLE_GROUPS[self.role]).id])
            ],
        }
        if self.role == "coach":
            # She lands in her pipeline, not in Discuss.
            user_vals["action_id"] = self.env.ref(
                "integration_program.integration_participant_action"
            ).id
            user_vals["integration_capacity"] = self.capacity
            user_vals["integration_language_ids"] = [
                fields.Command.set(self.language_ids.ids)
            ]
        # auth_signup mails her an invitation to choose her password.
        user = users.create(user_vals)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(name)s is invited as %(role)s of %(organisation)s; the "
                    "invitation went to %(email)s.",
                    name=user.name,
                    role=dict(self._fields["role"]._description_selection(self.env))[
                        self.role
                    ],
                    organisation=self.organisation_id.name,
                    email=email,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
