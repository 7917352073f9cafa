import threading
import time
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api
from odoo.service.model import retrying
from odoo.tests import TransactionCase, new_test_user


class IntegrationCase(TransactionCase):
    """A programme of its own, the shipped stages by milestone, and users per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls.env["integration.program"].create(
            {"name": "Test Programme", "code": "TEST"}
        )
        cls.stage = {
            milestone: cls.env.ref(f"integration_program.stage_{milestone}")
            for milestone in (
                "intake",
                "orientation",
                "coaching",
                "qualification",
                "training",
                "employment",
                "exited",
            )
        }
        cls.staff = new_test_user(
            cls.env,
            login="test_programme_staff",
            name="Petra Staff",
            groups="integration_program.group_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="test_programme_manager",
            name="Maria Manager",
            groups="integration_program.group_manager",
        )
        cls.reason_moved = cls.env.ref("integration_program.exit_reason_moved")

    @classmethod
    def create_participant(cls, name="Amal Test", **values):
        return cls.env["integration.participant"].create(
            {"name": name, "program_id": cls.program.id, **values}
        )

    def flush_tracking(self):
        """Write the tracking messages, which Odoo does just before a commit."""
        self.env.flush_all()
        self.env.cr.precommit.run()


@contextmanager
def committed_env(registry):
    """An environment whose work is committed, for data that concurrent
    transactions must see (and for cleaning it up afterwards)."""
    with registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})


def run_concurrently(registry, *workers, hold=0.5):
    """Run each ``worker(env)`` in a transaction of its own, on a thread of its own,
    all starting together from snapshots taken before any of them changed anything.
    A worker is replayed on serialisation failures, as Odoo replays requests, and
    keeps its transaction open ``hold`` seconds so that the others overlap it.
    Returns what each worker returned, or the exception it raised, in order."""
    barrier = threading.Barrier(len(workers))
    outcomes = [None] * len(workers)

    def run(index, worker):
        try:
            with committed_env(registry) as env:
                env.cr.execute("SELECT 1")  # takes the snapshot
                barrier.wait(timeout=10)

                def attempt():
                    result = worker(env)
                    time.sleep(hold)
                    return result

                outcomes[index] = retrying(attempt, env)
        except Exception as error:
            outcomes[index] = error

    threads = [
        threading.Thread(target=run, args=(index, worker))
        for index, worker in enumerate(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
