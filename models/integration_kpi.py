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
from odoo.modules import module
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

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
    reached_employment datemultirange,
    course_ids integer[],
    course_starts date[],
    tracked_exit_reasons integer[],
    tracked_exit_days date[]
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
           reached.reached_employment,
           cohort.course_ids,
           cohort.course_starts,
           tracked_exit.reasons AS tracked_exit_reasons,
           tracked_exit.days AS tracked_exit_days
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
      -- Her cohorts: the courses she is enrolled in (not waiting), with the
      -- day each starts (a cohort counts once its course has started).
      LEFT JOIN LATERAL (
        SELECT array_agg(course.id ORDER BY course.id, enrollment.id) AS course_ids,
               array_agg(course.date_start ORDER BY course.id, enrollment.id)
                   AS course_starts
          FROM integration_enrollment enrollment
          JOIN integration_course course ON course.id = enrollment.course_id
         WHERE enrollment.participant_id = participant.id
           AND enrollment.state != 'waitlist'
      ) cohort ON TRUE
      -- Her exits kept in the tracking, with the reason given with each.
      LEFT JOIN LATERAL (
        SELECT array_agg(reason_value.new_value_integer ORDER BY exit_value.id)
                   AS reasons,
               array_agg(exit_value.new_value_datetime::date ORDER BY exit_value.id)
                   AS days
          FROM mail_message message
          JOIN mail_tracking_value exit_value
            ON exit_value.mail_message_id = message.id
           AND exit_value.field_id = (SELECT id FROM ir_model_fields
                                       WHERE model = 'integration.participant'
                                         AND name = 'exit_date')
          LEFT JOIN mail_tracking_value reason_value
            ON reason_value.mail_message_id = message.id
           AND reason_value.field_id = (SELECT id FROM ir_model_fields
                                         WHERE model = 'integration.participant'
                                           AND name = 'exit_reason_id')
         WHERE message.model = 'integration.participant'
           AND message.res_id = participant.id
           AND exit_value.new_value_datetime IS NOT NULL
      ) tracked_exit ON TRUE
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
# and participant), so plain counts are distinct counts; ``member`` counts the
# participants of a row (a row exists when it has any). ``snapshot_id`` and
# ``scope`` count for several periods at once (the snapshots kept up by the
# triggers, see ``COUNT_SQL``): the parameters are then columns of ``snapshot``.
KPI_SQL = """
    WITH flags AS MATERIALIZED (
        SELECT %(snapshot_id)s AS snapshot_id,
               fact.country_id,
               EXTRACT(YEAR FROM fact.enrollment_date)::int AS year,
               %(provider)s AS provider_id,
               ARRAY(SELECT cohort.course_id
                       FROM unnest(fact.course_ids, fact.course_starts)
                            cohort(course_id, date_start)
                      WHERE cohort.date_start <= %(as_of)s) AS cohorts,
               %(exit_reasons)s AS exit_reasons,
               %(flags)s
          FROM %(facts)s fact%(scope)s
         WHERE %(base)s
    )
    SELECT snapshot_id,
           CASE WHEN GROUPING(provider_id) = 0 THEN 'provider'
                WHEN GROUPING(country_id) = 0 THEN 'country'
                WHEN GROUPING(year) = 0 THEN 'year'
                ELSE 'total' END AS breakdown,
           CASE WHEN GROUPING(provider_id) = 0 THEN provider_id
                WHEN GROUPING(country_id) = 0 THEN country_id
                WHEN GROUPING(year) = 0 THEN year END AS key,
           COUNT(*) AS member,
           %(counts)s
      FROM flags
     GROUP BY GROUPING SETS ((snapshot_id), (snapshot_id, provider_id),
                             (snapshot_id, country_id), (snapshot_id, year))
    UNION ALL
    SELECT snapshot_id, 'cohort', cohort.course_id, COUNT(*), %(counts)s
      FROM flags
      LEFT JOIN LATERAL unnest(flags.cohorts) cohort(course_id) ON TRUE
     GROUP BY snapshot_id, cohort.course_id
    UNION ALL
    SELECT snapshot_id, 'exit_reason', exit.reason_id, COUNT(*), %(counts)s
      FROM flags
     CROSS JOIN LATERAL unnest(flags.exit_reasons) exit(reason_id)
     GROUP BY snapshot_id, exit.reason_id
"""

# The reasons of her exits in the period (her exit date, and earlier exits
# undone by a re-entry, from the tracking), each reason once.
EXIT_REASONS = f"""CASE WHEN fact.exits && {PERIOD} THEN ARRAY(
    SELECT DISTINCT exit.reason_id
      FROM (
        SELECT fact.exit_reason_id, fact.exit_date WHERE fact.exit_date IS NOT NULL
        UNION ALL
        SELECT tracked.reason_id, tracked.day
          FROM unnest(fact.tracked_exit_reasons, fact.tracked_exit_days)
               tracked(reason_id, day)
         WHERE tracked.day IS DISTINCT FROM fact.exit_date
      ) exit(reason_id, day)
     WHERE exit.day BETWEEN %(date_from)s AND %(as_of)s) END"""

# The breakdowns, in report order, with the model naming their keys.
BREAKDOWNS = {
    "provider": "res.partner",
    "cohort": "integration.course",
    "country": "res.country",
    "year": None,
}
# The breakdowns that grow with the programme: a screen shows their largest
# rows only (``_kpi_values(limit=...)``).
LIMITED_BREAKDOWNS = ("provider", "cohort")

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
                       AND name IN ('exit_date', 'exit_reason_id', 'stage_id'))"""
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
    # Her cohorts: enrolments and the start of their courses.
    ("integration_enrollment", "INSERT"): "SELECT participant_id FROM new_rows",
    ("integration_enrollment", "UPDATE"): """
        SELECT unnest(ARRAY[new_rows.participant_id, old_rows.participant_id])
          FROM new_rows JOIN old_rows USING (id)
         WHERE (new_rows.participant_id, new_rows.course_id, new_rows.state)
               IS DISTINCT FROM
               (old_rows.participant_id, old_rows.course_id, old_rows.state)""",
    ("integration_enrollment", "DELETE"): "SELECT participant_id FROM old_rows",
    ("integration_course", "UPDATE"): """
        SELECT enrollment.participant_id
          FROM new_rows JOIN old_rows USING (id)
          JOIN integration_enrollment enrollment ON enrollment.course_id = new_rows.id
         WHERE new_rows.date_start IS DISTINCT FROM old_rows.date_start""",
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


# ----------------------------------------------------------------------
# Counts kept up for the dashboard (snapshots)
# ----------------------------------------------------------------------
# A big programme's figures are counted from small tables instead of its fact
# rows. A *snapshot* is a question asked again and again: "kpi" the KPIs of
# every breakdown of a programme for a period start and a day counted as of
# (the dashboard's default period, as of today); "reach" the women of a
# programme by the first day, from a period start on, that one of some fact
# columns holds (a target's milestone or placement starts, a step of the
# funnel): a target's actual as of any day is the sum up to that day, its trend
# the running sum. The counts of a snapshot are the sum of its rows in
# ``integration_kpi_count``: the triggers that refresh a woman's fact row append
# her old contribution negated and her new one (insert-only: concurrent writers
# never update the same row); ``_refresh_snapshots`` (hourly cron) builds the
# snapshots wanted (a new day: the KPIs as of it) and compacts each snapshot's
# rows into one per key.
SNAPSHOT_TABLE = "integration_kpi_snapshot"
COUNT_TABLE = "integration_kpi_count"
EPOCH_TABLE = "integration_kpi_epoch"
SNAPSHOT_COLUMNS = """
    id serial PRIMARY KEY,
    kind varchar NOT NULL,
    program_id integer NOT NULL,
    date_from date NOT NULL,
    as_of date,
    columns varchar[],
    UNIQUE NULLS NOT DISTINCT (kind, program_id, date_from, as_of, columns)
