from odoo import api, fields, models

from .integration_plan import check_not_frozen


class IntegrationPlanGoal(models.Model):
    _name = "integration.plan.goal"
    _description = "Goal of an Integration Plan"
    _inherit = ["integration.input.mixin", "integration.organisation.access"]
    _order = "plan_id, sequence, id"
    _organisation_access_fields = ("plan_id",)
    _integration_max_lengths = {"name": 300, "description": 5000}

    plan_id = fields.Many2one(
        "integration.plan", required=True, index=True, ondelete="cascade"
    )
    participant_id = fields.Many2one(
        related="plan_id.participant_id", store=True, index=True
    )
    plan_state = fields.Selection(related="plan_id.state")
    plan_version = fields.Integer(related="plan_id.version")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Goal", required=True)
    area_id = fields.Many2one(
        "integration.assessment.area",
        ondelete="restrict",
        help="The area of her assessment this goal works on.",
    )
    description = fields.Text()
    step_ids = fields.One2many(
        "integration.plan.step", "goal_id", string="Steps", copy=True
    )
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        aggregator="avg",
        help="Share of its steps done, cancelled steps left out.",
    )

    @api.depends("step_ids.status")
    def _compute_progress(self):
        for goal in self:
            steps = goal.step_ids.filtered(lambda step: step.status != "cancelled")
            done = steps.filtered(lambda step: step.status == "done")
            goal.progress = 100.0 * len(done) / len(steps) if steps else 0.0

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._integration_check_vals(vals)
        goals = super().create(vals_list)
        check_not_frozen(goals)
        return goals

    def write(self, vals):
        self._integration_check_vals(vals)
        check_not_frozen(self, vals)
        result = super().write(vals)
        if "plan_id" in vals:
            check_not_frozen(self)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_agreed(self):
        check_not_frozen(self)
