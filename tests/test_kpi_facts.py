"""The programme facts kept up by the writes give the figures a recomputation
from the raw rows gives, after any sequence of events."""

import random
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.integration_kpi import KPI_KEYS, PLACEMENT_TYPES, TARGET_MILESTONES
from .common import IntegrationCase, new_test_user

# The KPI definitions as the funder report counted them before the facts
# (issue 7), straight from the raw rows, one participant at a time: an oracle
# written independently of integration_kpi's fact columns.
RAW_CONDITIONS = {
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
    "paused": """(participant.pause_date_start <= %(as_of)s
        AND (participant.exit_date IS NULL OR participant.exit_date > %(as_of)s)
        AND (participant.is_paused
             OR participant.pause_date_end > %(as_of)s
             OR (participant.pause_date_end IS NULL
                 AND participant.exit_date IS NOT NULL)))""",
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
RAW_BASE = """participant.program_id = %(program_id)s
    AND %(as_of)s >= %(date_from)s
    AND participant.enrollment_date <= %(as_of)s
    AND (participant.exit_date IS NULL OR participant.exit_date >= %(date_from)s)"""
RAW_MILESTONE_REACHED = """
    WITH moves AS (
        SELECT message.res_id AS participant_id,
               value.old_value_integer AS old_stage_id,
               value.new_value_integer AS new_stage_id,
               (message.date AT TIME ZONE 'UTC')::date AS day,
               message.id AS message_id
          FROM mail_tracking_value value
          JOIN mail_message message ON message.id = value.mail_message_id
         WHERE message.model = 'integration.participant'
           AND value.field_id = %(field_id)s
    ), first_move AS (
        SELECT DISTINCT ON (moves.participant_id)
               moves.participant_id, moves.old_stage_id
          FROM moves ORDER BY moves.participant_id, moves.message_id
    ), reached AS (
        SELECT participant.id AS participant_id,
               COALESCE(first_move.old_stage_id, participant.stage_id) AS stage_id,
               participant.enrollment_date AS day
          FROM integration_participant participant
          LEFT JOIN first_move ON first_move.participant_id = participant.id
        UNION ALL
        SELECT participant_id, new_stage_id, day FROM moves
    )
    SELECT COUNT(DISTINCT reached.participant_id)
      FROM reached
      JOIN integration_stage stage ON stage.id = reached.stage_id
      JOIN integration_participant participant
        ON participant.id = reached.participant_id
     WHERE participant.program_id = %(program_id)s
       AND stage.milestone = %(milestone)s
       AND reached.day BETWEEN %(date_from)s AND %(date_to)s
"""

# Exits in the period with their reason, re-entered ones included: the
# statement the dashboard ran before the reasons were kept in the fact rows.
RAW_EXIT_REASONS = """
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

START = date(2020, 1, 1)
# The random events of a test span about this many days from START.
DAYS = 400


class KpiFactsCase(IntegrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partners = cls.env["res.partner"]
        cls.providers = [
            partners.create(
                {
                    "name": f"Facts Provider {n}",
                    "is_company": True,
                    "is_coaching_provider": True,
                }
            )
            for n in range(2)
        ]
        cls.coaches = []
        for n in range(3):
            coach = new_test_user(
                cls.env,
                login=f"facts_coach_{n}",
                name=f"Facts Coach {n}",
                groups="integration_program.group_coach",
            )
            coach.write(
                {"parent_id": cls.providers[n % 2].id, "integration_capacity": 50}
            )
            cls.coaches.append(coach)
        cls.employer = partners.create({"name": "Facts Employer", "is_company": True})
        cls.countries = [cls.env.ref("base.sy"), cls.env.ref("base.er"), False]
        cls.exit_reason = cls.env.ref("integration_program.exit_reason_family")
        cls.courses = cls.env["integration.course"].create(
            [
                {
                    "program_id": cls.program.id,
                    "course_type_id": cls.env.ref(
                        "integration_program.course_type_orientation"
                    ).id,
                    "date_start": day,
                    "seats_max": seats,
                }
                for day, seats in (
                    ("2020-02-01", 2),
                    ("2020-06-01", 50),
                    ("2021-01-01", 50),
                )
            ]
        )

    def day(self, rng, after=START):
        """A random day from ``after`` to the end of the fixture's time."""
        span = (START + timedelta(DAYS) - after).days
        return after + timedelta(days=rng.randrange(0, max(1, span)))

    def kpi(self):
        return self.env["integration.kpi"]

    # ------------------------------------------------------------------
    # Random events, as the users and the bulk paths make them
    # ------------------------------------------------------------------
    EVENTS = (
        "coach",
        "place",
        "place",
        "end_placement",
        "unlink_placement",
        "exit",
        "reenter",
        "pause",
        "resume",
        "stage",
        "sql",
        "unlink",
        "enrol",
        "enrol",
        "unenrol",
        "course_start",
    )

    def random_events(self, rng, count):
        self.participants = self.env["integration.participant"]
        self.placements = self.env["integration.placement"]
        clock = START
        for _n in range(count):
            # Events happen in order, a few days apart, as in a programme.
            clock += timedelta(days=rng.randrange(0, 12))
            event = rng.choice(["create"] * 3 + list(self.EVENTS))
            living = self.participants.exists()
            if event == "create" or not living:
                with freeze_time(clock):
                    self._event_create(rng, clock)
                    self.flush_tracking()
                continue
            participant = rng.choice(living)
            day = max(clock, participant.enrollment_date)
            with freeze_time(day):
                getattr(self, f"_event_{event}")(rng, participant, day)
                self.flush_tracking()

    def _event_create(self, rng, day):
        coach = rng.choice([*self.coaches, None])
        country = rng.choice(self.countries)
        self.participants |= self.create_participant(
            f"Facts {len(self.participants)}",
            enrollment_date=day,
            coach_id=coach.id if coach else False,
            country_id=country.id if country else False,
            stage_id=rng.choice(list(self.stage.values())[:4]).id,
        )

    def _event_coach(self, rng, participant, day):
        if participant.milestone != "exited":
            participant.coach_id = rng.choice(self.coaches)

    def _event_place(self, rng, participant, day):
        self.placements |= self.env["integration.placement"].create(
            {
                "participant_id": participant.id,
                "placement_type": rng.choice(
                    ["training", "employment", "internship", "minijob"]
                ),
                "partner_id": self.employer.id,
                "date_start": day,
                "date_end": rng.choice(
                    [False, day + timedelta(days=rng.randrange(1, 200))]
                ),
                "state": rng.choice(["planned", "active", "completed", "dropped"]),
                "drop_reason": "Facts",
            }
        )

    def _event_end_placement(self, rng, participant, day):
        if self.placements.exists():
            placement = rng.choice(self.placements.exists())
            placement.write(
                {
                    "state": rng.choice(["completed", "dropped"]),
                    "date_end": max(placement.date_start, day),
                    "drop_reason": "Facts",
                }
            )

    def _event_unlink_placement(self, rng, participant, day):
        if self.placements.exists():
            rng.choice(self.placements.exists()).unlink()

    def _event_exit(self, rng, participant, day):
        if participant.milestone != "exited":
            self.env["integration.participant.exit.wizard"].create(
                {
                    "participant_ids": participant.ids,
                    "exit_reason_id": self.exit_reason.id,
                    "exit_date": day,
                }
            ).action_confirm()

    def _event_reenter(self, rng, participant, day):
        if participant.milestone == "exited":
            participant.stage_id = self.stage["coaching"]

    def _event_pause(self, rng, participant, day):
        if not participant.is_paused and participant.milestone != "exited":
            self.env["integration.participant.pause.wizard"].create(
                {
                    "participant_ids": participant.ids,
                    "pause_reason": "Facts",
                    "pause_date_start": day,
                }
            ).action_confirm()

    def _event_resume(self, rng, participant, day):
        if participant.is_paused:
            participant.action_resume()

    def _event_stage(self, rng, participant, day):
        if participant.milestone != "exited":
            participant.stage_id = rng.choice(list(self.stage.values())[:6])

    def _event_sql(self, rng, participant, day):
        # A bulk path writing plain SQL: the triggers see it too.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE integration_placement SET date_start = date_start - 3"
            " WHERE participant_id = %s",
            (participant.id,),
        )
        self.env.invalidate_all()

    def _event_enrol(self, rng, participant, day):
        course = rng.choice(self.courses)
        if participant not in course.enrollment_ids.participant_id:
            # The small course fills up: later ones wait (not in the cohort).
            self.env["integration.enrollment"].create(
                {"course_id": course.id, "participant_id": participant.id}
            )

    def _event_unenrol(self, rng, participant, day):
        if participant.enrollment_ids:
            rng.choice(participant.enrollment_ids).unlink()

    def _event_course_start(self, rng, participant, day):
        course = rng.choice(self.courses)
        course.date_start = course.date_start + timedelta(days=rng.randrange(-60, 60))

    def _event_unlink(self, rng, participant, day):
        if participant.milestone in ("intake", "exited"):
            participant.unlink()

    # ------------------------------------------------------------------
    # Comparisons
    # ------------------------------------------------------------------
    def assert_facts_fresh(self):
        """The stored rows are the rows a recomputation from the raw rows gives."""
        self.env.flush_all()
        facts = self.kpi()._facts
        for left, right in ((facts(), facts(fresh=True)), (facts(fresh=True), facts())):
            self.env.cr.execute(
                SQL("SELECT * FROM %s stale EXCEPT SELECT * FROM %s fresh", left, right)
            )
            self.assertEqual(self.env.cr.fetchall(), [])

    def raw_counts(self, date_from, as_of):
        field_id = (
            self.env["ir.model.fields"]._get("integration.participant", "exit_date").id
        )
        params = {
            "program_id": self.program.id,
            "date_from": date_from,
            "as_of": as_of,
            "exit_field_id": field_id,
        }
        counts = SQL(", ").join(
            SQL("COUNT(*) FILTER (WHERE %s)", SQL(RAW_CONDITIONS[key], **params))
            for key in KPI_KEYS
        )
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM integration_participant participant WHERE %s",
                counts,
                SQL(RAW_BASE, **params),
            )
        )
        return dict(zip(KPI_KEYS, self.env.cr.fetchone(), strict=True))

    def raw_exit_reasons(self, date_from, as_of):
        fields_model = self.env["ir.model.fields"]
        params = {"program_id": self.program.id, "date_from": date_from, "as_of": as_of}
        self.env.cr.execute(
            SQL(
                RAW_EXIT_REASONS,
                base=SQL(RAW_BASE, **params),
                exit_field_id=fields_model._get(
                    "integration.participant", "exit_date"
                ).id,
                reason_field_id=fields_model._get(
                    "integration.participant", "exit_reason_id"
                ).id,
                **params,
            )
        )
        reasons = self.env["integration.exit.reason"]
        return {
            reasons.browse(reason_id).display_name if reason_id else "(none)": count
            for reason_id, count in self.env.cr.fetchall()
        }

    def raw_milestone(self, milestone, date_from, date_to):
        self.env.cr.execute(
            SQL(
                RAW_MILESTONE_REACHED,
                field_id=self.env["ir.model.fields"]
                ._get("integration.participant", "stage_id")
                .id,
                program_id=self.program.id,
                milestone=milestone,
                date_from=date_from,
                date_to=date_to,
            )
        )
        return self.env.cr.fetchone()[0]

    def assert_figures_equal(self, rng, periods=8):
        kpi = self.kpi()
        for _n in range(periods):
            date_from = self.day(rng)
            reference = self.day(rng, date_from)
            date_to = self.day(rng, date_from)
            args = (self.program, date_from, date_to, reference)
            stored = kpi._kpi_values(*args)
            fresh = kpi._kpi_values(*args, fresh=True)
            for key in (
                *KPI_KEYS,
                "by_provider",
                "by_cohort",
                "by_country",
                "by_year",
                "exit_reasons",
            ):
                self.assertEqual(stored[key], fresh[key], key)
            as_of = min(date_to, reference)
            self.assertEqual(
                {key: stored[key] for key in KPI_KEYS},
                self.raw_counts(date_from, as_of),
            )
            self.assertEqual(
                {row["label"]: row["count"] for row in stored["exit_reasons"]},
                self.raw_exit_reasons(date_from, as_of),
            )
            for milestone in ("coaching", "training", "employment"):
                self.assertEqual(
                    self.raw_milestone(milestone, date_from, as_of),
                    self.target_actual(milestone, date_from, date_to, reference),
                    milestone,
                )

    def target_actual(self, milestone, date_from, date_to, reference):
        target = self.env["integration.target"].new(
            {
                "name": "Facts",
                "program_id": self.program.id,
                "date_from": date_from,
                "date_to": date_to,
                "milestone": milestone,
                "target_value": 10,
            }
        )
        kpi = self.kpi()
        stored = kpi._target_actuals(target, reference)[target]
        self.assertEqual(
            stored, kpi._target_actuals(target, reference, fresh=True)[target]
        )
        return stored