"""
COUNT_COLUMNS = f"""
    snapshot_id integer NOT NULL,
    breakdown varchar NOT NULL,
    key integer,
    day date,
    member integer NOT NULL,
    {", ".join(f"{key} integer NOT NULL DEFAULT 0" for key in KPI_KEYS)},
    compacted boolean NOT NULL DEFAULT false
"""
# The fact columns a "reach" snapshot may count the first day of.
REACH_COLUMNS = (
    *(f"reached_{milestone}" for milestone in TARGET_MILESTONES),
    *(f"{kind}_starts" for kind in PLACEMENT_TYPES),
)
# The fact rows of a programme; a snapshot's rows by key, its largest compacted
# rows by breakdown, and the rows appended since the last compaction
# (SNAPSHOT_TOP_SQL, _compact_snapshots).
INDEXES = """
    CREATE INDEX integration_kpi_fact_program_id_index
        ON integration_kpi_fact (program_id);
    CREATE INDEX integration_kpi_count_key_index
        ON integration_kpi_count (snapshot_id, breakdown, (COALESCE(key, -1)),
                                  (COALESCE(day, '-infinity')));
    CREATE INDEX integration_kpi_count_largest_index
        ON integration_kpi_count (snapshot_id, breakdown, enrolled DESC, key)
     WHERE compacted;
    CREATE INDEX integration_kpi_count_appended_index
        ON integration_kpi_count (snapshot_id) WHERE NOT compacted;
"""
# The parameters of a snapshot's question, for the conditions above.
SNAPSHOT_PARAMS = {
    "program_id": SQL("snapshot.program_id"),
    "date_from": SQL("snapshot.date_from"),
    "as_of": SQL("snapshot.as_of"),
}
# Women of "reach" snapshots by the first day, from the snapshot's period
# start on, that one of its columns holds.
REACH_SQL = """
    SELECT snapshot.id AS snapshot_id, 'reach' AS breakdown, NULL::integer AS key,
           reached.day, COUNT(*) AS member
      FROM %(facts)s fact
      JOIN integration_kpi_snapshot snapshot
        ON snapshot.kind = 'reach' AND snapshot.program_id = fact.program_id
      CROSS JOIN LATERAL (SELECT LEAST(%(firsts)s) AS day) reached
     WHERE reached.day IS NOT NULL AND %(where)s
     GROUP BY snapshot.id, reached.day
"""
# The counts of a snapshot (or: does it exist? one row with breakdown NULL when
# it has no counts yet).
SNAPSHOT_KPI_SQL = """
    SELECT count.breakdown, count.key, %(sums)s
      FROM integration_kpi_snapshot snapshot
      LEFT JOIN integration_kpi_count count ON count.snapshot_id = snapshot.id
     WHERE snapshot.kind = 'kpi'
       AND snapshot.program_id = %(program_id)s
       AND snapshot.date_from = %(date_from)s
       AND snapshot.as_of = %(as_of)s
     GROUP BY count.breakdown, count.key
    HAVING SUM(count.member) > 0 OR count.breakdown IS NULL
"""
# The same cut to the ``limit`` rows of the provider and cohort breakdowns
# with the most enrolled, reading a number of rows independent of the
# programme's size. A snapshot's rows are *compacted* (one per key, its final
# count unless rows were appended for the key since) or appended by the
# triggers. A key among the ``limit`` largest has rows appended, or its
# compacted row is among the ``limit`` + A largest compacted rows, A the number
# of keys with rows appended (at most ``limit`` - 1 keys without appended rows
# and the A keys with rank above it): read from the index on the compacted
# rows' counts. The number of rows of the breakdown: its compacted rows, plus
# the keys only appended that count somebody, minus those compacted whose
# appended rows took everybody out.
SNAPSHOT_TOP_SQL = """
    WITH snapshot AS MATERIALIZED (
        SELECT snapshot.id
          FROM integration_kpi_snapshot snapshot
         WHERE snapshot.kind = 'kpi'
           AND snapshot.program_id = %(program_id)s
           AND snapshot.date_from = %(date_from)s
           AND snapshot.as_of = %(as_of)s
    ), appended AS MATERIALIZED (
        SELECT DISTINCT count.breakdown, count.key
          FROM integration_kpi_count count
         WHERE count.snapshot_id = (SELECT id FROM snapshot)
           AND NOT count.compacted
    ), candidate AS MATERIALIZED (
        SELECT count.breakdown, count.key
          FROM integration_kpi_count count
         WHERE count.snapshot_id = (SELECT id FROM snapshot)
           AND count.breakdown IN %(unlimited)s
        UNION
        SELECT appended.breakdown, appended.key FROM appended
        UNION
        %(largest_compacted)s
    ), summed AS MATERIALIZED (
        SELECT candidate.breakdown, candidate.key, counted.*
          FROM candidate
         CROSS JOIN LATERAL (
            SELECT %(sums)s, bool_or(count.compacted) AS was_compacted
              FROM integration_kpi_count count
             WHERE count.snapshot_id = (SELECT id FROM snapshot)
               AND count.breakdown = candidate.breakdown
               AND COALESCE(count.key, -1) = COALESCE(candidate.key, -1)
         ) counted
    ), kpi AS (
        SELECT breakdown, key, %(columns)s FROM summed WHERE member > 0
    )
    SELECT * FROM (
        SELECT NULL::varchar AS breakdown, NULL::integer AS key, %(nulls)s,
               NULL::bigint AS breakdown_rows
          FROM snapshot
        UNION ALL
        SELECT kpi.*, NULL::bigint FROM kpi WHERE kpi.breakdown NOT IN %(limited)s
        UNION ALL
        %(largest)s
    ) shown
    ORDER BY shown.breakdown COLLATE "C", shown.key
