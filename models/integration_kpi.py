"""The programme figures (funder KPIs, targets, workbook), defined once.

Every figure is a condition on one row of ``integration_kpi_fact``: per
participant, the days and periods the figures ask about (her enrolment, exits,
coaching and employment periods, training starts, placement drop-outs, the days
she reached each milestone), as PostgreSQL date multiranges. The table is kept
up by the writes that change it: statement triggers on the participants,
placements, coaching assignments and the tracking of her exit date and stage
recompute the rows of the participants a statement touched, from the raw rows,
with the same ``FACT_SQL`` that builds the table. Every write path is covered
(the ORM, the bulk imports, plain SQL) and the figures of a big programme are
one scan of a narrow table instead of six joins over placements, assignments and
the message tracking.

``FACT_SQL`` over the raw rows and the stored table give the same figures
(``tests/test_kpi_facts.py`` compares both after random events).
"""

import hashlib
import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

FACT_TABLE = "integration_kpi_fact"

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
PLACEMENT_TYPES = ("training", "employment", "internship", "minijob")
# Milestones a target may count (all but "exited").
TARGET_MILESTONES = (
    "intake",
    "orientation",
    "coaching",
    "qualification",
    "training",
    "employment",
)

# One row per participant, from the raw rows, for the participants matching
# ``%(where)s`` (alias ``participant``). Days are one-day ranges [d, d+1), so that
# "an event within [date_from, as_of]" is an overlap (&&) and "a state on
# as_of" a containment (@>).
FACT_COLUMNS = """
    participant_id integer PRIMARY KEY
        REFERENCES integration_participant(id) ON DELETE CASCADE,
    program_id integer,
    country_id integer,
    exit_reason_id integer,
    enrollment_date date,
    exit_date date,
    pause_date_start date,
    pause_date_end date,
    is_paused boolean,
    provider_id integer,
    provider_since date,
    providers integer[],
    provider_dates date[],
    coaching datemultirange,
    employment datemultirange,
    training_starts datemultirange,
    employment_starts datemultirange,
    internship_starts datemultirange,
    minijob_starts datemultirange,
    dropouts datemultirange,
    exits datemultirange,
    reached_intake datemultirange,
    reached_orientation datemultirange,
    reached_coaching datemultirange,
    reached_qualification datemultirange,
    reached_training datemultirange,
    reached_employment datemultirange
"""

