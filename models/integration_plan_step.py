from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import format_date

from .integration_plan import check_not_frozen

STEP_OWNERS = [
    ("participant", "She herself"),
    ("coach", "Her coach"),
    ("staff", "Programme staff"),
]
STEP_STATUSES = [
    ("todo", "To Do"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
OPEN_STATUSES = ("todo", "in_progress")
# What happens to a step is recorded on the agreed version too: the progress
# against what was agreed, not a change of the agreement.
PROGRESS_FIELDS = frozenset({"status", "date_done", "overdue_notified"})


class IntegrationPlanStep(models.Model):
    _name = "integration.plan.step"
    _description = "Step of an Integration Plan"
    _inherit = ["integration.input.mixin", "integration.organisation.access"]
    _order = "date_due, sequence, id"
    _organisation_access_fields = ("goal_id",)
    _integration_max_lengths = {"name": 300}

    goal_id = fields.Many2one(
        "integration.plan.goal", required=True, index=True, ondelete="cascade"
    )
    plan_id = fields.Many2one(
        related="goal_id.plan_id", store=True, index=True, string="Plan"
    )
    participant_id = fields.Many2one(
        related="goal_id.plan_id.participant_id", store=True, index=True
    )
    plan_state = fields.Selection(related="goal_id.plan_id.state")
    plan_version = fields.Integer(related="goal_id.plan_id.version")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Step", required=True)
    owner = fields.Selection(
        STEP_OWNERS,
        string="Who",
        required=True,
        default="participant",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        domain="[('share', '=', False)]",
        help="Who gets the reminder when the step is overdue: her coach for her "
        "own steps and her coach's, her responsible staff member for the "
        "programme's.",
    )
    date_due = fields.Date(string="Due On", index=True)
    status = fields.Selection(STEP_STATUSES, required=True, default="todo", index=True)
    date_done = fields.Date(string="Done On")
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
    )
    overdue_notified = fields.Boolean(
        copy=False,
        help="Its owner was given an activity for it being overdue (once).",
    )

    @api.depends("owner", "participant_id.coach_id", "participant_id.user_id")
    def _compute_user_id(self):
        for step in self:
            participant = step.participant_id.sudo()
            if step.owner == "staff":
                step.user_id = participant.user_id
            else:
                step.user_id = participant.coach_id or participant.user_id

    @api.model
    def _overdue_domain(self):
        return Domain(
            [
                ("status", "in", OPEN_STATUSES),
                ("date_due", "<", fields.Date.context_today(self)),
                ("plan_id.state", "!=", "superseded"),
            ]
        )

    def _compute_is_overdue(self):
        overdue = self.filtered_domain(self._overdue_domain())
        for step in self:
            step.is_overdue = step in overdue

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        domain = self._overdue_domain()
        return domain if (operator == "=") == value else ~domain

    @api.constrains("status", "date_done")
    def _check_date_done(self):
        for step in self:
            if step.date_done and step.status != "done":
                raise ValidationError(
                    self.env._("Only a step that is done has a date it was done.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._integration_check_vals(vals)
            if vals.get("status") == "done":
                vals.setdefault("date_done", fields.Date.context_today(self))
        steps = super().create(vals_list)
        check_not_frozen(steps)
        return steps

    def write(self, vals):
        self._integration_check_vals(vals)
        check_not_frozen(self, vals, allowed=PROGRESS_FIELDS)
        if "status" in vals:
            vals = dict(vals)
            vals.setdefault(
                "date_done",
                fields.Date.context_today(self) if vals["status"] == "done" else False,
            )
        if "date_due" in vals:
            vals = dict(vals, overdue_notified=False)
        result = super().write(vals)
        if "goal_id" in vals:
            check_not_frozen(self)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_agreed(self):
        check_not_frozen(self)

    @api.model
    def _cron_overdue_step_activities(self):
        """One activity per overdue step of a current plan, for its responsible,
        never a second one for the same step. Returns the steps handled."""
        activity_type = self.env.ref(
            "integration_program.mail_activity_type_plan_step_overdue"
        )
        steps = self.sudo().search(
            self._overdue_domain()
            & Domain("plan_id.state", "=", "agreed")
            & Domain("overdue_notified", "=", False)
            & Domain("user_id", "!=", False)
        )
        model_id = self.env["ir.model"]._get_id("integration.plan")
        today = fields.Date.context_today(self)
        activities = []
        # Her coach changed provider meanwhile: nobody blind gets her step.
        steps = steps.filtered(
            lambda step: step.plan_id.with_user(step.user_id).has_access("read")
        )
        for step in steps:
            # In the language of whoever gets it, not the scheduler's.
            env = self.with_context(lang=step.user_id.lang).env
            owners = dict(self._fields["owner"]._description_selection(env))
            activities.append(
                {
                    "res_model_id": model_id,
                    "res_id": step.plan_id.id,
                    "activity_type_id": activity_type.id,
                    "user_id": step.user_id.id,
                    "date_deadline": today,
                    "summary": env._("Overdue step: %(step)s", step=step.name)[:250],
                    "note": env._(
                        "Due on %(date)s (%(owner)s).",
                        date=format_date(env, step.date_due),
                        owner=owners[step.owner],
                    ),
                }
            )
        self.env["mail.activity"].sudo().create(activities)
        steps.write({"overdue_notified": True})
        return steps
