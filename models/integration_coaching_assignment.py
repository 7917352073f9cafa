from odoo import api, fields, models
from odoo.fields import Domain


class IntegrationCoachingAssignment(models.Model):
    _name = "integration.coaching.assignment"
    _description = "Coaching Assignment"
    _inherit = ["integration.input.mixin", "integration.organisation.access"]
    _order = "date_from desc, id desc"
    _organisation_access_fields = ("participant_id", "coach_id", "provider_id")

    participant_id = fields.Many2one(
        "integration.participant", required=True, index=True, ondelete="cascade"
    )
    program_id = fields.Many2one(related="participant_id.program_id", store=True)
    coach_id = fields.Many2one("res.users", required=True, index=True)
    provider_id = fields.Many2one("res.partner", string="Coaching Provider", index=True)
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(
        string="Until",
        help="Day the coaching ended or passed to another coach; empty while it "
        "lasts. The coach accompanied her up to the day before.",
    )
    is_current = fields.Boolean(compute="_compute_is_current")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._integration_check_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._integration_check_vals(vals)
        return super().write(vals)

    @api.depends("date_to")
    def _compute_is_current(self):
        for assignment in self:
            assignment.is_current = not assignment.date_to

    @api.model
    def _domain_on(self, day):
        """Assignments running on ``day``: who was in coaching then, with whom."""
        return Domain("date_from", "<=", day) & (
            Domain("date_to", "=", False) | Domain("date_to", ">", day)
        )

    @api.model
    def search_on(self, day, domain=None):
        return self.search(self._domain_on(day) & Domain(domain or []))
