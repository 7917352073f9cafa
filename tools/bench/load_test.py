"""Load test: simulated users at once against Odoo in multi-process mode.

    make load-test BENCH_DB=bench_100k [USERS=20 DURATION=60]

tools/bench/load_test.sh starts ``odoo-bin --workers=4 --max-cron-threads=0`` on
port 8271 (``REPLICA=1``: with ``--db_replica_host``, see replica_setup.sh) and
runs this script. Half the users are programme staff, half coaches (logins made by
the generator, password ``bench``); each has participants and opportunities of her
own and, until the time is up, opens the pipeline as it lands for her (the
kanban's calls with her default filters), moves one of her cards to another
column, logs a coaching session, enrols one of her participants into the same
course, which has fewer seats than users, and does the same in CRM: opens "My
Pipeline" and moves one of her opportunities. Afterwards the database must show:
no course with more enrolled than seats, every session a user was told was logged,
every participant in the column she was last moved to.

Besides latencies it reports the CPU time of the Odoo processes (requests per
second per busy worker core), of this generator itself, and where the SQL went:
transactions and rows read on the primary and on the replica (pg_stat_database of
the benchmark database, which nobody else uses).
"""

import os
import random
import resource
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import psycopg2
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmark import _captured, landing_domain
from odoo_env import common_arguments, odoo_env

HERE = Path(__file__).resolve().parent
PASSWORD = "bench"
SEATS = 5
PER_USER = 15


class User(threading.Thread):
    def __init__(self, server, login, uid, participants, plan):
        super().__init__()
        self.url, self.database = server
        self.login, self.uid = login, uid
        self.participants = participants
        self.plan = plan
        self.session = requests.Session()
        self.latencies = defaultdict(list)
        self.errors = []
        self.moves = {}
        self.sessions = []
        self.enrolled = []

    def rpc(self, kind, model, method, args, kwargs=None):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": {"context": {"uid": self.uid, "tz": "UTC"}, **(kwargs or {})},
            },
        }
        start = time.perf_counter()
        try:
            response = self.session.post(
                f"{self.url}/web/dataset/call_kw/{model}/{method}",
                json=payload,
                timeout=120,
            )
            body = response.json()
        except (requests.RequestException, ValueError) as error:
            self.errors.append(f"{kind}: {error}")
            return None
        finally:
            if kind:
                self.latencies[kind].append(time.perf_counter() - start)
        if "error" in body:
            self.errors.append(f"{kind}: {body['error']['data']['message'][:200]}")
            return None
        return body["result"]

    def log_in(self):
        response = self.session.post(
            f"{self.url}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "params": {
                    "db": self.database,
                    "login": self.login,
                    "password": PASSWORD,
                },
            },
            timeout=60,
        )
        assert response.json().get("result", {}).get("uid") == self.uid, self.login

    def run(self):
        rnd = random.Random(self.login)
        self.log_in()
        to_enrol = list(self.participants)
        rnd.shuffle(to_enrol)
        while time.time() < self.plan["until"]:
            self.open_pipeline("open pipeline", self.plan["kanban"])
            participant = rnd.choice(self.participants)
            stage = rnd.choice(self.plan["stages"])
            if (
                self.rpc(
                    "move card",
                    "integration.participant",
                    "write",
                    [[participant], {"stage_id": stage}],
                )
                is not None
            ):
                self.moves[participant] = stage
            session = self.rpc(
                "log session",
                "integration.coaching.session",
                "create",
                [
                    {
                        "participant_id": participant,
                        "coach_id": self.uid,
                        "topics": "Load",
                    }
                ],
            )
            if session:
                self.sessions.append(session)
            if to_enrol:
                candidate = to_enrol.pop()
                enrolment = self.rpc(
                    "enrol",
                    "integration.enrollment",
                    "create",
                    [{"course_id": self.plan["course"], "participant_id": candidate}],
                )
                if enrolment:
                    self.enrolled.append(enrolment)
            # The same user in CRM: "My Pipeline", and one of her cards moved.
            self.open_pipeline("CRM: open pipeline", self.plan["crm_kanban"])
            if self.plan["leads"]:
                self.rpc(
                    "CRM: move card",
                    "crm.lead",
                    "write",
                    [
                        [rnd.choice(self.plan["leads"])],
                        {"stage_id": rnd.choice(self.plan["crm_stages"])},
                    ],
                )

    def open_pipeline(self, kind, calls):
        start = time.perf_counter()
        for call in calls:
            self.rpc(
                None,
                call["model"],
                call["method"],
                [],
                {**call["kwargs"], "context": {"uid": self.uid}},
            )
        self.latencies[kind].append(time.perf_counter() - start)