FACT_SQL = """
    SELECT participant.id AS participant_id,
           participant.program_id,
           participant.country_id,
           participant.exit_reason_id,
           participant.enrollment_date,
           participant.exit_date,
           participant.pause_date_start,
           participant.pause_date_end,
           participant.is_paused,
           assignment.providers[cardinality(assignment.providers)] AS provider_id,
           assignment.provider_dates[cardinality(assignment.provider_dates)]
               AS provider_since,
           assignment.providers,
           assignment.provider_dates,
           assignment.coaching,
           placement.employment,
           placement.training_starts,
           placement.employment_starts,
           placement.internship_starts,
           placement.minijob_starts,
           placement.dropouts,
           exit.exits,
           reached.reached_intake,
           reached.reached_orientation,
           reached.reached_coaching,
           reached.reached_qualification,
           reached.reached_training,
           reached.reached_employment
      FROM integration_participant participant
      -- Her coaching assignments: the providers in order (her provider on a
      -- day is the one of her latest assignment begun by then) and the
      -- periods she was in coaching.
      LEFT JOIN LATERAL (
        SELECT array_agg(a.provider_id ORDER BY a.date_from, a.id) AS providers,
               array_agg(a.date_from ORDER BY a.date_from, a.id) AS provider_dates,
               range_agg(daterange(a.date_from, a.date_to))
                   FILTER (WHERE a.date_to IS NULL OR a.date_to > a.date_from)
                   AS coaching
          FROM integration_coaching_assignment a
         WHERE a.participant_id = participant.id AND a.date_from IS NOT NULL
      ) assignment ON TRUE
      -- Her placements: insured employment periods (until its end, or open
      -- while active), the days each type started (not planned ones), the days
      -- of drop-outs.
      LEFT JOIN LATERAL (
        SELECT range_agg(daterange(p.date_start, p.date_end)) FILTER (
                   WHERE p.placement_type = 'employment'
                     AND p.state != 'planned'
                     AND (p.date_end > p.date_start
                          OR (p.date_end IS NULL AND p.state = 'active'))
               ) AS employment,
               range_agg(daterange(p.date_start, p.date_start + 1)) FILTER (
                   WHERE p.placement_type = 'training' AND p.state != 'planned'
               ) AS training_starts,
               range_agg(daterange(p.date_start, p.date_start + 1)) FILTER (
                   WHERE p.placement_type = 'employment' AND p.state != 'planned'
               ) AS employment_starts,
               range_agg(daterange(p.date_start, p.date_start + 1)) FILTER (
                   WHERE p.placement_type = 'internship' AND p.state != 'planned'
               ) AS internship_starts,
               range_agg(daterange(p.date_start, p.date_start + 1)) FILTER (
                   WHERE p.placement_type = 'minijob' AND p.state != 'planned'
               ) AS minijob_starts,
               range_agg(daterange(COALESCE(p.date_end, p.date_start),
                                   COALESCE(p.date_end, p.date_start) + 1))
                   FILTER (WHERE p.state = 'dropped') AS dropouts
          FROM integration_placement p
         WHERE p.participant_id = participant.id AND p.date_start IS NOT NULL
      ) placement ON TRUE
      -- Her exit date, and earlier exits undone by a re-entry (kept in the
      -- tracking of her exit date).
      LEFT JOIN LATERAL (
        SELECT range_agg(daterange(day, day + 1)) AS exits
          FROM (
            SELECT participant.exit_date AS day
             WHERE participant.exit_date IS NOT NULL
            UNION ALL
            SELECT value.new_value_datetime::date
              FROM mail_message message
              JOIN mail_tracking_value value ON value.mail_message_id = message.id
             WHERE message.model = 'integration.participant'
               AND message.res_id = participant.id
               AND value.field_id = (SELECT id FROM ir_model_fields
                                      WHERE model = 'integration.participant'
                                        AND name = 'exit_date')
               AND value.new_value_datetime IS NOT NULL
          ) exit_days
      ) exit ON TRUE
      -- The days she reached each milestone: the stage she was registered in
      -- counts from her enrolment date (her first tracked move tells which it
      -- was), each tracked stage change from the day it was made.
      LEFT JOIN LATERAL (
        WITH moves AS (
            SELECT value.old_value_integer AS old_stage_id,
                   value.new_value_integer AS new_stage_id,
                   (message.date AT TIME ZONE 'UTC')::date AS day,
                   message.id AS message_id
              FROM mail_message message
              JOIN mail_tracking_value value ON value.mail_message_id = message.id
             WHERE message.model = 'integration.participant'
               AND message.res_id = participant.id
               AND value.field_id = (SELECT id FROM ir_model_fields
                                      WHERE model = 'integration.participant'
                                        AND name = 'stage_id')
        )
        SELECT %(reached)s
          FROM (
            SELECT COALESCE(
                       (SELECT old_stage_id FROM moves ORDER BY message_id LIMIT 1),
                       participant.stage_id
                   ) AS stage_id,
                   participant.enrollment_date AS day
            UNION ALL
            SELECT new_stage_id, day FROM moves
          ) reached_day
          JOIN integration_stage stage ON stage.id = reached_day.stage_id
         WHERE reached_day.day IS NOT NULL
      ) reached ON TRUE
     WHERE %(where)s
"""

