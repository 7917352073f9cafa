"""Measure both pipelines side by side, server side, on one benchmark database.

    make bench BENCH_DB=bench_100k     # a table on stdout, JSON in tools/bench/results/
    .venv/bin/python tools/bench/benchmark.py -c .odoo.conf -d bench_100k --runs 7

Every measurement replays the ORM calls the web client makes (recorded from the
real views into requests.json by capture_requests.py) as the admin user, each run in
a fresh transaction and environment as an HTTP request gets, after one warm-up run.
It reports the median time, the SQL queries (``cr.sql_log_count``), the peak Python
memory where asked (tracemalloc, in a separate run) and the ratio addon / CRM.

Measurements are a registry: ``@measurement(name, requires=(model, method))``
registers a function returning, per pipeline, the call to time; a measurement whose
model or method is missing in the database is skipped with a note.
"""

import copy
import json
import statistics
import sys
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_env import common_arguments

HERE = Path(__file__).resolve().parent
REQUESTS = json.loads((HERE / "requests.json").read_text())
PIPELINES = {"participant": "integration.participant", "lead": "crm.lead"}
# The whole pipeline, no filter (CRM's pipeline action is limited to opportunities).
BASE_DOMAIN = {"participant": [], "lead": [["type", "=", "opportunity"]]}
# A list filter that means the same in both: the open columns of the pipeline.
LIST_FILTER = [["stage_id.fold", "=", False]]
LIST_GROUPBY = {"participant": "coach_id", "lead": "user_id"}
KANBAN_LIMIT = 40
NAME_SEARCH_TERM = "Amina Haddad"

MEASUREMENTS = []


def measurement(name, requires=None, pipelines=tuple(PIPELINES), memory=False):
    """Register ``function(bench, pipeline) -> callable(env)`` under ``name``.

    ``requires``: (model, method) that must exist, else the measurement is skipped.
    """

    def register(function):
        MEASUREMENTS.append(
            {
                "name": name,
                "function": function,
                "requires": requires,
                "pipelines": pipelines,
                "memory": memory,
            }
        )
        return function

    return register


def _captured(pipeline, view, method):
    for call in REQUESTS[pipeline][view]:
        if call["method"] == method:
            return copy.deepcopy(call)
    raise KeyError(f"no {method} recorded for the {pipeline} {view}")


def _call(env, call, args=None, **kwargs):
    from odoo.service.model import call_kw  # noqa: PLC0415

    merged = {**call["kwargs"], **kwargs}
    merged["context"] = {**merged.get("context", {}), "uid": env.uid}
    return call_kw(env[call["model"]], call["method"], args or call["args"], merged)


@measurement("kanban")
def kanban(bench, pipeline):
    group = _captured(pipeline, "kanban", "web_read_group")
    progress = _captured(pipeline, "kanban", "read_progress_bar")
    domain = BASE_DOMAIN[pipeline]

    def run(env):
        _call(
            env,
            group,
            domain=domain,
            unfold_read_default_limit=KANBAN_LIMIT,
            opening_info=None,
        )
        _call(env, progress, domain=domain)

    return run


@measurement("list_filter")
def list_filter(bench, pipeline):
    search = _captured(pipeline, "list", "web_search_read")
    domain = BASE_DOMAIN[pipeline] + LIST_FILTER

    def run(env):
        _call(env, search, domain=domain)

    return run


@measurement("list_groupby")
def list_groupby(bench, pipeline):
    search = _captured(pipeline, "list", "web_search_read")
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
    read = _captured(pipeline, "form", "web_read")
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


# Issue 7 brings these two; the names below are the ones its branch is to provide.
@measurement(
    "kpi_dashboard",
    requires=("integration.program", "get_kpi_dashboard"),
    pipelines=("participant",),
    memory=True,
)
def kpi_dashboard(bench, pipeline):
    def run(env):
        env["integration.program"].search([]).get_kpi_dashboard()

    return run


@measurement(
    "xlsx_report",
    requires=("report.integration_program.funder_report_xlsx", "create_xlsx_report"),
    pipelines=("participant",),
    memory=True,
)
def xlsx_report(bench, pipeline):
    def run(env):
        programs = env["integration.program"].search([])
        env["report.integration_program.funder_report_xlsx"].create_xlsx_report(
            programs.ids, {}
        )

    return run


class Bench:
    def __init__(self, registry, runs):
        self.registry = registry
        self.runs = runs

    def env(self, cr):
        from odoo import api  # noqa: PLC0415

        admin = 2
        return api.Environment(cr, admin, {"lang": "en_US", "tz": "Europe/Berlin"})

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

    def peak_memory(self, function):
        tracemalloc.start()
        try:
            self.time(function)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    def measure(self, entry, pipeline):
        function = entry["function"](self, pipeline)
        self.time(function)  # warm-up: caches as in a running server
        timings = [self.time(function) for _ in range(self.runs)]
        result = {
            "median_ms": round(statistics.median(t for t, _ in timings) * 1000, 1),
            "min_ms": round(min(t for t, _ in timings) * 1000, 1),
            "queries": statistics.median(q for _, q in timings),
        }
        if entry["memory"]:
            result["peak_memory_mb"] = round(self.peak_memory(function) / 2**20, 1)
        return result

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
            row = {}
            for pipeline in entry["pipelines"]:
                row[pipeline] = self.measure(entry, pipeline)
                print(
                    f"[bench] {entry['name']} {pipeline}: {row[pipeline]}", flush=True
                )
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
        memory = (
            f" ({addon['peak_memory_mb']} MB peak)" if "peak_memory_mb" in addon else ""
        )
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
    parser.add_argument("--only", nargs="*", help="measurement names")
    parser.add_argument("--json", help="where to write the JSON results")
    args = parser.parse_args()
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = Registry(args.database)
    sizes = counts(registry)
    print(f"[bench] {args.database}: {sizes}", flush=True)
    results = Bench(registry, args.runs).run(args.only)
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
