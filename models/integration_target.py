from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .integration_placement import PLACEMENT_TYPES
from .integration_stage import MILESTONES
from .surface_access import checked_message_ids
from .trend_chart import trend_days, trend_svg

TARGET_STATES = [
    ("not_started", "Not Started"),
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("reached", "Reached"),
    ("missed", "Missed"),
]
# Placement types a target may count, with the boolean field that selects each.
COUNTED_TYPES = {
    placement_type: f"count_{placement_type}"
    for placement_type, _label in PLACEMENT_TYPES
}


class IntegrationTarget(models.Model):
    _name = "integration.target"
    _description = "Target Agreement"
    _inherit = ["mail.thread"]
    message_ids = checked_message_ids()
    _order = "program_id, date_from, id"

    name = fields.Char(required=True, tracking=True, translate=True)
    program_id = fields.Many2one(
        "integration.program",
        string="Programme",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    funder_id = fields.Many2one(
        "res.partner",
        compute="_compute_funder_id",
        store=True,
        readonly=False,
        tracking=True,
        help="Organisation the target was agreed with; the programme's funder by "
        "default.",
    )
    date_from = fields.Date(string="Period From", required=True, tracking=True)
    date_to = fields.Date(string="Period Until", required=True, tracking=True)
    milestone = fields.Selection(
        [m for m in MILESTONES if m[0] != "exited"],
        string="Milestone Reached",
        tracking=True,
        help="Count the women who reached this milestone within the period.",
    )
    count_training = fields.Boolean(string="Vocational Training Started", tracking=True)
    count_employment = fields.Boolean(
        string="Insured Employment Started", tracking=True
    )
    count_internship = fields.Boolean(string="Internship Started", tracking=True)
    count_minijob = fields.Boolean(string="Mini-job Started", tracking=True)
    target_value = fields.Integer(
        string="Target",
        required=True,
        tracking=True,
        help="Number of women the programme agreed to reach within the period.",
    )
    note = fields.Text(help="Wording of the agreement, e.g. as in the funding notice.")
    reference_date = fields.Date(
        compute="_compute_actual",
        help="The day the actual value is counted up to.",
    )
    actual_value = fields.Integer(
        string="Actual",
        compute="_compute_actual",
        help="Distinct women counted within the period, up to the reference date.",
    )
    progress = fields.Float(string="Progress (%)", compute="_compute_actual")
    forecast_value = fields.Integer(
        string="Forecast",
        compute="_compute_actual",
        help="Expected value at the end of the period if the pace so far holds.",
    )
    status = fields.Selection(TARGET_STATES, compute="_compute_actual")

    @api.depends("program_id")
    def _compute_funder_id(self):
        for target in self:
            if not target.funder_id:
                target.funder_id = target.program_id.funder_id

    @api.constrains("date_from", "date_to", "target_value")
    def _check_values(self):
        for target in self:
            if target.date_to < target.date_from:
                raise ValidationError(
                    self.env._(
                        "The period of the target %(name)s cannot end (%(end)s) "
                        "before it starts (%(start)s).",
                        name=target.name,
                        end=target.date_to,
                        start=target.date_from,
                    )
                )
            if target.target_value <= 0:
                raise ValidationError(
                    self.env._(
                        "The target %(name)s needs a number of women greater than "
                        "zero.",
                        name=target.name,
                    )
                )

    @api.constrains("milestone", *COUNTED_TYPES.values())
    def _check_metric(self):
        for target in self:
            if not target.milestone and not target._counted_types():
                raise ValidationError(
                    self.env._(
                        "Say what the target %(name)s counts: a milestone reached, "
                        "placement types started, or both.",
                        name=target.name,
                    )
                )

    def _counted_types(self):
        self.ensure_one()
        return tuple(
            placement_type
            for placement_type, field_name in COUNTED_TYPES.items()
            if self[field_name]
        )

    @api.model
    def _reference_date(self):
        reference = self.env.context.get("reference_date")
        return (
            fields.Date.to_date(reference)
            if reference
            else fields.Date.context_today(self)
        )

    @api.depends_context("reference_date")
    @api.depends(
        "program_id",
        "date_from",
        "date_to",
        "milestone",
        "target_value",
        *COUNTED_TYPES.values(),
    )
    def _compute_actual(self):
        reference = self._reference_date()
        actuals = self.env["integration.kpi"]._target_actuals(
            self.filtered(lambda t: t.program_id and t.date_from and t.date_to),
            reference,
        )
        for target in self:
            target.reference_date = reference
            if not (target.program_id and target.date_from and target.date_to):
                target.update(
                    {
                        "actual_value": 0,
                        "progress": 0.0,
                        "forecast_value": 0,
                        "status": "not_started",
                    }
                )
                continue
            actual = actuals[target]
            target.actual_value = actual
            target.progress = (
                100.0 * actual / target.target_value if target.target_value else 0.0
            )
            target.forecast_value = target._forecast(actual, reference)
            target.status = target._status(actual, target.forecast_value, reference)

    def _actual_on(self, reference_date):
        """Distinct participants counted from the period start up to
        ``reference_date`` (or the period end, whichever comes first)."""
        self.ensure_one()
        return self.env["integration.kpi"]._target_actuals(self, reference_date)[self]

    def _counted_participant_ids(self, reference_date):
        """The women behind ``_actual_on``: ids of the participants counted."""
        self.ensure_one()
        return self.env["integration.kpi"]._target_participant_ids(self, reference_date)

    def _trend(self, reference_date):
        """``[(day, actual)]`` at each month's end of the period up to
        ``reference_date``: the curve of the trend chart."""
        self.ensure_one()
        until = min(self.date_to, reference_date)
        if until < self.date_from:
            return []
        return self.env["integration.kpi"]._target_trend(
            self, trend_days(self.date_from, until)
        )

    def _trend_chart(self):
        """The trend against the target's pace as inline SVG, as of the
        reference date in the context (today by default)."""
        self.ensure_one()
        return trend_svg(self.env, self, self._trend(self._reference_date()))

    def _forecast(self, actual, reference_date):
        """Extrapolate the pace so far (per day of the period) to its end."""
        self.ensure_one()
        if reference_date >= self.date_to:
            return actual
        if reference_date < self.date_from:
            return 0
        elapsed = (reference_date - self.date_from).days + 1
        total = (self.date_to - self.date_from).days + 1
        return round(actual * total / elapsed)

    def _status(self, actual, forecast, reference_date):
        self.ensure_one()
        if actual >= self.target_value:
            return "reached"
        if reference_date < self.date_from:
            return "not_started"
        if reference_date >= self.date_to:
            return "missed"
        return "on_track" if forecast >= self.target_value else "at_risk"
