from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, format_date

from ..models.integration_stage import MILESTONES
from ..models.integration_target import MILESTONE_REACHED_SQL

# The KPIs counted per row of a breakdown, in report order.
KPI_KEYS = (
    "enrolled",
    "in_coaching",
    "training_started",
    "in_employment",
    "paused",
    "exited",
    "placement_dropouts",
)

# What each KPI counts about one participant (aliased ``participant``), as
# distinct participants: events (enrolment, training start, exit, placement
# drop-out) within [date_from, as_of], states (coaching, employment, pause) on
# as_of. Shared by the KPI counts and the participant-level sheet.
CONDITIONS = {
    "enrolled": "participant.enrollment_date >= %(date_from)s",
    "in_coaching": """EXISTS (
        SELECT 1 FROM integration_coaching_assignment assignment
         WHERE assignment.participant_id = participant.id
           AND assignment.date_from <= %(as_of)s
           AND (assignment.date_to IS NULL OR assignment.date_to > %(as_of)s))""",
    "training_started": """EXISTS (
        SELECT 1 FROM integration_placement placement
         WHERE placement.participant_id = participant.id
           AND placement.placement_type = 'training'
           AND placement.state != 'planned'
           AND placement.date_start BETWEEN %(date_from)s AND %(as_of)s)""",
    "in_employment": """EXISTS (
        SELECT 1 FROM integration_placement placement
         WHERE placement.participant_id = participant.id
           AND placement.placement_type = 'employment'
           AND placement.state != 'planned'
           AND placement.date_start <= %(as_of)s
           AND (placement.date_end > %(as_of)s
                OR (placement.date_end IS NULL AND placement.state = 'active')))""",
    # A pause lasts until she resumes (pause_date_end) or leaves (an exit ends
    # the pause without dating its end).
    "paused": """(participant.pause_date_start <= %(as_of)s
        AND (participant.exit_date IS NULL OR participant.exit_date > %(as_of)s)
        AND (participant.is_paused
             OR participant.pause_date_end > %(as_of)s
             OR (participant.pause_date_end IS NULL
                 AND participant.exit_date IS NOT NULL)))""",
    # Her exit date, or an earlier exit undone by a re-entry (kept in the
    # tracking of her exit date).
    "exited": """(participant.exit_date BETWEEN %(date_from)s AND %(as_of)s
        OR EXISTS (
        SELECT 1 FROM mail_message message
          JOIN mail_tracking_value exit_value
            ON exit_value.mail_message_id = message.id
         WHERE message.model = 'integration.participant'
           AND message.res_id = participant.id
           AND exit_value.field_id = %(exit_field_id)s
           AND exit_value.new_value_datetime::date
               BETWEEN %(date_from)s AND %(as_of)s))""",
    "placement_dropouts": """EXISTS (
        SELECT 1 FROM integration_placement placement
         WHERE placement.participant_id = participant.id
           AND placement.state = 'dropped'
           AND COALESCE(placement.date_end, placement.date_start)
               BETWEEN %(date_from)s AND %(as_of)s)""",
}

# Participants of the programme in the period: enrolled by as_of and not gone
# before the period began. Nothing counts before the period begins.
BASE_WHERE = """participant.program_id = %(program_id)s
    AND %(as_of)s >= %(date_from)s
    AND participant.enrollment_date <= %(as_of)s
    AND (participant.exit_date IS NULL OR participant.exit_date >= %(date_from)s)"""