def prepare(env, users):
    """Participants of each user (disjoint, in open columns) and a course with
    fewer seats than users, open for enrolment."""
    stages = env["integration.stage"].search([("fold", "=", False)])
    course = env["integration.course"].create(
        {
            "name": "Load test course",
            "course_type_id": env["integration.course.type"].search([], limit=1).id,
            "program_id": env["integration.program"].search([], limit=1).id,
            "date_start": "2030-01-05",
            "seats_max": SEATS,
            "state": "open",
        }
    )
    staff = env["res.users"].search(
        [("login", "like", "bench_staff_")], limit=users // 2, order="login"
    )
    coaches = env["res.users"].search(
        [("login", "like", "bench_coach_")], limit=users - len(staff), order="login"
    )
    Participant = env["integration.participant"]
    taken = set()
    owned = {}
    for coach in coaches:
        mine = Participant.search(
            [("coach_id", "=", coach.id), ("milestone", "!=", "exited")],
            limit=PER_USER,
        )
        owned[coach] = mine.ids
        taken.update(mine.ids)
    free = Participant.search(
        [("coach_id", "=", False), ("milestone", "!=", "exited")],
        limit=PER_USER * len(staff),
    ).ids
    for index, user in enumerate(staff):
        owned[user] = free[index * PER_USER : (index + 1) * PER_USER]
    # Coaches move their participants among the coaching columns (a column before
    # the coaching one would be fine too); staff among all open columns.
    coaching = stages.filtered(lambda s: s.milestone != "intake").ids
    # Opportunities of her own: a coach's as salesperson; staff take over some
    # of the coaches' not in the test.
    Lead = env["crm.lead"]
    spare = Lead.search(
        [("user_id", "not in", coaches.ids), ("type", "=", "opportunity")],
        limit=PER_USER * len(staff),
    )
    for index, user in enumerate(staff):
        spare[index * PER_USER : (index + 1) * PER_USER].user_id = user
    env.flush_all()
    crm_stages = env["crm.stage"].search([("fold", "=", False)]).ids
    plans = {}
    for user, ids in owned.items():
        user_env = env(user=user.id)
        plans[user] = {
            "participants": ids,
            "stages": coaching if user in coaches else stages.ids,
            "kanban": kanban_calls(user_env, "participant"),
            "crm_kanban": kanban_calls(user_env, "lead"),
            "leads": Lead.search(
                [("user_id", "=", user.id), ("type", "=", "opportunity")],
                limit=PER_USER,
            ).ids,
            "crm_stages": crm_stages,
        }
    return course.id, plans


def kanban_calls(env, pipeline):
    """The kanban's calls as the web client makes them for ``env``'s user: the
    fields its view reads now, her default filters."""
    from odoo.addons.integration_program.tests.view_spec import (  # noqa: PLC0415
        view_specification,
    )

    model = {"participant": "integration.participant", "lead": "crm.lead"}[pipeline]
    domain = landing_domain(env, pipeline)
    if pipeline == "lead":
        domain = (
            ["&", ("type", "=", "opportunity"), *domain]
            if domain
            else [("type", "=", "opportunity")]
        )
    group = _captured(pipeline, "kanban", "web_read_group")
    group["kwargs"]["unfold_read_specification"] = view_specification(
        env[model], "kanban"
    )
    progress = _captured(pipeline, "kanban", "read_progress_bar")
    calls = []
    for call in (group, progress):
        call["kwargs"]["domain"] = domain
        call["kwargs"].pop("context", None)
        calls.append(call)
    return calls


def verify(env, users, course_id):
    problems = []
    env.cr.execute(
        """SELECT c.id, c.seats_max, count(*) FROM integration_enrollment e
             JOIN integration_course c ON c.id = e.course_id
            WHERE e.state IN ('enrolled', 'completed')
         GROUP BY c.id, c.seats_max HAVING count(*) > c.seats_max"""
    )
    for course, seats, taken in env.cr.fetchall():
        problems.append(f"course {course} oversold: {taken} enrolled, {seats} seats")
    sessions = [s for user in users for s in user.sessions]
    env.cr.execute(
        "SELECT count(*) FROM integration_coaching_session WHERE id = ANY(%s)",
        (sessions,),
    )
    if env.cr.fetchone()[0] != len(sessions):
        problems.append("a logged session is missing")
    moves = {p: s for user in users for p, s in user.moves.items()}
    env.cr.execute(
        "SELECT id, stage_id FROM integration_participant WHERE id = ANY(%s)",
        (list(moves),),
    )
    lost = [pid for pid, stage in env.cr.fetchall() if moves[pid] != stage]
    if lost:
        problems.append(f"{len(lost)} stage moves lost: {lost[:10]}")
    env.cr.execute(
        "SELECT state, count(*) FROM integration_enrollment WHERE course_id = %s"
        " GROUP BY state",
        (course_id,),
    )
    states = dict(env.cr.fetchall())
    return problems, len(sessions), len(moves), states


