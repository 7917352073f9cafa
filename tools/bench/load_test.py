"""Load test: simulated users at once against Odoo in multi-process mode.

    make load-test BENCH_DB=bench_100k [USERS=20 DURATION=60]

tools/bench/load_test.sh starts ``odoo-bin --workers=4 --max-cron-threads=0`` on
port 8271 and runs this script. Half the users are programme staff, half coaches
(logins made by the generator, password ``bench``); each has participants of her
own and, until the time is up, opens the pipeline (the recorded kanban calls),
moves one of her cards to another column, logs a coaching session and enrols one
of her participants into the same course, which has fewer seats than users.
Afterwards the database must show: no course with more enrolled than seats, every
session a user was told was logged, every participant in the column she was last
moved to.
"""

import json
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_env import common_arguments, odoo_env

HERE = Path(__file__).resolve().parent
KANBAN = json.loads((HERE / "requests.json").read_text())["participant"]["kanban"]
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
            for call in KANBAN:
                self.rpc(
                    "open pipeline",
                    call["model"],
                    call["method"],
                    [],
                    {**call["kwargs"], "domain": [], "context": {"uid": self.uid}},
                )
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
    return course.id, {
        user: (ids, coaching if user in coaches else stages.ids)
        for user, ids in owned.items()
    }


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


def main():
    parser = common_arguments(__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8271")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    args = parser.parse_args()
    with odoo_env(args.config, args.database) as env:
        course_id, owned = prepare(env, args.users)
        plan_users = [
            (user.login, user.id, ids, stages) for user, (ids, stages) in owned.items()
        ]
    start = time.time()
    users = [
        User(
            (args.url, args.database),
            login,
            uid,
            ids,
            {"until": start + args.duration, "stages": stages, "course": course_id},
        )
        for login, uid, ids, stages in plan_users
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