"""
# Women of a programme for whom one of some fact columns holds a day in
# [date_from, as_of], for several days as_of (``days``: position, as_of): the
# running sum of the "reach" snapshot when there is one, else counted from the
# fact rows (``condition``, over ``days.as_of``).
REACH_COUNT_SQL = """
    SELECT * FROM (
        WITH snapshot AS MATERIALIZED (
            SELECT snapshot.id
              FROM integration_kpi_snapshot snapshot
             WHERE snapshot.kind = 'reach'
               AND snapshot.program_id = %(program_id)s
               AND snapshot.date_from = %(date_from)s
               AND snapshot.columns = %(columns)s::varchar[]
               AND %(snapshot)s
        ), reach AS MATERIALIZED (
            SELECT count.day, count.member
              FROM integration_kpi_count count
             WHERE count.snapshot_id IN (SELECT id FROM snapshot)
        )
        SELECT days.position,
               CASE WHEN EXISTS (SELECT 1 FROM snapshot)
                    THEN (SELECT COALESCE(SUM(reach.member), 0)
                            FROM reach WHERE reach.day <= days.as_of)
                    ELSE (SELECT COUNT(*) FROM %(facts)s fact WHERE %(condition)s)
                END
          FROM unnest(%(positions)s::int[], %(days)s::date[]) days(position, as_of)
    ) reach_count