# The figures: conditions on one fact row (alias ``fact``), with the parameters
# date_from, as_of and program_id. Events (enrolment, training start, exit,
# placement drop-out) within [date_from, as_of], states (coaching, employment,
# pause) on as_of.
# [date_from, as_of] (empty when as_of comes first).
PERIOD = "daterange(%(date_from)s, GREATEST(%(as_of)s::date + 1, %(date_from)s))"
CONDITIONS = {
    "enrolled": "fact.enrollment_date >= %(date_from)s",
    "in_coaching": "COALESCE(fact.coaching @> %(as_of)s::date, FALSE)",
    "training_started": f"COALESCE(fact.training_starts && {PERIOD}, FALSE)",
    "in_employment": "COALESCE(fact.employment @> %(as_of)s::date, FALSE)",
    # A pause lasts until she resumes (pause_date_end) or leaves (an exit ends
    # the pause without dating its end).
    "paused": """COALESCE(fact.pause_date_start <= %(as_of)s
        AND (fact.exit_date IS NULL OR fact.exit_date > %(as_of)s)
        AND (fact.is_paused
             OR fact.pause_date_end > %(as_of)s
             OR (fact.pause_date_end IS NULL AND fact.exit_date IS NOT NULL)),
        FALSE)""",
    "exited": f"COALESCE(fact.exits && {PERIOD}, FALSE)",
    "placement_dropouts": f"COALESCE(fact.dropouts && {PERIOD}, FALSE)",
}
# The first day she started a vocational training in the period (the workbook).
TRAINING_START = f"lower(fact.training_starts * datemultirange({PERIOD}))"
# Her provider on as_of: the one of her latest coaching assignment begun by then
# (usually her current one, read without unnesting).
PROVIDER = """CASE WHEN fact.provider_since IS NULL THEN NULL
    WHEN fact.provider_since <= %(as_of)s THEN fact.provider_id
    ELSE (SELECT history.provider_id
            FROM unnest(fact.providers, fact.provider_dates)
                 WITH ORDINALITY history(provider_id, date_from, position)
           WHERE history.date_from <= %(as_of)s
           ORDER BY history.position DESC LIMIT 1)
    END"""
# Participants of the programme in the period: enrolled by as_of and not gone
# before the period began. Nothing counts before the period begins.
BASE_WHERE = """fact.program_id = %(program_id)s
    AND %(as_of)s >= %(date_from)s
    AND fact.enrollment_date <= %(as_of)s
    AND (fact.exit_date IS NULL OR fact.exit_date >= %(date_from)s)"""
# The KPI counts of every breakdown in one statement: each participant's flags
# once, then the total and each breakdown grouped over them. A participant is
# one fact row and at most one row per cohort (an enrolment is unique per course
# and participant), so plain counts are distinct counts.
KPI_SQL = """
    WITH flags AS MATERIALIZED (
        SELECT fact.participant_id AS id,
               fact.country_id,
               EXTRACT(YEAR FROM fact.enrollment_date)::int AS year,
               %(provider)s AS provider_id,
               %(flags)s
          FROM %(facts)s fact
         WHERE %(base)s
    )
    SELECT CASE WHEN GROUPING(provider_id) = 0 THEN 'provider'
                WHEN GROUPING(country_id) = 0 THEN 'country'
                WHEN GROUPING(year) = 0 THEN 'year'
                ELSE 'total' END AS breakdown,
           CASE WHEN GROUPING(provider_id) = 0 THEN provider_id
                WHEN GROUPING(country_id) = 0 THEN country_id
                WHEN GROUPING(year) = 0 THEN year END AS key,
           %(counts)s
      FROM flags
     GROUP BY GROUPING SETS ((), (provider_id), (country_id), (year))
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
        SELECT fact.participant_id,
               fact.exit_reason_id AS reason_id,
               fact.exit_date AS day
          FROM integration_kpi_fact fact
         WHERE %(base)s AND fact.exit_date IS NOT NULL
        UNION
        SELECT fact.participant_id,
               reason_value.new_value_integer,
               exit_value.new_value_datetime::date
          FROM integration_kpi_fact fact
          JOIN mail_message message
            ON message.model = 'integration.participant'
           AND message.res_id = fact.participant_id
          JOIN mail_tracking_value exit_value
            ON exit_value.mail_message_id = message.id
           AND exit_value.field_id = %(exit_field_id)s
          LEFT JOIN mail_tracking_value reason_value
            ON reason_value.mail_message_id = message.id
           AND reason_value.field_id = %(reason_field_id)s
         WHERE %(base)s
           AND fact.exits && %(period)s
           AND exit_value.new_value_datetime IS NOT NULL
           AND exit_value.new_value_datetime::date
               IS DISTINCT FROM fact.exit_date
      ) exit
     WHERE exit.day BETWEEN %(date_from)s AND %(as_of)s
     GROUP BY exit.reason_id
"""

