"""Measure both pipelines side by side, server side, on one benchmark database.

    make bench BENCH_DB=bench_100k     # a table on stdout, JSON in tools/bench/results/
    .venv/bin/python tools/bench/benchmark.py -c .odoo.conf -d bench_100k --runs 7

Every measurement replays the ORM calls the web client makes, as the admin user
(the landing views as a coach and as programme staff), each run in a fresh
transaction and environment as an HTTP request gets, after one warm-up run. The
calls' shape comes from requests.json (recorded by capture_requests.py); the field
specifications they read are built from the views as they are *now* (``get_views``,
``tests/view_spec.py``), so that a changed view is measured as the browser reads it.
The runs of both pipelines are interleaved (addon, CRM, addon, CRM, ...). It
reports the median time, the SQL queries (``cr.sql_log_count``), the ratio addon /
CRM and, where asked, the memory: the peak of the Python allocations (tracemalloc,
in a run of its own) and the growth of the resident memory (sampled during the
warm-up run, and the growth of ``ru_maxrss``).

Measurements are a registry: ``@measurement(name, requires=(model, method))``
registers a function returning, per pipeline, the call to time; a measurement whose
model or method is missing in the database is skipped with a note.
"""

import copy
import json
import os
import resource
import statistics
import sys
import threading
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_env import common_arguments

HERE = Path(__file__).resolve().parent
REQUESTS = json.loads((HERE / "requests.json").read_text())
PIPELINES = {"participant": "integration.participant", "lead": "crm.lead"}
ACTIONS = {
    "participant": "integration_program.integration_participant_action",
    "lead": "crm.crm_lead_action_pipeline",
}
# The whole pipeline, no filter (CRM's pipeline action is limited to opportunities).
BASE_DOMAIN = {"participant": [], "lead": [["type", "=", "opportunity"]]}
# A list filter that means the same in both: the open columns of the pipeline.
LIST_FILTER = [["stage_id.fold", "=", False]]
LIST_GROUPBY = {"participant": "coach_id", "lead": "user_id"}
KANBAN_LIMIT = 40
NAME_SEARCH_TERM = "Amina Haddad"

MEASUREMENTS = []


def measurement(
    name, requires=None, pipelines=tuple(PIPELINES), memory=False, heavy=False
):
    """Register ``function(bench, pipeline) -> callable(env)`` under ``name``.

    ``requires``: (model, method) that must exist, else the measurement is skipped.
    ``memory``: also measure the peak memory. ``heavy``: runs for seconds, repeat
    it ``--heavy-runs`` times only.
    """

    def register(function):
        MEASUREMENTS.append(
            {
                "name": name,
                "function": function,
                "requires": requires,
                "pipelines": pipelines,
                "memory": memory,
                "heavy": heavy,
            }
        )
        return function

    return register


def _captured(pipeline, view, method):
    for call in REQUESTS[pipeline][view]:
        if call["method"] == method:
            return copy.deepcopy(call)
    raise KeyError(f"no {method} recorded for the {pipeline} {view}")


def _specified(bench, pipeline, view, call, key):
    """``call`` reading the fields the view of ``view`` type reads now."""
    call["kwargs"][key] = bench.specification(pipeline, view)
    return call


def _call(env, call, args=None, **kwargs):
    from odoo.service.model import call_kw  # noqa: PLC0415

    merged = {**call["kwargs"], **kwargs}
    merged["context"] = {**merged.get("context", {}), "uid": env.uid}
    return call_kw(env[call["model"]], call["method"], args or call["args"], merged)


def _kanban_calls(bench, pipeline):
    group = _specified(
        bench,
        pipeline,
        "kanban",
        _captured(pipeline, "kanban", "web_read_group"),
        "unfold_read_specification",
    )
    return group, _captured(pipeline, "kanban", "read_progress_bar")


def _open_kanban(env, group, progress, domain):
    _call(
        env,
        group,
        domain=domain,
        unfold_read_default_limit=KANBAN_LIMIT,
        opening_info=None,
    )
    _call(env, progress, domain=domain)


@measurement("kanban")
def kanban(bench, pipeline):
    group, progress = _kanban_calls(bench, pipeline)
    domain = BASE_DOMAIN[pipeline]

    def run(env):
        _open_kanban(env, group, progress, domain)

    return run