"""


# Statements that read a snapshot carry their fallback, a scan of the fact rows:
# its estimated cost makes PostgreSQL JIT-compile the whole statement (~350 ms at
# 720 000 participants, measured) even when the snapshot answers in milliseconds
# and the fallback never runs. Sent in front of them, in the same round trip.
NO_JIT = "SET LOCAL jit = off;\n"


def kpi_sql(facts, params, snapshot_id=None, scope=None):
    """The KPI rows (``KPI_SQL``) of the fact rows ``facts``, for the period of
    ``params`` (values, or columns of ``snapshot`` joined by ``scope``)."""
    conditions = {name: SQL(code, **params) for name, code in CONDITIONS.items()}
    counts = SQL(", ").join(
        SQL("COUNT(*) FILTER (WHERE %s) AS %s", SQL.identifier(key), SQL(key))
        for key in KPI_KEYS
    )
    flags = SQL(", ").join(
        SQL("%s AS %s", conditions[key], SQL.identifier(key)) for key in KPI_KEYS
    )
    return SQL(
        KPI_SQL,
        snapshot_id=snapshot_id or SQL("0"),
        facts=facts,
        scope=scope or SQL(""),
        provider=SQL(PROVIDER, **params),
        exit_reasons=SQL(EXIT_REASONS, **params),
        flags=flags,
        base=SQL(BASE_WHERE, **params),
        counts=counts,
        **params,
    )


def count_sql(facts, sign, where, compacted=False):
    """The rows to append to ``integration_kpi_count``: the contribution of the
    fact rows ``facts`` (times ``sign``) to the snapshots matching ``where``
    (over the alias ``snapshot``); ``compacted`` when they are a snapshot's
    whole counts, one row per key (its build)."""
    signed = SQL(", ").join(
        SQL("%s * %s", sign, SQL.identifier(key)) for key in ("member", *KPI_KEYS)
    )
    firsts = SQL(", ").join(
        SQL(
            "CASE WHEN %s = ANY(snapshot.columns) THEN lower(fact.%s * "
            "datemultirange(daterange(snapshot.date_from, NULL))) END",
            column,
            SQL.identifier(column),
        )
        for column in REACH_COLUMNS
    )
    return SQL(
        """(snapshot_id, breakdown, key, day, member, %s, compacted)
        SELECT snapshot_id, breakdown, key, NULL::date, %s, %s FROM (%s) kpi
        UNION ALL
        SELECT snapshot_id, breakdown, key, day, %s * member, %s, %s FROM (%s) reach""",
        SQL(", ").join(SQL.identifier(key) for key in KPI_KEYS),
        signed,
        compacted,
        kpi_sql(
            facts,
            SNAPSHOT_PARAMS,
            snapshot_id=SQL("snapshot.id"),
            scope=SQL(
                """
          JOIN integration_kpi_snapshot snapshot
            ON snapshot.kind = 'kpi' AND snapshot.program_id = fact.program_id
           AND %s""",
                where,
            ),
        ),
        sign,
        SQL(", ").join(SQL("0") for _key in KPI_KEYS),
        compacted,
        SQL(REACH_SQL, facts=facts, firsts=firsts, where=where),
    )


class IntegrationKpi(models.AbstractModel):
    """The programme figures: the facts they are counted from, kept up by the
    database, and the counts the dashboard, the targets and the workbook show."""

    _name = "integration.kpi"
    _description = "Programme Figures"

    # ------------------------------------------------------------------
    # The fact table and its triggers
    # ------------------------------------------------------------------
    def _definition_version(self):
        source = (
            FACT_COLUMNS
            + FACT_SQL
            + repr(sorted(TRIGGERS.items()))
            + SNAPSHOT_COLUMNS
            + COUNT_COLUMNS
            + INDEXES
            + KPI_SQL
            + REACH_SQL
            + repr(sorted(CONDITIONS.items()))
            + BASE_WHERE
            + PROVIDER
            + EXIT_REASONS
        )
        return hashlib.sha1(source.encode()).hexdigest()[:12]

    def init(self):
        cr = self.env.cr
        version = self._definition_version()
        cr.execute("SELECT obj_description(to_regclass(%s), 'pg_class')", (FACT_TABLE,))
        row = cr.fetchone()
        current = row and row[0]
        if current != f"integration_kpi {version}":
            _logger.info("Building the programme facts (%s)", FACT_TABLE)
            for table, columns in (
                (COUNT_TABLE, COUNT_COLUMNS),
                (SNAPSHOT_TABLE, SNAPSHOT_COLUMNS),
                (EPOCH_TABLE, "epoch integer NOT NULL"),
                (FACT_TABLE, FACT_COLUMNS),
            ):
                cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table)))
                cr.execute(
                    SQL(
                        "CREATE TABLE %s (%s)",
                        SQL.identifier(table),
                        SQL(columns),
                    )
                )
            cr.execute(SQL("INSERT INTO %s VALUES (0)", SQL.identifier(EPOCH_TABLE)))
            cr.execute(SQL(INDEXES))
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
        self._refresh_snapshots()

    def _install_triggers(self):
        cr = self.env.cr
        cr.execute(
            SQL(
                """
            CREATE OR REPLACE FUNCTION integration_kpi_refresh(ids integer[])
            RETURNS void LANGUAGE plpgsql AS $function$
            BEGIN
                PERFORM 1 FROM integration_kpi_fact
                  WHERE participant_id = ANY(ids) FOR UPDATE;
                DELETE FROM integration_kpi_fact WHERE participant_id = ANY(ids);
                INSERT INTO integration_kpi_fact %s;
            END
            $function$""",
                fact_sql(SQL("participant.id = ANY(ids)")),
            )
        )
        # Every fact row deleted (a refresh, a participant deleted) takes her
        # contribution out of the snapshots, every row inserted adds hers. A
        # snapshot being built waits for the writers holding the epoch row; one
        # begun before a snapshot was built fails on it and is retried.
        for event, rows, sign in (
            ("INSERT", "new_rows", 1),
            ("DELETE", "old_rows", -1),
        ):
            name = f"integration_kpi_fact_{event.lower()}"
            cr.execute(
                SQL(
                    """
                CREATE OR REPLACE FUNCTION %(function)s() RETURNS trigger
                LANGUAGE plpgsql AS $function$
                BEGIN
                    PERFORM 1 FROM integration_kpi_epoch FOR SHARE;
                    IF EXISTS (SELECT 1 FROM integration_kpi_snapshot) THEN
                        INSERT INTO integration_kpi_count %(counts)s;
                    END IF;
                    RETURN NULL;
                END
                $function$;
                DROP TRIGGER IF EXISTS %(function)s ON integration_kpi_fact;
                CREATE TRIGGER %(function)s AFTER %(event)s ON integration_kpi_fact
                    REFERENCING %(transition)s TABLE AS %(rows)s
                    FOR EACH STATEMENT EXECUTE FUNCTION %(function)s();
                """,
                    function=SQL.identifier(name),
                    event=SQL(event),
                    transition=SQL("NEW" if sign > 0 else "OLD"),
                    rows=SQL(rows),
                    counts=count_sql(SQL(rows), sign, SQL("TRUE")),
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
        """Rebuild every fact row from the raw rows (install, new definition);
        the snapshots are built again from them."""
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM %s", SQL.identifier(SNAPSHOT_TABLE)))
        cr.execute(SQL("DELETE FROM %s", SQL.identifier(COUNT_TABLE)))
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
    # The snapshots: counts kept up for the questions asked again and again
    # ------------------------------------------------------------------
    @api.model
    def _target_columns(self, target):
        """The fact columns whose days a target counts (sorted)."""
        columns = [f"reached_{target.milestone}"] if target.milestone else []
        columns += [f"{kind}_starts" for kind in target._counted_types()]
        return sorted(columns)

    @api.model
    def _wanted_snapshots(self):
        """``{(kind, program_id, date_from, as_of, columns)}``: what the
        dashboards ask by default today: each programme's KPIs over its period as
        of today (or its end), its funnel, and each target's reach."""
        days = {fields.Date.today(), fields.Date.context_today(self)}
        wanted = set()
        # sudo: which programmes and targets exist decides what is counted in
        # advance (counts of every user's dashboard, no record is shown here).
        programs = (
            self.env["integration.program"].sudo().search([("date_start", "!=", False)])
        )
        for program in programs:
            for day in days:
                as_of = min(program.date_end, day) if program.date_end else day
                wanted.add(("kpi", program.id, program.date_start, as_of, None))
            for position in range(len(TARGET_MILESTONES)):
                columns = tuple(
                    sorted(f"reached_{m}" for m in TARGET_MILESTONES[position:])
                )
                wanted.add(("reach", program.id, program.date_start, None, columns))
        targets = (
            self.env["integration.target"]
            .sudo()
            .search([("program_id", "in", programs.ids)])
        )
        for target in targets:
            columns = tuple(self._target_columns(target))
            if target.date_from and columns:
                key = ("reach", target.program_id.id, target.date_from, None, columns)
                wanted.add(key)
        return wanted

    @api.model
    def _cron_refresh_snapshots(self):
        self._refresh_snapshots()

    @api.model
    def _refresh_snapshots(self, wanted=None, drop=True):
        """Build the snapshots ``wanted`` (default: ``_wanted_snapshots``) that
        are missing, drop the others (``drop``), compact the rest.

        The writers must not change a fact row between the count of a new
        snapshot and its creation becoming visible to them: the build bumps the
        epoch row every fact write holds a share lock on, so it waits for the
        writers in progress, holds off new ones until it commits, and a writer
        whose transaction began before then fails on the epoch row and is
        retried (it then sees the snapshot). So the build runs in a cursor of its
        own, in READ COMMITTED: it sees what the writers it waited for committed
        (tests and module updates, where no writer runs beside, use the
        current cursor)."""
        if wanted is None:
            wanted = self._wanted_snapshots()
        registry = self.env.registry
        if module.current_test or not registry.ready:
            self._refresh_snapshots_in(self.env.cr, wanted, drop)
            self._compact_snapshots()
            return
        with registry.cursor() as cr:
            cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            # Never wait forever (on a caller's own uncommitted fact writes).
            cr.execute("SET LOCAL lock_timeout = '10min'")
            self._refresh_snapshots_in(cr, wanted, drop)
        # Compacted after the build committed: writers wait for builds only.
        with registry.cursor() as cr:
            self._compact_snapshots(cr)

    @api.model
    def _refresh_snapshots_in(self, cr, wanted, drop):
        cr.execute(
            SQL(
                "SELECT id, kind, program_id, date_from, as_of, columns FROM %s",
                SQL.identifier(SNAPSHOT_TABLE),
            )
        )
        existing = {
            (kind, program_id, date_from, as_of, columns and tuple(columns)): id_
            for id_, kind, program_id, date_from, as_of, columns in cr.fetchall()
        }
        if drop:
            gone = [id_ for key, id_ in existing.items() if key not in wanted]
            if gone:
                cr.execute(
                    SQL(
                        "DELETE FROM %s WHERE id = ANY(%s)",
                        SQL.identifier(SNAPSHOT_TABLE),
                        gone,
                    )
                )
            # Counts of dropped snapshots (and rows a writer appended while
            # one was dropped).
            cr.execute(
                SQL(
                    "DELETE FROM %s WHERE snapshot_id NOT IN (SELECT id FROM %s)",
                    SQL.identifier(COUNT_TABLE),
                    SQL.identifier(SNAPSHOT_TABLE),
                )
            )
        missing = [key for key in wanted if key not in existing]
        if missing:
            self._build_snapshots_in(cr, missing)

    @api.model
    def _build_snapshots_in(self, cr, keys):
        cr.execute(SQL("UPDATE %s SET epoch = epoch + 1", SQL.identifier(EPOCH_TABLE)))
        ids = []
        for kind, program_id, date_from, as_of, columns in keys:
            cr.execute(
                SQL(
                    "INSERT INTO %s (kind, program_id, date_from, as_of, columns) "
                    "VALUES (%s, %s, %s, %s, %s::varchar[]) RETURNING id",
                    SQL.identifier(SNAPSHOT_TABLE),
                    kind,
                    program_id,
                    date_from,
                    as_of,
                    list(columns) if columns else None,
                )
            )
            ids.append(cr.fetchone()[0])
        cr.execute(
            SQL(
                "INSERT INTO %s %s",
                SQL.identifier(COUNT_TABLE),
                count_sql(
                    SQL.identifier(FACT_TABLE),
                    1,
                    SQL("snapshot.id = ANY(%s)", ids),
                    compacted=True,
                ),
            )
        )
        _logger.info("%s: %s snapshots built", SNAPSHOT_TABLE, len(ids))

    @api.model
    def _compact_snapshots(self, cr=None):
        """One compacted row per snapshot and key: the keys with rows appended
        since are summed into one. Rows appended by writers still running are
        not seen, so not deleted."""
        sums = SQL(", ").join(
            SQL("SUM(%s)", SQL.identifier(key)) for key in ("member", *KPI_KEYS)
        )
        nonzero = SQL(" OR ").join(
            SQL("SUM(%s) != 0", SQL.identifier(key)) for key in ("member", *KPI_KEYS)
        )
        (cr or self.env.cr).execute(
            SQL(
                """
            WITH appended AS (
                SELECT DISTINCT snapshot_id, breakdown, COALESCE(key, -1) AS key,
                       COALESCE(day, '-infinity') AS day
                  FROM %(count)s
                 WHERE NOT compacted
            ), gone AS (
                DELETE FROM %(count)s count
                 USING appended
                 WHERE count.snapshot_id = appended.snapshot_id
                   AND count.breakdown = appended.breakdown
                   AND COALESCE(count.key, -1) = appended.key
                   AND COALESCE(count.day, '-infinity') = appended.day
             RETURNING count.*
            )
            INSERT INTO %(count)s
            SELECT snapshot_id, breakdown, key, day, %(sums)s, TRUE
              FROM gone
             GROUP BY snapshot_id, breakdown, key, day
            HAVING %(nonzero)s""",
                count=SQL.identifier(COUNT_TABLE),
                sums=sums,
                nonzero=nonzero,
            )
        )

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
    def _execute_without_jit(self, query):
        """Execute ``query`` with PostgreSQL's JIT off (see NO_JIT), in one
        round trip."""
        self.env.cr.execute(SQL("%s%s", SQL(NO_JIT), query))

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
    def _kpi_values(
        self, program, date_from, date_to, reference_date, *, fresh=False, limit=None
    ):
        """KPIs of ``program`` for the period, as of ``reference_date``: the totals,
        the breakdowns (rows without ``label`` for named keys: name the rows you
        show with ``_label_rows``) and the exit reasons. With ``limit``, the
        provider and cohort breakdowns hold their ``limit`` rows with the most
        enrolled participants (in key order), and ``by_provider_rows`` and
        ``by_cohort_rows`` say how many rows they have in all.

        Archived participants count: archiving must not change figures already
        reported.
        """
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        reference_date = fields.Date.to_date(reference_date)
        as_of = min(date_to, reference_date)
        params = self._params(program, date_from, as_of)
        self.env.flush_all()
        rows = self._kpi_rows(params, fresh=fresh, limit=limit)
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
        values["exit_reasons"] = self._exit_reasons(rows["exit_reason"])
        for name, model in BREAKDOWNS.items():
            for row in rows[name]:
                if row["key"] is None:
                    row["label"] = self.env._("(none)")
                elif not model:
                    row["label"] = str(row["key"])
            values[f"by_{name}"] = rows[name]
        if limit:
            for name in LIMITED_BREAKDOWNS:
                values[f"by_{name}_rows"] = rows["breakdown_rows"].get(name, 0)
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
    def _kpi_rows(self, params, fresh=False, limit=None):
        """``{breakdown: [row]}``: the total ("total", one row, or none when
        nobody counts) and each breakdown's rows ordered by key, from one query:
        the snapshot's counts when there is one, else counted from the facts.
        With ``limit``, see ``_kpi_values``; "breakdown_rows" then holds the
        number of rows of each breakdown."""
        rows = None if fresh else self._snapshot_kpi_rows(params, limit)
        if rows is None:
            self.env.cr.execute(
                self._ordered(kpi_sql(self._facts(fresh), params), limit)
            )
            rows = self.env.cr.dictfetchall()
        result = {name: [] for name in ("total", *BREAKDOWNS, "exit_reason")}
        if limit:
            result["breakdown_rows"] = {}
        for row in rows:
            row.pop("snapshot_id", None)
            if limit:
                result["breakdown_rows"][row["breakdown"]] = row.pop("breakdown_rows")
            if row["breakdown"] == "exit_reason":
                result["exit_reason"].append(
                    {"key": row["key"], "count": row["member"]}
                )
                continue
            row.pop("member")
            result[row.pop("breakdown")].append(row)
        return result

    @api.model
    def _ordered(self, query, limit):
        """``query``'s KPI rows ordered by breakdown and key; with ``limit``, the
        provider and cohort breakdowns cut to their ``limit`` rows with the most
        enrolled (ties in key order), each row with the number of rows of its
        breakdown (``breakdown_rows``)."""
        if not limit:
            return SQL(
                'SELECT * FROM (%s) kpi ORDER BY kpi.breakdown COLLATE "C", kpi.key',
                query,
            )
        largest = SQL(" UNION ALL ").join(
            SQL(
                """(SELECT kpi.*, (SELECT COUNT(*) FROM kpi WHERE kpi.breakdown = %s)
                           AS breakdown_rows
                      FROM kpi WHERE kpi.breakdown = %s
                     ORDER BY kpi.enrolled DESC, kpi.key LIMIT %s)""",
                name,
                name,
                limit,
            )
            for name in LIMITED_BREAKDOWNS
        )
        return SQL(
            """
            WITH kpi AS MATERIALIZED (%s)
            SELECT * FROM (
                SELECT kpi.*, NULL::bigint AS breakdown_rows FROM kpi
                 WHERE kpi.breakdown IS NULL OR kpi.breakdown NOT IN %s
                UNION ALL
                %s
            ) shown
             ORDER BY shown.breakdown COLLATE "C", shown.key""",
            query,
            LIMITED_BREAKDOWNS,
            largest,
        )

    @api.model
    def _snapshot_kpi_rows(self, params, limit=None):
        """The KPI rows of the snapshot for ``params``, or None if there is none."""
        sums = SQL(", ").join(
            SQL("SUM(count.%s) AS %s", SQL.identifier(key), SQL.identifier(key))
            for key in ("member", *KPI_KEYS)
        )
        if limit:
            query = self._snapshot_top_sql(params, sums, limit)
        else:
            query = self._ordered(SQL(SNAPSHOT_KPI_SQL, sums=sums, **params), limit)
        # A state-wide programme's snapshot has a row per course (100 000s):
        # summed and ranked in memory rather than on disk.
        self.env.cr.execute(NO_JIT + "SET LOCAL work_mem = '64MB'")
        self.env.cr.execute(query)
        rows = self.env.cr.dictfetchall()
        if not rows:
            return None
        return [row for row in rows if row["breakdown"] is not None]

    @api.model
    def _snapshot_top_sql(self, params, sums, limit):
        """``SNAPSHOT_TOP_SQL`` for ``params``: the rows ``_ordered`` gives with
        ``limit``, without summing every row of the growing breakdowns."""
        columns = SQL(", ").join(SQL.identifier(key) for key in ("member", *KPI_KEYS))
        largest_compacted = SQL(" UNION ").join(
            SQL(
                """(SELECT count.breakdown, count.key
                      FROM integration_kpi_count count
                     WHERE count.snapshot_id = (SELECT id FROM snapshot)
                       AND count.compacted AND count.breakdown = %(name)s
                     ORDER BY count.enrolled DESC, count.key
                     LIMIT %(limit)s + (SELECT COUNT(*) FROM appended
                                         WHERE appended.breakdown = %(name)s))""",
                name=name,
                limit=limit,
            )
            for name in LIMITED_BREAKDOWNS
        )
        largest = SQL(" UNION ALL ").join(
            SQL(
                """(SELECT kpi.*,
                           (SELECT COUNT(*) FROM integration_kpi_count count
                             WHERE count.snapshot_id = (SELECT id FROM snapshot)
                               AND count.compacted AND count.breakdown = %(name)s)
                         + (SELECT COUNT(*) FILTER (WHERE member > 0
                                                      AND NOT was_compacted)
                                 - COUNT(*) FILTER (WHERE member <= 0
                                                      AND was_compacted)
                              FROM summed WHERE summed.breakdown = %(name)s)
                           AS breakdown_rows
                      FROM kpi WHERE kpi.breakdown = %(name)s
                     ORDER BY kpi.enrolled DESC, kpi.key LIMIT %(limit)s)""",
                name=name,
                limit=limit,
            )
            for name in LIMITED_BREAKDOWNS
        )
        return SQL(
            SNAPSHOT_TOP_SQL,
            sums=sums,
            columns=columns,
            nulls=SQL(", ").join(
                SQL("NULL::bigint AS %s", SQL.identifier(key))
                for key in ("member", *KPI_KEYS)
            ),
            limited=LIMITED_BREAKDOWNS,
            unlimited=tuple(
                name
                for name in ("total", *BREAKDOWNS, "exit_reason")
                if name not in LIMITED_BREAKDOWNS
            ),
            largest_compacted=largest_compacted,
            largest=largest,
            **params,
        )

    @api.model
    def _exit_reasons(self, rows):
        """The rows of the exit reasons shown, from the KPI rows "exit_reason"."""
        counts = {row["key"]: row["count"] for row in rows}
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
        columns = self._target_columns(target)
        if date_to < target.date_from or not columns:
            return None
        return self._reach_condition(
            target.program_id.id, target.date_from, date_to, columns
        )

    @api.model
    def _reach_condition(self, program_id, date_from, as_of, columns):
        period = SQL(PERIOD, date_from=date_from, as_of=as_of)
        overlaps = SQL(" OR ").join(
            SQL("fact.%s && %s", SQL.identifier(column), period) for column in columns
        )
        return SQL("fact.program_id = %s AND (%s)", program_id, overlaps)

    @api.model
    def _reach_counts(self, program_id, date_from, columns, days, fresh=False):
        """SQL giving ``(position, count)`` for ``days`` (``[(position, as_of)]``):
        the women of ``program_id`` for whom one of ``columns`` holds a day in
        [date_from, as_of]."""
        return SQL(
            REACH_COUNT_SQL,
            program_id=program_id,
            date_from=date_from,
            columns=sorted(columns),
            snapshot=SQL("FALSE" if fresh else "TRUE"),
            facts=self._facts(fresh),
            condition=self._reach_condition(
                program_id, date_from, SQL("days.as_of"), columns
            ),
            positions=[position for position, _day in days],
            days=[day for _position, day in days],
        )

    def _target_counts(self, target, days, fresh=False):
        """SQL giving ``(position, women counted by day)`` for one target and
        ``days`` (``[(position, day)]``): from its period start up to the day (or
        the period end, whichever comes first); None if nothing counts."""
        columns = self._target_columns(target)
        days = [
            (position, min(target.date_to, day))
            for position, day in days
            if min(target.date_to, day) >= target.date_from
        ]
        if not columns or not days:
            return None
        return self._reach_counts(
            target.program_id.id, target.date_from, columns, days, fresh
        )

    def _target_actuals(self, targets, reference_date, fresh=False):
        """``{target: distinct women counted}`` from the period start up to
        ``reference_date`` (or the period end, whichever comes first), one query
        for all ``targets`` (new records of a form included)."""
        result = {}
        parts = []
        for position, target in enumerate(targets):
            result[target] = 0
            part = self._target_counts(target, [(position, reference_date)], fresh)
            if part is not None:
                parts.append(part)
        if parts:
            self.env.flush_all()
            self._execute_without_jit(SQL(" UNION ALL ").join(parts))
            for position, count in self.env.cr.fetchall():
                result[targets[position]] = count
        return result

    def _target_trend(self, target, days, fresh=False):
        """``[(day, women counted by day)]`` for one target, in one query: the
        curve of its trend chart."""
        counts = dict.fromkeys(range(len(days)), 0)
        query = self._target_counts(target, list(enumerate(days)), fresh)
        if query is not None:
            self.env.flush_all()
            self._execute_without_jit(query)
            counts.update(self.env.cr.fetchall())
        return [(day, counts[position]) for position, day in enumerate(days)]

    def _funnel_counts(self, program, date_from, as_of, milestones, fresh=False):
        """``{milestone: women who reached it, or a later one of ``milestones``,
        in [date_from, as_of]}``, counted in one query (the funnel)."""
        parts = [
            self._reach_counts(
                program.id,
                date_from,
                [f"reached_{milestone}" for milestone in milestones[position:]],
                [(position, as_of)],
                fresh,
            )
            for position in range(len(milestones))
        ]
        self.env.flush_all()
        self._execute_without_jit(SQL(" UNION ALL ").join(parts))
        counts = dict(self.env.cr.fetchall())
        return {
            milestone: counts[position] for position, milestone in enumerate(milestones)
        }

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