def process_tree_cpu(pid):
    """CPU seconds (user + system) of process ``pid`` and its descendants (the
    Odoo server and its workers), from /proc."""
    if not pid:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    parents, times = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        # utime, stime, and of waited-for children cutime, cstime
        times[int(entry)] = sum(int(value) for value in fields[11:15]) / tick
    tree, todo = set(), [pid]
    while todo:
        current = todo.pop()
        tree.add(current)
        todo.extend(child for child, parent in parents.items() if parent == current)
    return sum(times.get(member, 0.0) for member in tree)


def pg_stat_sources(args):
    from odoo.tools import config  # noqa: PLC0415

    sources = {"primary": (config["db_host"], config["db_port"] or 5432)}
    if args.replica_port:
        sources["replica"] = ("127.0.0.1", args.replica_port)
    return sources


def pg_stats(sources, database):
    """(transactions, rows read) of ``database`` on each server."""
    from odoo.tools import config  # noqa: PLC0415

    stats = {}
    for name, (host, port) in sources.items():
        try:
            connection = psycopg2.connect(
                host=host,
                port=port,
                user=config["db_user"],
                password=config["db_password"],
                dbname=database,
            )
        except psycopg2.OperationalError:
            stats[name] = (0, 0)  # down: Odoo reads from the primary
            continue
        with connection, connection.cursor() as cr:
            cr.execute(
                "SELECT xact_commit + xact_rollback, tup_returned + tup_fetched"
                " FROM pg_stat_database WHERE datname = %s",
                [database],
            )
            stats[name] = cr.fetchone()
        connection.close()
    return stats


def main():
    parser = common_arguments(__doc__.splitlines()[0])
    parser.add_argument("--server-pid", type=int, help="the Odoo server's process")
    parser.add_argument(
        "--replica-port", type=int, help="also count the replica's statistics"
    )
    parser.add_argument("--url", default="http://127.0.0.1:8271")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    args = parser.parse_args()
    with odoo_env(args.config, args.database) as env:
        course_id, plans = prepare(env, args.users)
        plan_users = [(user.login, user.id, plan) for user, plan in plans.items()]
    databases = pg_stat_sources(args)
    before = pg_stats(databases, args.database)
    odoo_cpu = process_tree_cpu(args.server_pid)
    own_cpu = resource.getrusage(resource.RUSAGE_SELF)
    start = time.time()
    users = [
        User(
            (args.url, args.database),
            login,
            uid,
            plan["participants"],
            {**plan, "until": start + args.duration, "course": course_id},
        )
        for login, uid, plan in plan_users
    ]
    for user in users:
        user.start()
    for user in users:
        user.join()
    elapsed = time.time() - start
    latencies = defaultdict(list)
    for user in users:
        for kind, values in user.latencies.items():
            latencies[kind].extend(values)
    every = [value for values in latencies.values() for value in values]
    errors = [error for user in users for error in user.errors]
    print(
        f"{len(users)} users for {elapsed:.0f}s: {len(every)} requests, "
        f"{len(every) / elapsed:.1f} requests/s, {len(errors)} errors"
    )
    print("| operation | requests | p50 ms | p90 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|")
    for kind, values in [*latencies.items(), ("all", every)]:
        cuts = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        print(
            f"| {kind} | {len(values)} | {cuts[49] * 1000:.0f} | "
            f"{cuts[89] * 1000:.0f} | {cuts[98] * 1000:.0f} |"
        )
    for error in errors[:10]:
        print(f"error: {error}")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    generator = (usage.ru_utime + usage.ru_stime) - (
        own_cpu.ru_utime + own_cpu.ru_stime
    )
    print(
        f"load generator CPU: {generator:.1f}s in {elapsed:.0f}s "
        f"({100 * generator / elapsed:.0f}% of one core)"
    )
    if args.server_pid:
        odoo = process_tree_cpu(args.server_pid) - odoo_cpu
        print(
            f"Odoo processes CPU: {odoo:.1f}s ({odoo / elapsed:.2f} cores busy): "
            f"{len(every) / odoo:.1f} requests per worker CPU-second"
        )
    after = pg_stats(databases, args.database)
    for name in databases:
        transactions = after[name][0] - before[name][0]
        rows = after[name][1] - before[name][1]
        print(f"{name}: {transactions} transactions, {rows} rows read")
    if "replica" in databases:
        read = {name: after[name][1] - before[name][1] for name in databases}
        print(
            f"share of rows read on the replica: "
            f"{100 * read['replica'] / max(1, sum(read.values())):.0f}%"
        )
    with odoo_env(args.config, args.database) as env:
        problems, sessions, moved, states = verify(env, users, course_id)
    print(
        f"checked: {sessions} sessions logged and present, {moved} participants "
        f"in the column they were last moved to, course {course_id}: {states} "
        f"({SEATS} seats)"
    )
    for problem in problems:
        print(f"PROBLEM: {problem}")
    if problems:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
