from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, format_date

from ..models.integration_kpi import KPI_KEYS, TARGET_MILESTONES

# Rows of a breakdown the dashboard and the PDF show at most (see
# _breakdown_rows); the XLSX workbook has them all.
MAX_BREAKDOWN_ROWS = 50


class IntegrationFunderReport(models.TransientModel):
    """The programme overview for the funder: KPIs and targets as of a day."""

    _name = "integration.funder.report"
    _description = "Funder Report"

    program_id = fields.Many2one(
        "integration.program", string="Programme", required=True, ondelete="cascade"
    )
    date_from = fields.Date(
        string="Period From",
        required=True,
        compute="_compute_period",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_to = fields.Date(
        string="Period Until",
        required=True,
        compute="_compute_period",
        store=True,
        readonly=False,
        precompute=True,
    )
    reference_date = fields.Date(
        required=True,
        compute="_compute_reference_date",
        store=True,
        readonly=False,
        precompute=True,
        help="Day the figures are counted up to: events within the period up to "
        "this day, states (in coaching, employed, paused) on this day.",
    )
    enrolled = fields.Integer(compute="_compute_kpis")
    in_coaching = fields.Integer(compute="_compute_kpis")
    training_started = fields.Integer(
        string="Started Vocational Training", compute="_compute_kpis"
    )
    in_employment = fields.Integer(
        string="In Insured Employment", compute="_compute_kpis"
    )
    paused = fields.Integer(compute="_compute_kpis")
    exited = fields.Integer(compute="_compute_kpis")
    placement_dropouts = fields.Integer(
        string="Placement Drop-outs", compute="_compute_kpis"
    )
    target_ids = fields.Many2many(
        "integration.target", string="Targets", compute="_compute_target_ids"
    )
    breakdown_html = fields.Html(
        string="Breakdowns", compute="_compute_kpis", sanitize=False
    )
    trend_html = fields.Html(
        string="Trend against Targets", compute="_compute_trend_html", sanitize=False
    )
    funnel_html = fields.Html(
        string="Funnel", compute="_compute_funnel_html", sanitize=False
    )

    @api.model
    def default_get(self, fields_list):
        """Opened from the menu, the dashboard starts on the programme with the
        most women the user may read (its period and reference date follow)."""
        values = super().default_get(fields_list)
        if "program_id" in fields_list and not values.get("program_id"):
            program = self.env["integration.manager.home"]._program()
            if program:
                values["program_id"] = program.id
        return values

    @api.depends("program_id", "reference_date")
    def _compute_display_name(self):
        for report in self:
            report.display_name = self.env._(
                "%(program)s as of %(date)s",
                program=report.program_id.display_name,
                date=report.reference_date
                and format_date(self.env, report.reference_date),
            )

    @api.depends("program_id")
    def _compute_period(self):
        for report in self:
            program = report.program_id
            report.date_from = program.date_start or fields.Date.context_today(report)
            report.date_to = program.date_end or fields.Date.context_today(report)

    @api.depends("program_id")
    def _compute_reference_date(self):
        for report in self:
            report.reference_date = (
                report.program_id._default_reference_date()
                if report.program_id
                else fields.Date.context_today(report)
            )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for report in self:
            if report.date_to < report.date_from:
                raise ValidationError(
                    self.env._(
                        "The reporting period cannot end (%(end)s) before it starts "
                        "(%(start)s).",
                        end=report.date_to,
                        start=report.date_from,
                    )
                )

    @api.depends("program_id", "date_from", "date_to", "reference_date")
    def _compute_kpis(self):
        for report in self:
            if not report._is_complete():
                report.update(dict.fromkeys(KPI_KEYS, 0))
                report.breakdown_html = False
                continue
            values = report._kpi_values()
            report.update({key: values[key] for key in KPI_KEYS})
            report.breakdown_html = self.env["ir.qweb"]._render(
                "integration_program.funder_report_breakdowns",
                {"kpis": values, "labels": self._kpi_labels(), "report": report},
            )

    def _is_complete(self):
        self.ensure_one()
        return bool(
            self.program_id
            and self.date_from
            and self.date_to
            and self.reference_date
            and self.date_from <= self.date_to
        )

    @api.depends("program_id", "reference_date")
    def _compute_trend_html(self):
        for report in self:
            if not report._is_complete():
                report.trend_html = False
                continue
            report.trend_html = self.env["ir.qweb"]._render(
                "integration_program.funder_report_trends",
                {"targets": report._targets()},
            )

    @api.depends("program_id", "date_from", "date_to", "reference_date")
    def _compute_funnel_html(self):
        for report in self:
            if not report._is_complete():
                report.funnel_html = False
                continue
            report.funnel_html = self.env["ir.qweb"]._render(
                "integration_program.funder_report_funnel",
                {"steps": report._funnel()},
            )

    def _funnel(self):
        """Women who reached each milestone, or a later one, within the period
        up to the reference date, in milestone order: ``[{milestone, label,
        count, percent, width}]``. Reached as the target agreements count it
        (the stage she was registered in, then each tracked move)."""
        self.ensure_one()
        as_of = min(self.date_to, self.reference_date)
        counts = self.env["integration.kpi"]._funnel_counts(
            self.program_id, self.date_from, as_of, TARGET_MILESTONES
        )
        labels = dict(
            self.env["integration.stage"]
            ._fields["milestone"]
            ._description_selection(self.env)
        )
        rows = list(counts.items())
        top = rows[0][1] or 1
        return [
            {
                "milestone": milestone,
                "label": labels[milestone],
                "count": count,
                "percent": round(100.0 * count / top),
                "width": max(round(100.0 * count / top), 1),
            }
            for milestone, count in rows
        ]

    @api.depends("program_id")
    def _compute_target_ids(self):
        for report in self:
            report.target_ids = report.program_id.target_ids

    def _kpi_values(self):
        self.ensure_one()
        return self.program_id._kpi_values(
            self.date_from, self.date_to, self.reference_date
        )

    @api.model
    def _breakdown_rows(self, kpis, section):
        """The rows of a breakdown shown on screen and in the PDF, and a note
        on those left out: a state-wide programme has thousands of cohorts, which
        only the XLSX workbook lists. Beyond the limit, the rows with the most
        enrolled participants are shown, in their usual order."""
        rows = self._sorted_breakdown(kpis, section)
        label_rows = self.env["integration.kpi"]._label_rows
        if len(rows) <= MAX_BREAKDOWN_ROWS:
            return label_rows(kpis, section, rows), ""
        largest = sorted(rows, key=lambda row: -row["enrolled"])[:MAX_BREAKDOWN_ROWS]
        shown = {id(row) for row in largest}
        note = self.env._(
            "… and %(count)s more with fewer participants: the XLSX workbook lists "
            "them all.",
            count=len(rows) - len(largest),
        )
        return label_rows(
            kpis, section, [row for row in rows if id(row) in shown]
        ), note

    @api.model
    def _sorted_breakdown(self, kpis, section):
        """A breakdown's rows as a reader looks for them: countries by their
        name in the report's language, the others in their order; "(none)"
        last."""
        rows = kpis[section]
        if section == "by_country":
            self.env["integration.kpi"]._label_rows(kpis, section)
            rows = sorted(rows, key=lambda row: (row["key"] is None, row["label"]))
        return rows

    def _targets(self):
        """The programme's targets, counted as of the reference date."""
        self.ensure_one()
        return self.program_id.target_ids.with_context(
            reference_date=fields.Date.to_string(self.reference_date)
        )

    @api.model
    def _kpi_labels(self):
        return {
            "enrolled": self.env._("Enrolled"),
            "in_coaching": self.env._("In Coaching"),
            "training_started": self.env._("Started Vocational Training"),
            "in_employment": self.env._("In Insured Employment"),
            "paused": self.env._("Paused"),
            "exited": self.env._("Exited"),
            "placement_dropouts": self.env._("Placement Drop-outs"),
        }

    @api.model
    def _compute_kpi_values(self, program, date_from, date_to, reference_date):
        """KPIs of ``program`` for the period, as of ``reference_date`` (see
        ``integration.kpi``)."""
        return self.env["integration.kpi"]._kpi_values(
            program, date_from, date_to, reference_date
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "integration_program.integration_funder_report_action"
        )
        action["res_id"] = self.id
        return action

    def _kpi_participant_ids(self, key):
        """The women behind a KPI tile: the participants its count counts."""
        self.ensure_one()
        kpi = self.env["integration.kpi"]
        params = kpi._params(
            self.program_id, self.date_from, min(self.date_to, self.reference_date)
        )
        conditions = kpi._conditions(params)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT fact.participant_id FROM %s fact WHERE %s AND %s",
                kpi._facts(),
                conditions["base"],
                conditions[key],
            )
        )
        return [participant_id for (participant_id,) in self.env.cr.fetchall()]

    def action_open_kpi(self):
        """A tile's women, as a list (archived ones included: they count)."""
        self.ensure_one()
        key = self.env.context.get("integration_kpi")
        if key not in KPI_KEYS:
            raise ValidationError(self.env._("Unknown key figure."))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "integration_program.integration_participant_action"
        )
        action.pop("path", None)
        action.pop("display_name", None)
        action.update(
            {
                "name": self.env._(
                    "%(figure)s: %(report)s",
                    figure=self._kpi_labels()[key],
                    report=self.display_name,
                ),
                "domain": list(
                    Domain("id", "in", self._kpi_participant_ids(key))
                    & Domain("active", "in", (True, False))
                ),
                "context": {"default_program_id": self.program_id.id},
                "views": [(False, "list"), (False, "kanban"), (False, "form")],
                "view_mode": "list,kanban,form",
            }
        )
        return action

    def action_download_xlsx(self):
        self.ensure_one()
        return self.env.ref(
            "integration_program.action_report_funder_xlsx"
        ).report_action(self)

    def action_prepare_xlsx_in_background(self):
        """For big programmes: the workbook is rendered by a background job
        and posted on the programme, with a notice in the requester's inbox."""
        self.ensure_one()
        self.program_id._enqueue_funder_workbook(
            self.date_from, self.date_to, self.reference_date
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("The workbook is being prepared"),
                "message": self.env._(
                    "You will find it in the programme's chatter and get a "
                    "notice in your inbox when it is ready."
                ),
                "sticky": False,
            },
        }

    def action_print_pdf(self):
        self.ensure_one()
        return self.env.ref(
            "integration_program.action_report_funder_pdf"
        ).report_action(self)

    def _action_analysis(self, xmlid, name, context):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action.update(
            {
                "name": name,
                "domain": [("program_id", "=", self.program_id.id)],
                "context": context,
            }
        )
        return action

    @api.readonly
    def action_view_funnel(self):
        # By stage, not by milestone: the graph orders a selection by its key
        # (alphabetically), stages by their sequence, which is milestone order.
        return self._action_analysis(
            "integration_program.integration_participant_action_analysis",
            self.env._("Women by Stage"),
            {"graph_groupbys": ["stage_id"], "graph_mode": "bar"},
        )

    @api.readonly
    def action_view_enrolments(self):
        return self._action_analysis(
            "integration_program.integration_participant_action_analysis",
            self.env._("Enrolments over Time"),
            {
                "graph_groupbys": ["enrollment_date:year"],
                "graph_mode": "line",
                "pivot_row_groupby": ["enrollment_date:year"],
                "pivot_column_groupby": ["milestone"],
            },
        )

    @api.readonly
    def action_view_placements(self):
        return self._action_analysis(
            "integration_program.integration_placement_action_analysis",
            self.env._("Placements over Time"),
            {
                "graph_groupbys": ["date_start:year", "placement_type"],
                "pivot_row_groupby": ["date_start:year"],
                "pivot_column_groupby": ["placement_type"],
            },
        )