# ----------------------------------------------------------------------
# ESF+ indicators (Regulation (EU) 2021/1057, Annex I), kept apart from the
# programme KPIs above: each indicator is a condition on one row of ``esf``
# (her ESF+ record joined to her fact row), counted by gender.
# ----------------------------------------------------------------------
ESF_GENDERS = ("female", "male", "non_binary")
# Her participation hours up to %(as_of)s: coaching sessions (their duration)
# and course dates she attended (their duration).
ESF_HOURS_SQL = """
    COALESCE((SELECT SUM(session.duration)
                FROM integration_coaching_session session
               WHERE session.participant_id = fact.participant_id
                 AND session.date <= %(as_of)s), 0)
    + COALESCE((SELECT SUM(course_date.duration)
                  FROM integration_attendance attendance
                  JOIN integration_course_date course_date
                    ON course_date.id = attendance.course_date_id
                 WHERE attendance.participant_id = fact.participant_id
                   AND attendance.state = 'present'
                   AND course_date.date <= %(as_of)s), 0)"""
# Her age on entry.
ESF_AGE = "date_part('year', age(fact.enrollment_date, participant.birthdate))"
# Whom the indicators count: complete entry data and the programme's minimum
# of hours (the funders drop the others).
ESF_COUNTED = "esf.is_complete AND esf.hours >= esf.min_hours"
# The periods: outputs count her entry, immediate results her exit, longer-term
# results the day six months after her exit, each within [date_from, as_of].
ESF_ENTERED = "esf.enrollment_date BETWEEN %(date_from)s AND %(as_of)s"
ESF_LEFT = "esf.exit_date BETWEEN %(date_from)s AND %(as_of)s"
ESF_FOLLOWED = "esf.followup_due_date BETWEEN %(date_from)s AND %(as_of)s"
# Situation on leaving counts if recorded within 28 days (the model checks it
# on writing; the SQL does not trust older data).
ESF_EXIT_RECORDED = f"""({ESF_LEFT}
    AND esf.exit_recorded_on BETWEEN esf.exit_date AND esf.exit_date + 28)"""
