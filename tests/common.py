import threading
import time
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api
from odoo.orm.environments import Transaction
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged
from odoo.tests import new_test_user as odoo_new_test_user


def new_test_user(env, login="", groups="base.group_user", context=None, **kwargs):
    """Odoo's ``new_test_user`` in the programme's time zone, as the city's
    users are: "today" is then the same day for the test and for the code it
    calls as that user, whatever the hour (a user without one is in UTC:
    from midnight to 1 am, 2 am in summer, a day behind Odoo's superuser in
    Brussels)."""
    kwargs.setdefault("tz", "Europe/Berlin")
    return odoo_new_test_user(env, login, groups, context, **kwargs)


# After the install of every module, as Odoo's runner and pytest both run them.
@tagged("post_install", "-at_install")
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


class BoundTransaction(Transaction):
    """A transaction bound to the registry at hand. Looking the registry up by
    name (Odoo does it when it replays a transaction) waits for the registry
    lock, which Odoo's test runner holds while the tests run: a worker thread
    would wait for it forever. The registry does not change during the tests."""

    def reset(self):
        self.clear()


@contextmanager
def committed_env(registry):
    """An environment whose work is committed, for data that concurrent
    transactions must see (and for cleaning it up afterwards)."""
    with registry.cursor() as cr:
        cr.transaction = BoundTransaction(registry)
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


class OrganisationsCase(IntegrationCase):
    """Two coaching providers, two Jobcenters and two schools, each with a login,
    and one participant per side, each with her own portal login
    (``participant1``, ``participant2``): ``own`` is followed by provider 1,
    referred by Jobcenter 1 with her consent, in a course of school 1 and placed there;
    ``other`` belongs to the second organisation of each kind. ``unconsented`` was
    referred by Jobcenter 1 without consent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partners = cls.env["res.partner"]
        cls.orgs = {}
        for key, name, provider in (
            ("provider1", "Coaching Nord", True),
            ("provider2", "Coaching Süd", True),
            ("jobcenter1", "Jobcenter Ost", False),
            ("jobcenter2", "Jobcenter West", False),
            ("school1", "Pflegeschule Eins", False),
            ("school2", "Pflegeschule Zwei", False),
        ):
            cls.orgs[key] = partners.create(
                {"name": name, "is_company": True, "is_coaching_provider": provider}
            )
        cls.role_users = {"staff": cls.staff, "manager": cls.manager}
        for key, org_key, group in (
            ("coach1", "provider1", "group_coach"),
            ("coach2", "provider2", "group_coach"),
            ("jobcenter1", "jobcenter1", "group_jobcenter"),
            ("jobcenter2", "jobcenter2", "group_jobcenter"),
            ("school1", "school1", "group_training_partner"),
            ("school2", "school2", "group_training_partner"),
        ):
            user = new_test_user(
                cls.env,
                login=f"test_{key}",
                name=f"User {key}",
                groups=f"integration_program.{group}",
            )
            user.partner_id.parent_id = cls.orgs[org_key]
            if group == "group_coach":
                user.integration_capacity = 10
            cls.role_users[key] = user
        course_type = cls.env.ref("integration_program.course_type_orientation")
        cls.courses = {
            key: cls.env["integration.course"].create(
                {
                    "program_id": cls.program.id,
                    "course_type_id": course_type.id,
                    "date_start": "2026-01-05",
                    "seats_max": 10,
                    "organizer_ids": [(6, 0, cls.orgs[key].ids)],
                }
            )
            for key in ("school1", "school2")
        }
        cls.own = cls._participant_of("1", "Hawa Eins")
        cls.other = cls._participant_of("2", "Hawa Zwei")
        cls.unconsented = cls.create_participant(
            "Hawa Ohne Einwilligung", referrer_id=cls.orgs["jobcenter1"].id
        )
        # Each woman's own portal login, invited by staff.
        for side, participant in (("1", cls.own), ("2", cls.other)):
            participant.with_user(cls.staff).action_invite_portal()
            user = participant.portal_user_id
            user.password = user.login
            cls.role_users[f"participant{side}"] = user

    @classmethod
    def _participant_of(cls, side, name):
        participant = cls.create_participant(
            name,
            email=f"hawa{side}@example.com",
            birthdate="1990-01-0" + side,
            referrer_id=cls.orgs[f"jobcenter{side}"].id,
            coach_id=cls.role_users[f"coach{side}"].id,
            stage_id=cls.stage["coaching"].id,
            note=f"<p>Confidential note {side}</p>",
            health_note=f"Health note {side}",
        )
        if side == "1":
            cls.env["integration.consent"].create(
                {
                    "participant_id": participant.id,
                    "recipient_ids": [(6, 0, cls.orgs["jobcenter1"].ids)],
                }
            )
        cls.env["integration.enrollment"].create(
            {
                "participant_id": participant.id,
                "course_id": cls.courses[f"school{side}"].id,
            }
        )
        cls.env["integration.placement"].create(
            {
                "participant_id": participant.id,
                "placement_type": "internship",
                "partner_id": cls.orgs[f"school{side}"].id,
                "date_start": "2026-02-01",
            }
        )
        cls.env["integration.coaching.session"].create(
            {
                "participant_id": participant.id,
                "coach_id": cls.role_users[f"coach{side}"].id,
                "notes": f"<p>Session notes {side}</p>",
            }
        )
        return participant