# The breakdowns, in report order, with the model naming their keys.
BREAKDOWNS = {
    "provider": "res.partner",
    "cohort": "integration.course",
    "country": "res.country",
    "year": None,
}

# The statement triggers keeping the facts up: (table, events, participant ids
# of the changed rows from the transition tables ``new_rows``/``old_rows``).
PARTICIPANT_COLUMNS = (
    "program_id",
    "country_id",
    "exit_reason_id",
    "enrollment_date",
    "exit_date",
    "pause_date_start",
    "pause_date_end",
    "is_paused",
    "stage_id",
)
TRACKED_FIELDS = """(SELECT id FROM ir_model_fields
                     WHERE model = 'integration.participant'
                       AND name IN ('exit_date', 'stage_id'))"""
TRIGGERS = {
    ("integration_participant", "INSERT"): "SELECT id FROM new_rows",
    ("integration_participant", "UPDATE"): f"""
        SELECT new_rows.id FROM new_rows JOIN old_rows USING (id)
         WHERE ({", ".join(f"new_rows.{c}" for c in PARTICIPANT_COLUMNS)})
               IS DISTINCT FROM
               ({", ".join(f"old_rows.{c}" for c in PARTICIPANT_COLUMNS)})""",
    ("integration_placement", "INSERT"): "SELECT participant_id FROM new_rows",
    ("integration_placement", "UPDATE"): """
        SELECT participant_id FROM new_rows
         UNION SELECT participant_id FROM old_rows""",
    ("integration_placement", "DELETE"): "SELECT participant_id FROM old_rows",
    ("integration_coaching_assignment", "INSERT"): (
        "SELECT participant_id FROM new_rows"
    ),
    ("integration_coaching_assignment", "UPDATE"): """
        SELECT participant_id FROM new_rows
         UNION SELECT participant_id FROM old_rows""",
    ("integration_coaching_assignment", "DELETE"): (
        "SELECT participant_id FROM old_rows"
    ),
    ("mail_tracking_value", "INSERT"): f"""
        SELECT message.res_id FROM new_rows
          JOIN mail_message message ON message.id = new_rows.mail_message_id
         WHERE message.model = 'integration.participant'
           AND new_rows.field_id IN {TRACKED_FIELDS}""",
    ("mail_tracking_value", "DELETE"): f"""
        SELECT message.res_id FROM old_rows
          JOIN mail_message message ON message.id = old_rows.mail_message_id
         WHERE message.model = 'integration.participant'
           AND old_rows.field_id IN {TRACKED_FIELDS}""",
    # A message deleted with its tracking (the cascade runs after the message
    # is gone, so the tracking's own trigger no longer finds her).
    ("mail_message", "DELETE"): """
        SELECT res_id FROM old_rows WHERE model = 'integration.participant'""",
    ("mail_message", "UPDATE"): """
        SELECT old_rows.res_id FROM old_rows JOIN new_rows USING (id)
         WHERE 'integration.participant' IN (old_rows.model, new_rows.model)
           AND (old_rows.model, old_rows.res_id, old_rows.date)
               IS DISTINCT FROM (new_rows.model, new_rows.res_id, new_rows.date)
        UNION
        SELECT new_rows.res_id FROM old_rows JOIN new_rows USING (id)
         WHERE new_rows.model = 'integration.participant'
           AND (old_rows.model, old_rows.res_id, old_rows.date)
               IS DISTINCT FROM (new_rows.model, new_rows.res_id, new_rows.date)""",
}


def _reached_columns():
    return ",\n".join(
        f"range_agg(daterange(reached_day.day, reached_day.day + 1)) "
        f"FILTER (WHERE stage.milestone = '{milestone}') AS reached_{milestone}"
        for milestone in TARGET_MILESTONES
    )


