from odoo import api, fields, models

from .concurrency import serialize_writers


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
        caseloads = self._integration_caseloads()
        for user in self:
            user.integration_caseload = caseloads.get(user.id, 0)
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