ESF_FOLLOWUP_DONE = f"""({ESF_FOLLOWED} AND esf.followup_state = 'done'
    AND esf.followup_date >= esf.followup_due_date)"""
# (code, German name in the .po, condition or None when not recorded per
# participant). English names follow the Regulation.
ESF_INDICATORS = (
    (
        "EECO01",
        _lt("Unemployed, including long-term unemployed"),
        f"{ESF_ENTERED} AND esf.labour_status = 'unemployed'",
    ),
    (
        "EECO02",
        _lt("Long-term unemployed"),
        f"{ESF_ENTERED} AND esf.long_term_unemployed",
    ),
    (
        "EECO03",
        _lt("Inactive"),
        f"{ESF_ENTERED} AND esf.labour_status IN ('inactive', 'education')",
    ),
    (
        "EECO04",
        _lt("Employed, including self-employed"),
        f"{ESF_ENTERED} AND esf.labour_status = 'employed'",
    ),
    (
        "EECO05",
        _lt("Participants under 18 years of age"),
        f"{ESF_ENTERED} AND esf.age < 18",
    ),
    (
        "EECO06",
        _lt("Participants aged 18 to 29 years"),
        f"{ESF_ENTERED} AND esf.age BETWEEN 18 AND 29",
    ),
    (
        "EECO07",
        _lt("Participants 55 years of age and above"),
        f"{ESF_ENTERED} AND esf.age >= 55",
    ),
    (
        "EECO08",
        _lt("Participants with lower secondary education or less (ISCED 0–2)"),
        f"{ESF_ENTERED} AND esf.isced_group = '0_2'",
    ),
    (
        "EECO09",
        _lt(
            "Participants with upper secondary or post-secondary education (ISCED 3–4)"
        ),
        f"{ESF_ENTERED} AND esf.isced_group = '3_4'",
    ),
    (
        "EECO10",
        _lt("Participants with tertiary education (ISCED 5–8)"),
        f"{ESF_ENTERED} AND esf.isced_group = '5_8'",
    ),
    ("EECO11", _lt("Total number of participants"), ESF_ENTERED),
    (
        "EECO12",
        _lt("Participants with disabilities"),
        f"{ESF_ENTERED} AND esf.disability = 'yes'",
    ),
    (
        "EECO13",
        _lt("Third-country nationals"),
        f"{ESF_ENTERED} AND esf.third_country = 'yes'",
    ),
    (
        "EECO14",
        _lt("Participants with a foreign background"),
        f"{ESF_ENTERED} AND esf.foreign_background = 'yes'",
    ),
    (
        "EECO15",
        _lt("Minorities (including marginalised communities such as the Roma)"),
        f"{ESF_ENTERED} AND esf.minority = 'yes'",
    ),
    (
        "EECO16",
        _lt("Homeless or affected by housing exclusion"),
        f"{ESF_ENTERED} AND esf.housing_exclusion = 'yes'",
    ),
    ("EECO17", _lt("Participants from rural areas"), None),
    (
        "EECO18",
        _lt(
            "Number of supported public administrations or public services at "
            "national, regional or local level"
        ),
        None,
    ),
    (
        "EECO19",
        _lt(
            "Number of supported micro, small and medium-sized enterprises "
            "(including cooperative enterprises and social enterprises)"
        ),
        None,
    ),
    (
        "EECR01",
        _lt("Participants engaged in job searching upon leaving"),
        f"{ESF_EXIT_RECORDED} AND esf.exit_status = 'job_seeking'",
    ),
    (
        "EECR02",
        _lt("Participants in education or training upon leaving"),
        f"{ESF_EXIT_RECORDED} AND esf.exit_in_education",
    ),
    (
        "EECR03",
        _lt("Participants gaining a qualification upon leaving"),
        f"{ESF_EXIT_RECORDED} AND esf.exit_qualification",
    ),
    (
        "EECR04",
        _lt("Participants in employment, including self-employment, upon leaving"),
        f"{ESF_EXIT_RECORDED} AND esf.exit_status = 'employed'",
    ),
    (
        "EECR05",
        _lt(
            "Participants in employment, including self-employment, six "
            "months after leaving"
        ),
        f"{ESF_FOLLOWUP_DONE} AND esf.followup_employed",
    ),
    (
        "EECR06",
        _lt(
            "Participants with a better labour market situation six months "
            "after leaving"
        ),
        f"""{ESF_FOLLOWUP_DONE} AND esf.labour_status = 'employed'
         AND esf.followup_improved""",
    ),
)
# One row per participant of the programme, with what the indicators ask; a
# participant without ESF+ data counts as incomplete.
ESF_ROWS_SQL = f"""
    SELECT fact.participant_id,
           record.gender,
           COALESCE(record.is_complete, FALSE) AS is_complete,
           record.labour_status,
           record.long_term_unemployed,
           record.isced_group,
           record.third_country,
           record.foreign_background,
           record.housing_exclusion,
           record.exit_status,
           record.exit_in_education,
           record.exit_qualification,
           record.exit_recorded_on,
           record.followup_due_date,
           record.followup_state,
           record.followup_date,
           record.followup_employed,
           record.followup_improved,
           sensitive.disability,
           sensitive.minority,
           fact.enrollment_date,
           fact.exit_date,
           {ESF_AGE} AS age,
           program.esf_min_hours AS min_hours,
           {ESF_HOURS_SQL} AS hours
      FROM integration_kpi_fact fact
      JOIN integration_participant participant
        ON participant.id = fact.participant_id
      JOIN integration_program program ON program.id = fact.program_id
      LEFT JOIN integration_esf_record record
        ON record.participant_id = fact.participant_id
      LEFT JOIN integration_esf_sensitive sensitive
        ON sensitive.participant_id = fact.participant_id
     WHERE fact.program_id = %(program_id)s
       AND fact.enrollment_date <= %(as_of)s"""