# The KPI counts of every breakdown in one statement. Each participant's flags
# are computed once (a materialised CTE), from sets of participant ids joined by
# hash (no probe per participant); then the total and each breakdown are grouped
# over those flags. Same meaning as CONDITIONS, which the participant-level
# sheet evaluates row by row. A participant is one row of ``flags`` and at most
# one row per cohort (an enrolment is unique per course and participant), so
# plain counts are distinct counts.
KPI_FLAGS_SQL = """
    WITH flags AS MATERIALIZED (
        SELECT participant.id,
               participant.country_id,
               EXTRACT(YEAR FROM participant.enrollment_date)::int AS year,
               provider.provider_id,
               %(enrolled)s AS enrolled,
               coaching.participant_id IS NOT NULL AS in_coaching,
               training.participant_id IS NOT NULL AS training_started,
               employment.participant_id IS NOT NULL AS in_employment,
               %(paused)s AS paused,
               (participant.exit_date BETWEEN %(date_from)s AND %(as_of)s
                OR earlier_exit.participant_id IS NOT NULL) AS exited,
               dropout.participant_id IS NOT NULL AS placement_dropouts
          FROM integration_participant participant
          LEFT JOIN (
            SELECT DISTINCT ON (assignment.participant_id)
                   assignment.participant_id, assignment.provider_id
              FROM integration_coaching_assignment assignment
             WHERE assignment.date_from <= %(as_of)s
             ORDER BY assignment.participant_id, assignment.date_from DESC,
                      assignment.id DESC
          ) provider ON provider.participant_id = participant.id
          LEFT JOIN (
            SELECT DISTINCT assignment.participant_id
              FROM integration_coaching_assignment assignment
             WHERE assignment.date_from <= %(as_of)s
               AND (assignment.date_to IS NULL OR assignment.date_to > %(as_of)s)
          ) coaching ON coaching.participant_id = participant.id
          LEFT JOIN (
            SELECT DISTINCT placement.participant_id
              FROM integration_placement placement
             WHERE placement.placement_type = 'training'
               AND placement.state != 'planned'
               AND placement.date_start BETWEEN %(date_from)s AND %(as_of)s
          ) training ON training.participant_id = participant.id
          LEFT JOIN (
            SELECT DISTINCT placement.participant_id
              FROM integration_placement placement
             WHERE placement.placement_type = 'employment'
               AND placement.state != 'planned'
               AND placement.date_start <= %(as_of)s
               AND (placement.date_end > %(as_of)s
                    OR (placement.date_end IS NULL AND placement.state = 'active'))
          ) employment ON employment.participant_id = participant.id
          LEFT JOIN (
            SELECT DISTINCT message.res_id AS participant_id
              FROM mail_tracking_value exit_value
              JOIN mail_message message ON message.id = exit_value.mail_message_id
             WHERE exit_value.field_id = %(exit_field_id)s
               AND message.model = 'integration.participant'
               AND exit_value.new_value_datetime::date
                   BETWEEN %(date_from)s AND %(as_of)s
          ) earlier_exit ON earlier_exit.participant_id = participant.id
          LEFT JOIN (
            SELECT DISTINCT placement.participant_id
              FROM integration_placement placement
             WHERE placement.state = 'dropped'
               AND COALESCE(placement.date_end, placement.date_start)
                   BETWEEN %(date_from)s AND %(as_of)s
          ) dropout ON dropout.participant_id = participant.id
         WHERE %(base)s
    )
    SELECT 'total' AS breakdown, NULL::int AS key, %(counts)s FROM flags
    UNION ALL
    SELECT 'provider', provider_id, %(counts)s FROM flags GROUP BY provider_id
    UNION ALL
    SELECT 'country', country_id, %(counts)s FROM flags GROUP BY country_id
    UNION ALL
    SELECT 'year', year, %(counts)s FROM flags GROUP BY year
    UNION ALL
    SELECT 'cohort', course.id, %(counts)s
      FROM flags
      LEFT JOIN (
        integration_enrollment enrollment
        JOIN integration_course course
          ON course.id = enrollment.course_id
         AND course.date_start <= %(as_of)s
      ) ON enrollment.participant_id = flags.id
       AND enrollment.state != 'waitlist'
     GROUP BY course.id
     ORDER BY 1, 2
"""