# The landing views: the pipeline as each role opens it (the action's default
# filters for that user), against CRM's "My Pipeline".
@measurement("landing_coach")
def landing_coach(bench, pipeline):
    """A coach opens the pipeline on her participants; the same user, as a
    salesperson, opens CRM's pipeline on hers ("My Pipeline")."""
    group, progress = _kanban_calls(bench, pipeline)
    user_id = bench.typical_coach()
    domain = BASE_DOMAIN[pipeline] + bench.landing_domain(pipeline, user_id)

    def run(env):
        _open_kanban(env(user=user_id), group, progress, domain)

    return run


@measurement("landing_staff")
def landing_staff(bench, pipeline):
    """Programme staff open the pipeline on the active participants of the
    programme they run (the smaller one, ~17 000 at 100 000). CRM has no
    programmes: its counterpart is a sales manager opening the pipeline of two of
    the ten sales teams (~20 000 opportunities)."""
    group, progress = _kanban_calls(bench, pipeline)
    if pipeline == "participant":
        user_id = bench.user_id("bench_staff_11")
        domain = bench.landing_domain(pipeline, user_id)
    else:
        user_id = 2
        domain = BASE_DOMAIN[pipeline] + [["team_id", "in", bench.sales_teams(2)]]

    def run(env):
        _open_kanban(env(user=user_id), group, progress, domain)

    return run


@measurement("list_filter")
def list_filter(bench, pipeline):
    search = _specified(
        bench,
        pipeline,
        "list",
        _captured(pipeline, "list", "web_search_read"),
        "specification",
    )
    domain = BASE_DOMAIN[pipeline] + LIST_FILTER

    def run(env):
        _call(env, search, domain=domain)

    return run


@measurement("list_groupby")
def list_groupby(bench, pipeline):
    search = _specified(
        bench,
        pipeline,
        "list",
        _captured(pipeline, "list", "web_search_read"),
        "specification",
    )
    call = {
        "model": search["model"],
        "method": "web_read_group",
        "args": [],
        "kwargs": {
            "context": search["kwargs"].get("context", {}),
            "domain": BASE_DOMAIN[pipeline] + LIST_FILTER,
            "groupby": [LIST_GROUPBY[pipeline]],
            "aggregates": [],
            "limit": 80,
            "offset": 0,
            "order": "",
            "auto_unfold": False,
            "unfold_read_specification": search["kwargs"]["specification"],
            "unfold_read_default_limit": 80,
        },
    }

    def run(env):
        _call(env, call)

    return run


@measurement("form")
def form(bench, pipeline):
    read = _specified(
        bench,
        pipeline,
        "form",
        _captured(pipeline, "form", "web_read"),
        "specification",
    )
    record_id = bench.typical_record(pipeline)

    def run(env):
        _call(env, read, args=[[record_id]])

    return run


@measurement("name_search")
def name_search(bench, pipeline):
    call = {
        "model": PIPELINES[pipeline],
        "method": "web_name_search",
        "args": [],
        "kwargs": {
            "name": NAME_SEARCH_TERM,
            "specification": {"display_name": {}},
            "domain": BASE_DOMAIN[pipeline],
            "limit": 8,
        },
    }

    def run(env):
        _call(env, call)

    return run


# ---------------------------------------------------------------------------
# Funder reporting (issue 7): every programme of the database, so that the
# measurement covers all N participants (the generator makes two programmes).
# ---------------------------------------------------------------------------
def reporting_periods(bench):
    """``[(program_id, date_from, date_to)]``: the programme's period, or where it
    has none, its first enrolment until today; the reference date is today."""
    with bench.registry.cursor() as cr:
        cr.execute(
            """SELECT program.id,
                      COALESCE(program.date_start, MIN(participant.enrollment_date),
                               CURRENT_DATE),
                      COALESCE(program.date_end, CURRENT_DATE)
                 FROM integration_program program
                 LEFT JOIN integration_participant participant
                        ON participant.program_id = program.id
                GROUP BY program.id ORDER BY program.id"""
        )
        return cr.fetchall()


def _today(env):
    from odoo import fields  # noqa: PLC0415

    return fields.Date.context_today(env.user)