@tagged("post_install", "-at_install")
class TestKpiFacts(KpiFactsCase):
    def test_random_events(self):
        for seed in (1, 2, 3):
            rng = random.Random(seed)
            self.random_events(rng, 60)
            self.assert_facts_fresh()
            self.assert_figures_equal(rng)
        self.assertTrue(self.program.participant_ids)

    def test_stage_milestone_change_refreshes_the_facts(self):
        rng = random.Random(7)
        self.random_events(rng, 30)
        self.stage["qualification"].milestone = "training"
        self.assert_facts_fresh()
        self.assert_figures_equal(rng, periods=3)

    def test_deleted_tracking_refreshes_the_facts(self):
        """Anonymisation and the message clean-up delete tracking: the earlier
        exits they held no longer count, in the facts as in the raw rows."""
        rng = random.Random(11)
        self.random_events(rng, 40)
        self.env.cr.execute(
            """DELETE FROM mail_message WHERE id IN (
                   SELECT message.id FROM mail_message message
                     JOIN mail_tracking_value value
                       ON value.mail_message_id = message.id
                    WHERE message.model = 'integration.participant'
                    LIMIT 5)"""
        )
        self.assert_facts_fresh()
        self.assert_figures_equal(rng, periods=3)


@tagged("post_install", "-at_install")
class TestKpiSnapshots(KpiFactsCase):
    """The counts kept up for the dashboard (snapshots: delta rows appended by
    the fact triggers, compacted) give what a recomputation from the raw rows
    gives, whatever happened since they were built."""

    def periods(self, rng, count=4):
        periods = []
        for _n in range(count):
            date_from = self.day(rng)
            periods.append((date_from, self.day(rng, date_from)))
        return periods

    def random_targets(self, rng, count=4):
        targets = self.env["integration.target"]
        for n in range(count):
            date_from = self.day(rng)
            kinds = rng.sample(PLACEMENT_TYPES, rng.randrange(0, 3))
            milestone = rng.choice([*TARGET_MILESTONES, False])
            if not kinds and not milestone:
                milestone = "coaching"
            targets |= targets.create(
                {
                    "name": f"Snapshot target {n}",
                    "program_id": self.program.id,
                    "date_from": date_from,
                    "date_to": self.day(rng, date_from),
                    "milestone": milestone,
                    "target_value": 10,
                    **{f"count_{kind}": True for kind in kinds},
                }
            )
        return targets

    def snapshot_keys(self, periods, targets):
        kpi = self.kpi()
        keys = {
            ("kpi", self.program.id, date_from, as_of, None)
            for date_from, as_of in periods
        }
        for target in targets:
            keys.add(
                (
                    "reach",
                    self.program.id,
                    target.date_from,
                    None,
                    tuple(kpi._target_columns(target)),
                )
            )
        for date_from, _as_of in periods:
            for position in range(len(TARGET_MILESTONES)):
                columns = sorted(f"reached_{m}" for m in TARGET_MILESTONES[position:])
                keys.add(("reach", self.program.id, date_from, None, tuple(columns)))
        return keys

    def build(self, keys):
        """Build the snapshots ``keys`` (kept: the others stay)."""
        self.env.flush_all()
        self.kpi()._refresh_snapshots(keys, drop=False)

    def snapshot_ids(self):
        self.env.cr.execute("SELECT id FROM integration_kpi_snapshot")
        return {row[0] for row in self.env.cr.fetchall()}

    def assert_snapshots_fresh(self, periods, targets, rng):
        """Every snapshot's counts equal the recomputation from the raw rows."""
        kpi = self.kpi()
        self.env.flush_all()
        for date_from, as_of in periods:
            params = kpi._params(self.program, date_from, as_of)
            fresh = kpi._kpi_rows(params, fresh=True)
            snapshot = kpi._snapshot_kpi_rows(params)
            if any(fresh.values()):
                self.assertIsNotNone(snapshot, "the snapshot is read")
            self.assertEqual(kpi._kpi_rows(params), fresh)
            stored = kpi._kpi_values(self.program, date_from, as_of, as_of)
            fresh_values = kpi._kpi_values(
                self.program, date_from, as_of, as_of, fresh=True
            )
            self.assertEqual(stored["exit_reasons"], fresh_values["exit_reasons"])
            # A screen's rows: the largest of the growing breakdowns only.
            for limit in (1, 2):
                limited = kpi._kpi_values(
                    self.program, date_from, as_of, as_of, limit=limit
                )
                counted = kpi._kpi_values(
                    self.program, date_from, as_of, as_of, fresh=True, limit=limit
                )
                for name in ("provider", "cohort"):
                    rows = fresh_values[f"by_{name}"]
                    largest = sorted(rows, key=lambda row: -row["enrolled"])[:limit]
                    expected = [row for row in rows if row in largest]
                    self.assertEqual(limited[f"by_{name}"], expected, name)
                    self.assertEqual(counted[f"by_{name}"], expected, name)
                    self.assertEqual(limited[f"by_{name}_rows"], len(rows))
                    self.assertEqual(counted[f"by_{name}_rows"], len(rows))
            self.assertEqual(
                {key: stored[key] for key in KPI_KEYS},
                self.raw_counts(date_from, as_of),
            )
            milestones = TARGET_MILESTONES
            self.assertEqual(
                kpi._funnel_counts(self.program, date_from, as_of, milestones),
                kpi._funnel_counts(
                    self.program, date_from, as_of, milestones, fresh=True
                ),
            )
        for target in targets:
            days = [self.day(rng) for _n in range(6)]
            self.assertEqual(
                kpi._target_trend(target, days),
                kpi._target_trend(target, days, fresh=True),
                target.name,
            )
            for day in days:
                self.assertEqual(
                    self.snapshot_reach(target, day),
                    kpi._target_actuals(target, day, fresh=True)[target],
                    target.name,
                )

    def snapshot_reach(self, target, day):
        """The target's count up to ``day`` read from its snapshot only."""
        date_to = min(target.date_to, day)
        if date_to < target.date_from:
            return 0
        self.env.cr.execute(
            """SELECT COUNT(DISTINCT snapshot.id), COALESCE(SUM(count.member), 0)
                 FROM integration_kpi_snapshot snapshot
                 LEFT JOIN integration_kpi_count count
                   ON count.snapshot_id = snapshot.id AND count.day <= %s
                WHERE snapshot.kind = 'reach' AND snapshot.program_id = %s
                  AND snapshot.date_from = %s AND snapshot.columns = %s::varchar[]""",
            (
                date_to,
                target.program_id.id,
                target.date_from,
                self.kpi()._target_columns(target),
            ),
        )
        snapshots, count = self.env.cr.fetchone()
        self.assertEqual(snapshots, 1, "the target has a snapshot")
        return count

    def test_random_events(self):
        """Snapshots built before, between and after random events, compacted
        in between, with some writes rolled back."""
        rng = random.Random(21)
        self.random_events(rng, 20)
        periods = self.periods(rng)
        targets = self.random_targets(rng)
        self.build(self.snapshot_keys(periods, targets))
        self.random_events(rng, 40)
        self.assert_snapshots_fresh(periods, targets, rng)
        self.assert_facts_fresh()
        # Compacted: one row per snapshot and key.
        self.kpi()._compact_snapshots()
        self.env.cr.execute(
            """SELECT COUNT(*) FROM (SELECT 1 FROM integration_kpi_count
                GROUP BY snapshot_id, breakdown, key, day HAVING COUNT(*) > 1) x"""
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.env.cr.execute(
            "SELECT COUNT(*) FROM integration_kpi_count WHERE NOT compacted"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assert_snapshots_fresh(periods, targets, rng)
        # Writes rolled back take their delta rows with them.
        with self.assertRaises(InterruptedError), self.env.cr.savepoint():
            self.random_events(rng, 15)
            raise InterruptedError
        self.env.invalidate_all()
        self.assert_snapshots_fresh(periods, targets, rng)
        # New snapshots beside the old ones, more events, compaction between.
        more_periods = self.periods(rng, 2)
        more_targets = self.random_targets(rng, 2)
        self.build(self.snapshot_keys(more_periods, more_targets))
        self.random_events(rng, 20)
        self.kpi()._compact_snapshots()
        self.random_events(rng, 20)
        self.assert_snapshots_fresh(periods + more_periods, targets | more_targets, rng)
        self.assert_facts_fresh()

    def test_largest_rows_with_rows_appended(self):
        """The dashboard's largest cohorts come from the compacted rows' index
        and the keys with rows appended since: a cohort without appended rows
        moves up when the ones above it lose their women, one only appended
        shows, and the number of rows follows."""
        kpi = self.kpi()
        courses = self.env["integration.course"].create(
            [
                {
                    "program_id": self.program.id,
                    "course_type_id": self.courses[0].course_type_id.id,
                    "date_start": START + timedelta(days=30),
                    "seats_max": 50,
                }
                for _n in range(4)
            ]
        )
        first, second, third, later = courses
        women = self.env["integration.participant"]
        for number, course in enumerate([first] * 3 + [second] * 2 + [third]):
            woman = self.create_participant(
                f"Cohort woman {number}", enrollment_date=START + timedelta(days=5)
            )
            women |= woman
            self.env["integration.enrollment"].create(
                {"course_id": course.id, "participant_id": woman.id}
            )
        as_of = START + timedelta(days=DAYS)
        self.build({("kpi", self.program.id, START, as_of, None)})

        def shown(limit):
            values = kpi._kpi_values(self.program, START, as_of, as_of, limit=limit)
            fresh = kpi._kpi_values(
                self.program, START, as_of, as_of, fresh=True, limit=limit
            )
            self.assertEqual(values["by_cohort"], fresh["by_cohort"])
            self.assertEqual(values["by_cohort_rows"], fresh["by_cohort_rows"])
            # The rows shown, in key order.
            return [row["key"] for row in values["by_cohort"]], values["by_cohort_rows"]

        self.assertEqual(shown(1), ([first.id], 3))
        # The first cohort's women are deleted (rows appended): the second,
        # whose compacted row ranks below it, leads.
        first.enrollment_ids.participant_id.unlink()
        self.env.flush_all()
        self.assertEqual(shown(1), ([second.id], 2))
        self.assertEqual(shown(2), ([second.id, third.id], 2))
        # A cohort only appended (no compacted row yet) is shown and counted.
        self.env["integration.enrollment"].create(
            [{"course_id": later.id, "participant_id": woman.id} for woman in women[3:]]
        )
        self.env.flush_all()
        self.assertEqual(shown(1), ([later.id], 3))
        self.assertEqual(shown(3), (courses[1:].ids, 3))
        kpi._compact_snapshots()
        self.assertEqual(shown(3), (courses[1:].ids, 3))

    def test_bulk_statements(self):
        """One statement changing many women (a bulk import's UPDATE, a batch
        write, a deletion) appends their contributions at once."""
        rng = random.Random(5)
        self.random_events(rng, 40)
        periods = self.periods(rng)
        targets = self.random_targets(rng)
        self.build(self.snapshot_keys(periods, targets))
        participants = self.program.with_context(active_test=False).participant_ids
        self.env.cr.execute(
            "UPDATE integration_placement SET date_start = date_start + 5"
            " WHERE participant_id = ANY(%s)",
            (participants.ids,),
        )
        self.env.cr.execute(
            "UPDATE integration_participant SET enrollment_date = enrollment_date - 30"
            " WHERE id = ANY(%s)",
            (participants.ids[::2],),
        )
        self.env.invalidate_all()
        self.courses.write({"date_start": date(2020, 4, 1)})
        self.env["integration.enrollment"].search(
            [("participant_id", "in", participants.ids[::3])]
        ).unlink()
        self.assert_snapshots_fresh(periods, targets, rng)
        self.assert_facts_fresh()

    def test_refresh_drops_and_builds(self):
        """The cron's refresh builds what the dashboards ask by default and
        drops the rest."""
        self.program.write({"date_start": START, "date_end": date(2030, 12, 31)})
        rng = random.Random(3)
        self.random_events(rng, 20)
        stale = self.snapshot_keys(self.periods(rng, 1), [])
        self.build(stale)
        kpi = self.kpi()
        kpi._refresh_snapshots()
        self.env.cr.execute(
            "SELECT kind, program_id, date_from, as_of, columns"
            " FROM integration_kpi_snapshot"
        )
        existing = {
            (kind, program_id, date_from, as_of, columns and tuple(columns))
            for kind, program_id, date_from, as_of, columns in self.env.cr.fetchall()
        }
        self.assertEqual(existing, kpi._wanted_snapshots())
        self.assertIn(
            ("kpi", self.program.id, START, fields.Date.today(), None), existing
        )
        self.random_events(rng, 20)
        report = self.env["integration.funder.report"].create(
            {"program_id": self.program.id}
        )
        self.assertEqual(
            {key: report[key] for key in KPI_KEYS},
            {
                key: value
                for key, value in kpi._kpi_values(
                    self.program,
                    report.date_from,
                    report.date_to,
                    report.reference_date,
                    fresh=True,
                ).items()
                if key in KPI_KEYS
            },
        )

    def test_stage_milestone_change_and_deleted_tracking(self):
        rng = random.Random(13)
        self.random_events(rng, 30)
        periods = self.periods(rng, 3)
        targets = self.random_targets(rng, 2)
        self.build(self.snapshot_keys(periods, targets))
        self.stage["qualification"].milestone = "training"
        self.env.cr.execute(
            """DELETE FROM mail_message WHERE id IN (
                   SELECT message.id FROM mail_message message
                     JOIN mail_tracking_value value
                       ON value.mail_message_id = message.id
                    WHERE message.model = 'integration.participant'
                    LIMIT 5)"""
        )
        self.assert_snapshots_fresh(periods, targets, rng)