# Exits in the period with their reason, re-entered ones included.
EXIT_REASON_SQL = """
    SELECT exit.reason_id, COUNT(DISTINCT exit.participant_id)
      FROM (
        SELECT participant.id AS participant_id,
               participant.exit_reason_id AS reason_id,
               participant.exit_date AS day
          FROM integration_participant participant
         WHERE %(base)s AND participant.exit_date IS NOT NULL
        UNION
        SELECT participant.id,
               reason_value.new_value_integer,
               exit_value.new_value_datetime::date
          FROM integration_participant participant
          JOIN mail_message message
            ON message.model = 'integration.participant'
           AND message.res_id = participant.id
          JOIN mail_tracking_value exit_value
            ON exit_value.mail_message_id = message.id
           AND exit_value.field_id = %(exit_field_id)s
          LEFT JOIN mail_tracking_value reason_value
            ON reason_value.mail_message_id = message.id
           AND reason_value.field_id = %(reason_field_id)s
         WHERE %(base)s
           AND exit_value.new_value_datetime IS NOT NULL
           AND exit_value.new_value_datetime::date
               IS DISTINCT FROM participant.exit_date
      ) exit
     WHERE exit.day BETWEEN %(date_from)s AND %(as_of)s
     GROUP BY exit.reason_id
"""

# Her provider on the day: the one of her latest coaching assignment begun by then.
PROVIDER_JOIN = """
    LEFT JOIN LATERAL (
        SELECT assignment.provider_id FROM integration_coaching_assignment assignment
         WHERE assignment.participant_id = participant.id
           AND assignment.date_from <= %(as_of)s
         ORDER BY assignment.date_from DESC, assignment.id DESC
         LIMIT 1
    ) provider ON TRUE
"""

# Rows of a breakdown the dashboard and the PDF show at most (see
# _breakdown_rows); the XLSX workbook has them all.
MAX_BREAKDOWN_ROWS = 50