def _funder_reports(env, periods):
    return env["integration.funder.report"].create(
        [
            {
                "program_id": program_id,
                "date_from": date_from,
                "date_to": date_to,
                "reference_date": _today(env),
            }
            for program_id, date_from, date_to in periods
        ]
    )


# What the funder report form (integration_funder_report_view_form) reads.
DASHBOARD_SPECIFICATION = {
    "program_id": {"fields": {"display_name": {}}},
    "date_from": {},
    "date_to": {},
    "reference_date": {},
    "enrolled": {},
    "in_coaching": {},
    "in_employment": {},
    "training_started": {},
    "paused": {},
    "exited": {},
    "placement_dropouts": {},
    "target_ids": {
        "fields": {
            field: {}
            for field in (
                "name",
                "date_from",
                "date_to",
                "actual_value",
                "target_value",
                "progress",
                "forecast_value",
                "status",
            )
        },
        "context": {},
    },
    "breakdown_html": {},
    "display_name": {},
}


@measurement(
    "kpi_values",
    requires=("integration.program", "_kpi_values"),
    pipelines=("participant",),
    memory=True,
)
def kpi_values(bench, pipeline):
    """The KPI computation itself, as of today, for every programme."""
    periods = reporting_periods(bench)

    def run(env):
        programs = env["integration.program"]
        for program_id, date_from, date_to in periods:
            programs.browse(program_id)._kpi_values(date_from, date_to, _today(env))

    return run


@measurement(
    "kpi_dashboard",
    requires=("integration.funder.report", "_compute_kpis"),
    pipelines=("participant",),
    memory=True,
)
def kpi_dashboard(bench, pipeline):
    """Opening the funder report: the record created, then read as its form does
    (KPI tiles, targets as of the reference date, breakdown tables)."""
    periods = reporting_periods(bench)

    def run(env):
        for report in _funder_reports(env, periods):
            specification = copy.deepcopy(DASHBOARD_SPECIFICATION)
            specification["target_ids"]["context"] = {
                "reference_date": str(report.reference_date)
            }
            report.web_read(specification)

    return run


@measurement(
    "xlsx_report",
    requires=("report.integration_program.funder_report_xlsx", "generate_xlsx_report"),
    pipelines=("participant",),
    memory=True,
    heavy=True,
)
def xlsx_report(bench, pipeline):
    """The funder workbook of every programme, rendered as the download does."""
    periods = reporting_periods(bench)

    def run(env):
        size = 0
        for report in _funder_reports(env, periods):
            content, _type = env["ir.actions.report"]._render_xlsx(
                "integration_program.action_report_funder_xlsx", report.ids, {}
            )
            size += len(content)
        bench.note("xlsx_bytes", size)

    return run


def landing_domain(env, pipeline):
    """The domain of the filters the pipeline's action turns on for ``env``'s
    user (``search_default_*`` of its context, as served to her): filters of one
    group of the search view are ORed, groups ANDed."""
    from lxml import etree  # noqa: PLC0415

    from odoo.fields import Domain  # noqa: PLC0415
    from odoo.tools.safe_eval import datetime, safe_eval  # noqa: PLC0415

    action = env["ir.actions.act_window"]._for_xml_id(ACTIONS[pipeline])
    variables = {
        "uid": env.uid,
        "context_today": datetime.date.today,
        "datetime": datetime,
    }
    context = safe_eval(action.get("context") or "{}", variables)
    wanted = {
        key.removeprefix("search_default_")
        for key, value in context.items()
        if key.startswith("search_default_") and value
    }
    search_view = action.get("search_view_id")
    views = env[PIPELINES[pipeline]].get_views(
        [(search_view and search_view[0], "search")]
    )
    arch = etree.fromstring(views["views"]["search"]["arch"])
    groups, current = [], []
    for node in arch.iter("filter", "separator", "group"):
        if node.tag != "filter":
            groups.append(current)
            current = []
        elif node.get("name") in wanted and node.get("domain"):
            current.append(Domain(safe_eval(node.get("domain"), variables)))
    groups.append(current)
    return list(Domain.AND(Domain.OR(group) for group in groups if group))


