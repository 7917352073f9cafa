from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_date

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

KPI_SQL = """
    SELECT %(key)s AS key,
           COUNT(DISTINCT participant.id) FILTER (WHERE %(enrolled)s) AS enrolled,
           COUNT(DISTINCT participant.id) FILTER (WHERE %(in_coaching)s)
               AS in_coaching,
           COUNT(DISTINCT participant.id) FILTER (WHERE %(training_started)s)
               AS training_started,
           COUNT(DISTINCT participant.id) FILTER (WHERE %(in_employment)s)
               AS in_employment,
           COUNT(DISTINCT participant.id) FILTER (WHERE %(paused)s) AS paused,
           COUNT(DISTINCT participant.id) FILTER (WHERE %(exited)s) AS exited,
           COUNT(DISTINCT participant.id) FILTER (WHERE %(placement_dropouts)s)
               AS placement_dropouts
      FROM integration_participant participant
      %(joins)s
     WHERE %(base)s
     GROUP BY 1
     ORDER BY 1
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

# Courses she took part in (not only waited for) that had begun by the day.
COHORT_JOIN = """
    LEFT JOIN (
        integration_enrollment enrollment
        JOIN integration_course course
          ON course.id = enrollment.course_id
         AND course.date_start <= %(as_of)s
    ) ON enrollment.participant_id = participant.id
     AND enrollment.state != 'waitlist'
"""

BREAKDOWNS = {
    "provider": ("provider.provider_id", PROVIDER_JOIN, "res.partner"),
    "cohort": ("course.id", COHORT_JOIN, "integration.course"),
    "country": ("participant.country_id", "", "res.country"),
    "year": ("EXTRACT(YEAR FROM participant.enrollment_date)::int", "", None),
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
        default=fields.Date.context_today,
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
            if not (
                report.program_id
                and report.date_from
                and report.date_to
                and report.reference_date
                and report.date_from <= report.date_to
            ):
                report.update(dict.fromkeys(KPI_KEYS, 0))
                report.breakdown_html = False
                continue
            values = report._kpi_values()
            report.update({key: values[key] for key in KPI_KEYS})
            report.breakdown_html = self.env["ir.qweb"]._render(
                "integration_program.funder_report_breakdowns",
                {"kpis": values, "labels": self._kpi_labels()},
            )

    @api.depends("program_id")
    def _compute_target_ids(self):
        for report in self:
            report.target_ids = report.program_id.target_ids

    def _kpi_values(self):
        self.ensure_one()
        return self.program_id._kpi_values(
            self.date_from, self.date_to, self.reference_date
        )

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
        totals = self._kpi_rows(SQL("NULL"), SQL(), params)
        values = {
            "program": program,
            "date_from": date_from,
            "date_to": date_to,
            "reference_date": reference_date,
            "as_of": as_of,
            **(totals[0] if totals else dict.fromkeys(KPI_KEYS, 0)),
        }
        values.pop("key", None)
        values["exit_reasons"] = self._exit_reasons(params)
        for name, (key, joins, model) in BREAKDOWNS.items():
            rows = self._kpi_rows(
                SQL(key),
                SQL(joins, as_of=as_of) if joins else SQL(),
                params,
            )
            names = {}
            if model:
                records = self.env[model].browse(
                    row["key"] for row in rows if row["key"]
                )
                names = dict(
                    zip(records.ids, records.mapped("display_name"), strict=True)
                )
            for row in rows:
                if row["key"] is None:
                    row["label"] = self.env._("(none)")
                elif names:
                    row["label"] = names[row["key"]]
                else:
                    row["label"] = str(row["key"])
            values[f"by_{name}"] = rows
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

    def _kpi_rows(self, key, joins, params):
        self.env.cr.execute(
            SQL(KPI_SQL, key=key, joins=joins, **self._sql_conditions(params))
        )
        return self.env.cr.dictfetchall()

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
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Funder Report"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "integration_program.integration_funder_report_view_form"
                    ).id,
                    "form",
                )
            ],
            "target": "current",
        }

    def action_download_xlsx(self):
        self.ensure_one()
        return self.env.ref(
            "integration_program.action_report_funder_xlsx"
        ).report_action(self)

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
        return self._action_analysis(
            "integration_program.integration_participant_action_analysis",
            self.env._("Funnel by Milestone"),
            {"graph_groupbys": ["milestone"], "graph_mode": "bar"},
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
