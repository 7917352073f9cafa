from odoo import api, fields, models
from odoo.exceptions import UserError

from .concurrency import serialize_writers

# What a programme manager may change on her coaches' users.
COACHING_FIELDS = {"integration_capacity", "integration_language_ids"}


class ResUsers(models.Model):
    _inherit = "res.users"

    integration_provider_id = fields.Many2one(
        "res.partner",
        string="Coaching Provider",
        compute="_compute_integration_provider_id",
        store=True,
        index="btree_not_null",
        help="The coaching provider the user's contact belongs to.",
    )
    integration_capacity = fields.Integer(
        string="Caseload Capacity",
        default=0,
        help="How many participants this coach may accompany at the same time.",
    )
    integration_language_ids = fields.Many2many(
        "integration.language",
        "res_users_integration_language_rel",
        "user_id",
        "language_id",
        string="Coaching Languages",
    )
    integration_caseload = fields.Integer(
        string="Active Caseload", compute="_compute_integration_caseload"
    )
    integration_free_capacity = fields.Integer(
        string="Free Capacity", compute="_compute_integration_caseload"
    )

    @api.depends("partner_id.parent_id.is_coaching_provider")
    def _compute_integration_provider_id(self):
        for user in self:
            company = user.partner_id.parent_id
            user.integration_provider_id = (
                company if company.is_coaching_provider else False
            )

    def _compute_integration_caseload(self):
        # Shown in a wizard's list, the coaches are new records wrapping the real
        # ones: their caseload is counted on the real ones.
        caseloads = self._origin._integration_caseloads()
        for user in self:
            user.integration_caseload = caseloads.get(user._origin.id, 0)
            user.integration_free_capacity = (
                user.integration_capacity - user.integration_caseload
            )

    def _integration_caseloads(self):
        """Active participants per coach, from one grouped query."""
        groups = (
            self.env["integration.participant"]
            .sudo()
            ._read_group(
                [
                    ("coach_id", "in", self.ids),
                    ("milestone", "!=", "exited"),
                ],
                ["coach_id"],
                ["__count"],
            )
        )
        return {coach.id: count for coach, count in groups}

    def _integration_lock_caseload(self):
        """Two users assigning at the same moment cannot both take a coach's last
        free place (see serialize_writers)."""
        serialize_writers(self)

    def _integration_active_participants(self):
        return (
            self.env["integration.participant"]
            .sudo()
            .search([("coach_id", "in", self.ids), ("milestone", "!=", "exited")])
        )

    def _integration_successors(self):
        """Active coaches who could take over, her own provider's first."""
        self.ensure_one()
        coaches = self.search(
            [
                ("integration_provider_id", "!=", False),
                ("id", "!=", self.id),
                ("share", "=", False),
            ]
        )
        return coaches.sorted(
            lambda c: c.integration_provider_id != self.integration_provider_id
        )

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            self._integration_check_no_caseload()
        if self._integration_manager_writes_coaching(vals):
            # sudo: programme managers (no user administrators) keep their
            # coaches' capacity and languages, and nothing else of a user.
            return super(ResUsers, self.sudo()).write(vals)
        return super().write(vals)

    def _integration_manager_writes_coaching(self, vals):
        return (
            vals
            and set(vals) <= COACHING_FIELDS
            and not self.env.su
            and not self.env["res.users"].has_access("write")
            and self.env.user.has_group("integration_program.group_manager")
            and all(user.integration_provider_id for user in self.sudo())
        )

    def _integration_check_no_caseload(self):
        """A coach is not archived while she accompanies participants: they would
        keep an archived coach and drop out of the caseloads."""
        busy = self.filtered("active")._integration_active_participants().coach_id
        if busy:
            raise UserError(
                self.env._(
                    '%(coaches)s still accompanies participants. Use "Archive '
                    'Coach" on her user to pass them to other coaches first.',
                    coaches=", ".join(busy.mapped("name")),
                )
            )

    def action_open_integration_archive_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Archive Coach"),
            "res_model": "integration.coach.archive.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_coach_id": self.id},
        }

    @api.model
    def _integration_coach_action(self):
        """The coaches' list (menu Configuration), as the action of a server
        action: no window action of the addon claims the model."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Coaches"),
            "res_model": "res.users",
            "views": [
                (
                    self.env.ref("integration_program.res_users_view_list_coach").id,
                    "list",
                ),
                (
                    self.env.ref("integration_program.res_users_view_form_coach").id,
                    "form",
                ),
            ],
            "domain": [("integration_provider_id", "!=", False)],
        }

    def action_view_integration_participants(self):
        """Her active participants, in the pipeline."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "integration_program.integration_participant_action"
        )
        action["domain"] = [("coach_id", "=", self.id), ("milestone", "!=", "exited")]
        action["context"] = {}
        action["name"] = self.env._("Participants of %(coach)s", coach=self.name)
        return action