class RssSampler(threading.Thread):
    """The process's resident memory, sampled every few milliseconds while a
    measurement runs: its growth is what the server worker would need."""

    def __init__(self, interval=0.005):
        super().__init__(daemon=True)
        self.interval = interval
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.start_rss = self.peak = self.rss()
        self.stopped = threading.Event()

    def rss(self):
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * self.page

    def run(self):
        while not self.stopped.wait(self.interval):
            self.peak = max(self.peak, self.rss())

    def stop(self):
        self.stopped.set()
        self.join()
        self.peak = max(self.peak, self.rss())
        return self.peak - self.start_rss


class Bench:
    def __init__(self, registry, runs, heavy_runs=3, tracemalloc=True):
        self.registry = registry
        self.runs = runs
        self.heavy_runs = heavy_runs
        self.tracemalloc = tracemalloc
        self.notes = {}

    def note(self, key, value):
        """A figure a measurement reports besides time and memory."""
        self.notes[key] = value

    def env(self, cr):
        from odoo import api  # noqa: PLC0415

        admin = 2
        return api.Environment(cr, admin, {"lang": "en_US", "tz": "Europe/Berlin"})

    def specification(self, pipeline, view_type):
        """What the pipeline's view of ``view_type`` reads, from ``get_views``."""
        from odoo.addons.integration_program.tests.view_spec import (  # noqa: PLC0415
            view_specification,
        )

        with self.registry.cursor() as cr:
            return view_specification(self.env(cr)[PIPELINES[pipeline]], view_type)

    def user_id(self, login):
        with self.registry.cursor() as cr:
            cr.execute("SELECT id FROM res_users WHERE login = %s", [login])
            return cr.fetchone()[0]

    def typical_coach(self):
        """The coach of the typical record: a caseload of 3 to 40 participants,
        and as many opportunities as salesperson."""
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT coach_id FROM integration_participant WHERE id = %s",
                [self.typical_record("participant")],
            )
            return cr.fetchone()[0]

    def sales_teams(self, count):
        with self.registry.cursor() as cr:
            cr.execute("SELECT id FROM crm_team ORDER BY id DESC LIMIT %s", [count])
            return [row[0] for row in cr.fetchall()]

    def landing_domain(self, pipeline, user_id):
        with self.registry.cursor() as cr:
            return landing_domain(self.env(cr)(user=user_id), pipeline)

    def typical_record(self, pipeline):
        """A record in the middle of the table, in an open column, with a coach or
        salesperson: what a user opens most often."""
        field = LIST_GROUPBY[pipeline]
        with self.registry.cursor() as cr:
            model = self.env(cr)[PIPELINES[pipeline]]
            count = model.search_count(BASE_DOMAIN[pipeline])
            record = model.search(
                BASE_DOMAIN[pipeline] + LIST_FILTER + [[field, "!=", False]],
                offset=count // 2,
                limit=1,
                order="id",
            )
            return record.id

    def available(self, entry):
        if not entry["requires"]:
            return True
        model, method = entry["requires"]
        with self.registry.cursor() as cr:
            env = self.env(cr)
            return model in env and hasattr(env[model], method)

    def time(self, function):
        with self.registry.cursor() as cr:
            env = self.env(cr)
            queries = cr.sql_log_count
            start = time.perf_counter()
            function(env)
            env.flush_all()
            elapsed = time.perf_counter() - start
            queries = cr.sql_log_count - queries
            cr.rollback()
        return elapsed, queries

    def python_peak(self, function):
        """Peak of the Python allocations during one run (tracemalloc; slows the
        run down, so it is a run of its own, not timed)."""
        tracemalloc.start()
        try:
            self.time(function)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    def warm_up(self, entry, pipeline):
        """The measurement's call for ``pipeline``, run once (caches as in a
        running server), with the growth of the resident memory meanwhile."""
        function = entry["function"](self, pipeline)
        self.notes = {}
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        sampler = RssSampler()
        sampler.start()
        self.time(function)
        rss_growth = sampler.stop()
        maxrss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - maxrss
        return function, rss_growth, maxrss_growth

    def summary(self, entry, function, timings, rss_growth, maxrss_growth):
        result = {
            "median_ms": round(statistics.median(t for t, _ in timings) * 1000, 1),
            "min_ms": round(min(t for t, _ in timings) * 1000, 1),
            "queries": statistics.median(q for _, q in timings),
            "runs": len(timings),
        }
        if entry["memory"]:
            if self.tracemalloc:
                result["peak_memory_mb"] = round(self.python_peak(function) / 2**20, 1)
            result["rss_growth_mb"] = round(rss_growth / 2**20, 1)
            result["maxrss_growth_mb"] = round(maxrss_growth / 2**10, 1)
        result.update(self.notes)
        return result

    def measure(self, entry):
        """``{pipeline: result}``: the runs of the pipelines interleaved (addon,
        CRM, addon, CRM, ...), so that the machine's load drifting during the
        measurement weighs on both alike."""
        prepared = {
            pipeline: self.warm_up(entry, pipeline) for pipeline in entry["pipelines"]
        }
        runs = min(self.runs, self.heavy_runs) if entry["heavy"] else self.runs
        timings = {pipeline: [] for pipeline in prepared}
        for _ in range(runs):
            for pipeline, (function, _rss, _maxrss) in prepared.items():
                timings[pipeline].append(self.time(function))
        return {
            pipeline: self.summary(entry, function, timings[pipeline], rss, maxrss)
            for pipeline, (function, rss, maxrss) in prepared.items()
        }

    def run(self, names=None):
        results = {}
        for entry in MEASUREMENTS:
            if names and entry["name"] not in names:
                continue
            if not self.available(entry):
                model, method = entry["requires"]
                print(
                    f"[bench] {entry['name']}: skipped, {model}.{method} does not "
                    "exist in this database",
                    flush=True,
                )
                results[entry["name"]] = {"skipped": f"{model}.{method} missing"}
                continue
            row = self.measure(entry)
            for pipeline, result in row.items():
                print(f"[bench] {entry['name']} {pipeline}: {result}", flush=True)
            if "lead" in row:
                row["ratio"] = round(
                    row["participant"]["median_ms"] / row["lead"]["median_ms"], 2
                )
            results[entry["name"]] = row
        return results