# Every indicator by gender (rows per gender and the total), and whom the
# funder does not count: entered in the period with incomplete data, or with
# complete data and too few hours.
ESF_INDICATOR_SQL = """
    WITH esf AS MATERIALIZED (%(rows)s)
    SELECT CASE WHEN GROUPING(esf.gender) = 0 THEN esf.gender ELSE 'total' END,
           COUNT(*) FILTER (WHERE %(entered)s AND NOT esf.is_complete),
           COUNT(*) FILTER (WHERE %(entered)s AND esf.is_complete
                                  AND esf.hours < esf.min_hours),
           %(counts)s
      FROM esf
     GROUP BY GROUPING SETS ((esf.gender), ())
"""


class IntegrationKpiEsf(models.AbstractModel):
    """The ESF+ indicators of the programme figures (same model, kept in its own
    class to leave the KPIs above alone)."""

    _inherit = "integration.kpi"

    @api.model
    def _esf_hours(self, participant_ids, as_of=None):
        """``{participant_id: hours}`` of coaching and attended course dates."""
        if not participant_ids:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT fact.participant_id, %s FROM unnest(%s::int[]) "
                "AS fact(participant_id)",
                SQL(ESF_HOURS_SQL, as_of=as_of or fields.Date.today()),
                list(participant_ids),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _esf_rows_sql(self, program, date_from, as_of):
        return SQL(
            ESF_ROWS_SQL, program_id=program.id, date_from=date_from, as_of=as_of
        )

    @api.model
    def _esf_indicators(self, program, date_from, date_to):
        """The Annex I indicators of ``program`` for [date_from, date_to]:
        ``{"rows": [{code, name, recorded, female, male, non_binary, total}],
        "incomplete": {gender: n, "total": n}, "below_hours": {...}}``. Only
        women with complete entry data and the programme's minimum of hours
        count; indicators not recorded per participant have ``recorded``
        False and no figures."""
        date_from = fields.Date.to_date(date_from)
        as_of = fields.Date.to_date(date_to)
        params = {"date_from": date_from, "as_of": as_of}
        recorded = [(code, cond) for code, _name, cond in ESF_INDICATORS if cond]
        counts = SQL(", ").join(
            SQL(
                "COUNT(*) FILTER (WHERE %s AND (%s))",
                SQL(ESF_COUNTED),
                SQL(condition, **params),
            )
            for _code, condition in recorded
        )
        self.env.flush_all()
        # JIT compiling this one statement doubled its time (1.4 s against 0.7 s
        # at 80 000 participants, measured): see NO_JIT.
        self._execute_without_jit(
            SQL(
                ESF_INDICATOR_SQL,
                rows=self._esf_rows_sql(program, date_from, as_of),
                entered=SQL(ESF_ENTERED, **params),
                counts=counts,
            )
        )
        columns = (*ESF_GENDERS, "total")
        by_gender = dict.fromkeys(columns)
        for gender, *values in self.env.cr.fetchall():
            by_gender[gender] = values
        result = {
            "incomplete": {},
            "below_hours": {},
            "rows": [],
            "date_from": date_from,
            "date_to": as_of,
        }
        for column in columns:
            values = by_gender[column] or [0] * (len(recorded) + 2)
            result["incomplete"][column] = values[0]
            result["below_hours"][column] = values[1]
        position = {code: index for index, (code, _c) in enumerate(recorded)}
        for code, name, condition in ESF_INDICATORS:
            row = {
                "code": code,
                "name": name._translate(self.env.lang),
                "recorded": bool(condition),
            }
            for column in columns:
                values = by_gender[column]
                row[column] = (
                    (values[2 + position[code]] if values else 0) if condition else None
                )
            result["rows"].append(row)
        return result