def fact_sql(where):
    """The fact rows from the raw rows, for the participants matching ``where``
    (an SQL object over the alias ``participant``)."""
    return SQL(FACT_SQL, reached=SQL(_reached_columns()), where=where)


class IntegrationKpi(models.AbstractModel):
    """The programme figures: the facts they are counted from, kept up by the
    database, and the counts the dashboard, the targets and the workbook show."""

    _name = "integration.kpi"
    _description = "Programme Figures"

    # ------------------------------------------------------------------
    # The fact table and its triggers
    # ------------------------------------------------------------------
    def _definition_version(self):
        source = FACT_COLUMNS + FACT_SQL + repr(sorted(TRIGGERS.items()))
        return hashlib.sha1(source.encode()).hexdigest()[:12]

    def init(self):
        cr = self.env.cr
        version = self._definition_version()
        cr.execute("SELECT obj_description(to_regclass(%s), 'pg_class')", (FACT_TABLE,))
        row = cr.fetchone()
        current = row and row[0]
        if current != f"integration_kpi {version}":
            _logger.info("Building the programme facts (%s)", FACT_TABLE)
            cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(FACT_TABLE)))
            cr.execute(
                SQL(
                    "CREATE TABLE %s (%s)",
                    SQL.identifier(FACT_TABLE),
                    SQL(FACT_COLUMNS),
                )
            )
            cr.execute(
                SQL(
                    "CREATE INDEX %s ON %s (program_id)",
                    SQL.identifier(f"{FACT_TABLE}_program_id_index"),
                    SQL.identifier(FACT_TABLE),
                )
            )
            cr.execute(
                SQL(
                    "COMMENT ON TABLE %s IS %s",
                    SQL.identifier(FACT_TABLE),
                    f"integration_kpi {version}",
                )
            )
            self._install_triggers()
            self._refresh_all()
        else:
            self._install_triggers()

    def _install_triggers(self):
        cr = self.env.cr
        cr.execute(
            SQL(
                """
            CREATE OR REPLACE FUNCTION integration_kpi_refresh(ids integer[])
            RETURNS void LANGUAGE plpgsql AS $function$
            BEGIN
                DELETE FROM integration_kpi_fact WHERE participant_id = ANY(ids);
                INSERT INTO integration_kpi_fact %s;
            END
            $function$""",
                fact_sql(SQL("participant.id = ANY(ids)")),
            )
        )
        for (table, event), select in TRIGGERS.items():
            name = f"integration_kpi_{table}_{event.lower()}"
            transition = {
                "INSERT": "NEW TABLE AS new_rows",
                "UPDATE": "NEW TABLE AS new_rows OLD TABLE AS old_rows",
                "DELETE": "OLD TABLE AS old_rows",
            }[event]
            cr.execute(
                SQL(
                    f"""
                CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
                LANGUAGE plpgsql AS $function$
                DECLARE ids integer[];
                BEGIN
                    SELECT array_agg(DISTINCT changed.id) INTO ids
                      FROM ({select}) AS changed(id)
                     WHERE changed.id IS NOT NULL;
                    IF ids IS NOT NULL THEN
                        PERFORM integration_kpi_refresh(ids);
                    END IF;
                    RETURN NULL;
                END
                $function$;
                DROP TRIGGER IF EXISTS {name} ON {table};
                CREATE TRIGGER {name} AFTER {event} ON {table}
                    REFERENCING {transition}
                    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
                """
                )
            )
        # A stage whose milestone changes changes the milestones reached.
        cr.execute(
            """
            CREATE OR REPLACE FUNCTION integration_kpi_stage_update()
            RETURNS trigger LANGUAGE plpgsql AS $function$
            BEGIN
                IF EXISTS (SELECT 1 FROM new_rows JOIN old_rows USING (id)
                            WHERE new_rows.milestone
                                  IS DISTINCT FROM old_rows.milestone) THEN
                    PERFORM integration_kpi_refresh(array_agg(id))
                       FROM integration_participant;
                END IF;
                RETURN NULL;
            END
            $function$;
            DROP TRIGGER IF EXISTS integration_kpi_stage_update ON integration_stage;
            CREATE TRIGGER integration_kpi_stage_update AFTER UPDATE
                ON integration_stage
                REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION integration_kpi_stage_update();
            """
        )

    def _refresh_all(self):
        """Rebuild every fact row from the raw rows (install, new definition)."""
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM %s", SQL.identifier(FACT_TABLE)))
        cr.execute(
            SQL(
                "INSERT INTO %s %s",
                SQL.identifier(FACT_TABLE),
                fact_sql(SQL("TRUE")),
            )
        )
        _logger.info("%s: %s participants", FACT_TABLE, cr.rowcount)

    @api.model
    def _facts(self, fresh=False):
        """The fact rows: the table, or (``fresh``) recomputed from the raw rows."""
        if fresh:
            return SQL("(%s)", fact_sql(SQL("TRUE")))
        return SQL.identifier(FACT_TABLE)

    # ------------------------------------------------------------------
    # The figures
    # ------------------------------------------------------------------
    @api.model
    def _params(self, program, date_from, as_of):
        return {
            "program_id": program.id,
            "date_from": date_from,
            "as_of": as_of,
        }

    @api.model
    def _sql(self, code, params):
        """``code`` (one of this module's SQL fragments) bound to ``params``."""
        return SQL(code, **params)

    @api.model
    def _conditions(self, params):
        """The KPI conditions, the provider on as_of and the base filter, bound to
        ``params`` (program_id, date_from, as_of), over the alias ``fact``."""
        conditions = {name: SQL(code, **params) for name, code in CONDITIONS.items()}
        conditions["base"] = SQL(BASE_WHERE, **params)
        conditions["provider"] = SQL(PROVIDER, **params)
        conditions["training_start"] = SQL(TRAINING_START, **params)
        return conditions

    @api.model
    def _kpi_values(self, program, date_from, date_to, reference_date, fresh=False):
        """KPIs of ``program`` for the period, as of ``reference_date``: the totals,
        the breakdowns (rows without ``label`` for named keys: name the rows you
        show with ``_label_rows``) and the exit reasons.

        Archived participants count: archiving must not change figures already
        reported.
        """
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        reference_date = fields.Date.to_date(reference_date)
        as_of = min(date_to, reference_date)
        params = self._params(program, date_from, as_of)
        self.env.flush_all()
        rows = self._kpi_rows(params, fresh=fresh)
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
            for row in rows[name]:
                if row["key"] is None:
                    row["label"] = self.env._("(none)")
                elif not model:
                    row["label"] = str(row["key"])
            values[f"by_{name}"] = rows[name]
        return values

    @api.model
    def _label_rows(self, values, section, rows=None):
        """Name the rows of a breakdown (``by_cohort``, ...) that are shown: a
        state-wide programme has thousands of cohorts, the dashboard shows 50."""
        model = BREAKDOWNS[section.removeprefix("by_")]
        rows = values[section] if rows is None else rows
        unnamed = [row for row in rows if "label" not in row]
        if model and unnamed:
            records = self.env[model].browse(row["key"] for row in unnamed)
            names = dict(zip(records.ids, records.mapped("display_name"), strict=True))
            for row in unnamed:
                row["label"] = names[row["key"]]
        return rows

    @api.model
    def _kpi_rows(self, params, fresh=False):
        """``{breakdown: [row]}``: the total ("total", one row) and each
        breakdown's rows ordered by key, from one query."""
        conditions = self._conditions(params)
        counts = SQL(", ").join(
            SQL("COUNT(*) FILTER (WHERE %s) AS %s", SQL.identifier(key), SQL(key))
            for key in KPI_KEYS
        )
        flags = SQL(", ").join(
            SQL("%s AS %s", conditions[key], SQL.identifier(key)) for key in KPI_KEYS
        )
        self.env.cr.execute(
            SQL(
                KPI_SQL,
                facts=self._facts(fresh),
                provider=conditions["provider"],
                flags=flags,
                base=conditions["base"],
                counts=counts,
                **params,
            )
        )
        rows = {name: [] for name in ("total", *BREAKDOWNS)}
        for row in self.env.cr.dictfetchall():
            rows[row.pop("breakdown")].append(row)
        return rows

    @api.model
    def _exit_reasons(self, params):
        fields_model = self.env["ir.model.fields"]
        self.env.cr.execute(
            SQL(
                EXIT_REASON_SQL,
                base=SQL(BASE_WHERE, **params),
                period=SQL(PERIOD, **params),
                exit_field_id=fields_model._get(
                    "integration.participant", "exit_date"
                ).id,
                reason_field_id=fields_model._get(
                    "integration.participant", "exit_reason_id"
                ).id,
                **params,
            )
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

    @api.model
    def _target_condition(self, target, reference_date):
        """The SQL condition on a fact row (alias ``fact``) of the women ``target``
        counts from its period start up to ``reference_date`` (or the period end,
        whichever comes first), or None if nothing counts."""
        date_to = min(target.date_to, reference_date)
        columns = [f"reached_{target.milestone}"] if target.milestone else []
        columns += [f"{kind}_starts" for kind in target._counted_types()]
        if date_to < target.date_from or not columns:
            return None
        period = SQL(PERIOD, date_from=target.date_from, as_of=date_to)
        overlaps = SQL(" OR ").join(
            SQL("fact.%s && %s", SQL.identifier(column), period) for column in columns
        )
        return SQL("fact.program_id = %s AND (%s)", target.program_id.id, overlaps)

    def _target_actuals(self, targets, reference_date, fresh=False):
        """``{target: distinct women counted}`` from the period start up to
        ``reference_date`` (or the period end, whichever comes first), one query
        for all ``targets`` (new records of a form included)."""
        result = {}
        parts = []
        for position, target in enumerate(targets):
            result[target] = 0
            condition = self._target_condition(target, reference_date)
            if condition is None:
                continue
            parts.append(
                SQL(
                    "SELECT %s, COUNT(*) FROM %s fact WHERE %s",
                    position,
                    self._facts(fresh),
                    condition,
                )
            )
        if parts:
            self.env.flush_all()
            self.env.cr.execute(SQL(" UNION ALL ").join(parts))
            for position, count in self.env.cr.fetchall():
                result[targets[position]] = count
        return result

    def _target_trend(self, target, days):
        """``[(day, women counted by day)]`` for one target, in one query: the
        curve of its trend chart."""
        parts = []
        for position, day in enumerate(days):
            condition = self._target_condition(target, day)
            if condition is not None:
                parts.append(
                    SQL(
                        "SELECT %s, COUNT(*) FROM %s fact WHERE %s",
                        position,
                        self._facts(),
                        condition,
                    )
                )
        counts = dict.fromkeys(range(len(days)), 0)
        if parts:
            self.env.flush_all()
            self.env.cr.execute(SQL(" UNION ALL ").join(parts))
            counts.update(self.env.cr.fetchall())
        return [(day, counts[position]) for position, day in enumerate(days)]

    def _funnel_counts(self, program, date_from, as_of, milestones):
        """``{milestone: women who reached it, or a later one of ``milestones``,
        in [date_from, as_of]}``, counted in one query (the funnel)."""
        period = SQL(PERIOD, date_from=date_from, as_of=as_of)
        reached = [
            SQL(
                "COALESCE(fact.%s && %s, FALSE)",
                SQL.identifier(f"reached_{milestone}"),
                period,
            )
            for milestone in milestones
        ]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM %s fact WHERE fact.program_id = %s",
                SQL(", ").join(
                    SQL("COUNT(*) FILTER (WHERE %s)", SQL(" OR ").join(reached[i:]))
                    for i in range(len(milestones))
                ),
                self._facts(),
                program.id,
            )
        )
        return dict(zip(milestones, self.env.cr.fetchone(), strict=True))

    def _target_participant_ids(self, target, reference_date):
        """The women behind ``_target_actuals`` of one target: their ids."""
        condition = self._target_condition(target, reference_date)
        if condition is None:
            return []
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT fact.participant_id FROM %s fact WHERE %s",
                self._facts(),
                condition,
            )
        )
        return [participant_id for (participant_id,) in self.env.cr.fetchall()]