# The breakdowns, in report order, with the model naming their keys.
BREAKDOWNS = {
    "provider": "res.partner",
    "cohort": "integration.course",
    "country": "res.country",
    "year": None,
}


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
        steps = [milestone for milestone in MILESTONES if milestone[0] != "exited"]
        stage_field = self.env["ir.model.fields"]._get(
            "integration.participant", "stage_id"
        )
        self.env.flush_all()
        reached = {}
        for milestone, _label in steps:
            self.env.cr.execute(
                SQL(
                    MILESTONE_REACHED_SQL,
                    program_id=self.program_id.id,
                    milestone=milestone,
                    field_id=stage_field.id,
                    date_from=self.date_from,
                    date_to=as_of,
                )
            )
            reached[milestone] = {row[0] for row in self.env.cr.fetchall()}
        labels = dict(
            self.env["integration.stage"]
            ._fields["milestone"]
            ._description_selection(self.env)
        )
        rows = []
        later = set()
        for milestone, _label in reversed(steps):
            later |= reached[milestone]
            rows.append((milestone, len(later)))
        rows.reverse()
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
        if len(rows) <= MAX_BREAKDOWN_ROWS:
            return rows, ""
        largest = sorted(rows, key=lambda row: -row["enrolled"])[:MAX_BREAKDOWN_ROWS]
        shown = {id(row) for row in largest}
        note = self.env._(
            "… and %(count)s more with fewer participants: the XLSX workbook lists "
            "them all.",
            count=len(rows) - len(largest),
        )
        return [row for row in rows if id(row) in shown], note

    @api.model
    def _sorted_breakdown(self, kpis, section):
        """A breakdown's rows as a reader looks for them: countries by their
        name in the report's language, the others in their order; "(none)"
        last."""
        rows = kpis[section]
        if section == "by_country":
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
        """KPIs of ``program`` for the period, as of ``reference_date``.

        Counts run in SQL, one grouped query per breakdown; nothing is loaded per
        participant. Archived participants count: archiving must not change
        figures already reported.
        """
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        reference_date = fields.Date.to_date(reference_date)
        as_of = min(date_to, reference_date)
        params = self._sql_params(program, date_from, as_of)
        self.env.flush_all()
        rows = self._kpi_rows(params)
        values = {
            "program": program,
            "date_from": date_from,
            "date_to": date_to,
            "reference_date": reference_date,
            "as_of": as_of,
            **(
                {key: rows["total"][0][key] for key in KPI_KEYS}
                if rows["total"]
                else dict.fromkeys(KPI_KEYS, 0)
            ),
        }
        values["exit_reasons"] = self._exit_reasons(params)
        for name, model in BREAKDOWNS.items():
            breakdown = rows[name]
            names = {}
            if model:
                records = self.env[model].browse(
                    row["key"] for row in breakdown if row["key"]
                )
                names = dict(
                    zip(records.ids, records.mapped("display_name"), strict=True)
                )
            for row in breakdown:
                if row["key"] is None:
                    row["label"] = self.env._("(none)")
                elif names:
                    row["label"] = names[row["key"]]
                else:
                    row["label"] = str(row["key"])
            values[f"by_{name}"] = breakdown
        return values

    @api.model
    def _sql_params(self, program, date_from, as_of):
        fields_model = self.env["ir.model.fields"]
        return {
            "program_id": program.id,
            "date_from": date_from,
            "as_of": as_of,
            "exit_field_id": fields_model._get(
                "integration.participant", "exit_date"
            ).id,
            "reason_field_id": fields_model._get(
                "integration.participant", "exit_reason_id"
            ).id,
        }

    @api.model
    def _sql_conditions(self, params):
        """The KPI conditions and the participants' base filter, bound to
        ``params`` (program_id, date_from, as_of)."""
        conditions = {name: SQL(code, **params) for name, code in CONDITIONS.items()}
        conditions["base"] = SQL(BASE_WHERE, **params)
        return conditions

    def _kpi_rows(self, params):
        """``{breakdown: [row]}``: the total ("total", one row) and each
        breakdown's rows ordered by key, from one query."""
        conditions = self._sql_conditions(params)
        counts = SQL(", ").join(
            SQL("COUNT(*) FILTER (WHERE %s) AS %s", SQL.identifier(key), SQL(key))
            for key in KPI_KEYS
        )
        self.env.cr.execute(
            SQL(
                KPI_FLAGS_SQL,
                enrolled=conditions["enrolled"],
                paused=conditions["paused"],
                base=conditions["base"],
                counts=counts,
                **params,
            )
        )
        rows = {name: [] for name in ("total", *BREAKDOWNS)}
        for row in self.env.cr.dictfetchall():
            rows[row.pop("breakdown")].append(row)
        return rows

    def _exit_reasons(self, params):
        self.env.cr.execute(
            SQL(EXIT_REASON_SQL, **self._sql_conditions(params), **params)
        )
        counts = dict(self.env.cr.fetchall())
        reasons = self.env["integration.exit.reason"].browse(
            reason_id for reason_id in counts if reason_id
        )
        rows = [
            {
                "label": reason.display_name,
                "outcome": reason.outcome,
                "count": counts[reason.id],
            }
            for reason in reasons.sorted()
        ]
        if None in counts:
            rows.append(
                {"label": self.env._("(none)"), "outcome": "", "count": counts[None]}
            )
        return rows

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
        params = self._sql_params(
            self.program_id, self.date_from, min(self.date_to, self.reference_date)
        )
        conditions = self._sql_conditions(params)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT participant.id FROM integration_participant participant "
                "WHERE %s AND %s",
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

    def action_view_funnel(self):
        # By stage, not by milestone: the graph orders a selection by its key
        # (alphabetically), stages by their sequence, which is milestone order.
        return self._action_analysis(
            "integration_program.integration_participant_action_analysis",
            self.env._("Women by Stage"),
            {"graph_groupbys": ["stage_id"], "graph_mode": "bar"},
        )

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