def table(results):
    lines = [
        "| measurement | addon ms | queries | CRM ms | queries | ratio addon/CRM |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in results.items():
        if "skipped" in row:
            lines.append(f"| {name} | skipped: {row['skipped']} | | | | |")
            continue
        addon, lead = row["participant"], row.get("lead")
        memory = ""
        if "rss_growth_mb" in addon:
            python = (
                f"{addon['peak_memory_mb']} MB Python peak, "
                if "peak_memory_mb" in addon
                else ""
            )
            memory = f" ({python}RSS +{addon['rss_growth_mb']} MB)"
        lines.append(
            f"| {name} | {addon['median_ms']}{memory} | {addon['queries']:g} | "
            + (
                f"{lead['median_ms']} | {lead['queries']:g} | {row['ratio']} |"
                if lead
                else "| | |"
            )
        )
    return "\n".join(lines)


def counts(registry):
    with registry.cursor() as cr:
        cr.execute(
            "SELECT (SELECT count(*) FROM integration_participant),"
            " (SELECT count(*) FROM crm_lead),"
            " (SELECT count(*) FROM integration_coaching_session),"
            " (SELECT count(*) FROM mail_message)"
        )
        return dict(
            zip(
                ("participants", "leads", "sessions", "messages"),
                cr.fetchone(),
                strict=True,
            )
        )


def main():
    parser = common_arguments(__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--heavy-runs", type=int, default=3, help="runs of the XLSX report"
    )
    parser.add_argument(
        "--no-tracemalloc",
        action="store_true",
        help="skip the Python peak (its run is 2-3 times slower; at 1 000 000 the "
        "resident memory growth is measured alone)",
    )
    parser.add_argument("--only", nargs="*", help="measurement names")
    parser.add_argument("--json", help="where to write the JSON results")
    args = parser.parse_args()
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = Registry(args.database)
    sizes = counts(registry)
    print(f"[bench] {args.database}: {sizes}", flush=True)
    results = Bench(
        registry, args.runs, args.heavy_runs, tracemalloc=not args.no_tracemalloc
    ).run(args.only)
    report = {
        "database": args.database,
        "date": datetime.now().isoformat(timespec="seconds"),
        "sizes": sizes,
        "runs": args.runs,
        "results": results,
    }
    print()
    print(table(results))
    path = Path(args.json or HERE / "results" / f"{args.database}.json")
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(report, indent=1) + "\n")
    print(f"\n[bench] JSON written to {path}")


if __name__ == "__main__":
    main()
