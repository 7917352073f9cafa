"""Fill a benchmark database with N participants and N CRM leads of the same shape.

    make bench-data N=100000     # database bench_100000 (BENCH_DB=... to name it)
    .venv/bin/python tools/bench/generate.py -c .odoo.conf -d bench_1k -n 1000

The database holds ``crm`` and ``integration_program`` (without demo data); the
Makefile target creates it. What is small and carries business rules goes through
the ORM's batch ``create``: programmes, coaching providers, coaches and staff (users
with their groups), CRM stages, teams and tags. The bulk (partners, participants,
leads, coaching sessions, enrolments, placements, coaching history, chatter messages
with stage tracking, followers, activities) is written with PostgreSQL ``COPY`` in
chunks: the ORM creates about 220 participants or 300 leads a second on this machine
(1 000 000 would take over an hour each), ``odoo-bin populate`` duplicates existing
rows but neither their chatter nor followers (linked by res_model/res_id) and would
overload every coach. The rows are written as the ORM would write them (stored
computed fields included); ``verify`` recomputes a sample through the ORM and fails
the run on any difference.

Shape per participant: a contact, 1-3 course enrolments (seats never oversold:
a full course gets a waiting list), 0-1 placement, ~10 coaching sessions once she
has a coach (coaches carry 3-40 active participants), stage history as tracking
messages, a creation message and notes in the chatter, followers (responsible and
coach), an open activity for about a third. Each lead gets the same: a contact,
the same stage distribution and history, tags, followers, messages, activities.
"""

import io
import random
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_env import common_arguments, odoo_env

PASSWORD = "bench"
CHUNK = 20_000
# Share of records per pipeline column, in stage order; the last column is folded.
STAGE_SHARES = [0.10, 0.10, 0.30, 0.15, 0.12, 0.08, 0.15]
CRM_EXTRA_STAGES = [("Negotiation", 4), ("Contract", 5)]
CRM_FOLDED_STAGE = "On Hold"
FIRST_NAMES = [
    "Amina",
    "Leyla",
    "Samira",
    "Olena",
    "Rana",
    "Esra",
    "Fatima",
    "Zahra",
    "Mariam",
    "Hiba",
    "Aya",
    "Nour",
    "Yasmin",
    "Hana",
    "Dilan",
    "Sara",
    "Maryam",
    "Elif",
    "Iryna",
    "Oksana",
    "Tetiana",
    "Natalia",
    "Aisha",
    "Hawa",
    "Saida",
    "Farida",
    "Shirin",
    "Parisa",
    "Nasrin",
    "Layla",
    "Rahel",
    "Selam",
    "Meron",
    "Ruta",
    "Ewa",
    "Anna",
    "Ioana",
]
LAST_NAMES = [
    "Yilmaz",
    "Kaya",
    "Demir",
    "Haddad",
    "Nasser",
    "Saleh",
    "Khalil",
    "Mansour",
    "Hussein",
    "Ahmadi",
    "Rahimi",
    "Karimi",
    "Hosseini",
    "Bondarenko",
    "Kovalenko",
    "Shevchenko",
    "Tesfaye",
    "Bekele",
    "Haile",
    "Osman",
    "Abdi",
    "Warsame",
    "Nowak",
    "Popescu",
    "Ionescu",
    "Sadiq",
    "Rahman",
    "Begum",
    "Aziz",
    "Hamid",
    "Jaber",
]
TOPICS = [
    "Career plan",
    "Childcare for the course",
    "Application for vocational training",
    "Recognition of qualifications",
    "German course progress",
    "Housing",
    "Jobcenter appointment",
    "Internship search",
]
MODES = ["in_person", "in_person", "phone", "video", "accompaniment"]
GERMAN = ["a0", "a1", "a2", "b1", "b1", "b2", "c1"]
SCHOOL = ["none", "primary", "lower_secondary", "secondary", "upper_secondary"]


def log(message):
    print(f"[bench-data] {message}", flush=True)


class Writer:
    """Bulk rows through COPY, with ids reserved from the tables' sequences."""

    def __init__(self, cr):
        self.cr = cr
        self.rows = Counter()

    def reserve(self, table, count):
        self.cr.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")
        first = self.cr.fetchone()[0]
        self.cr.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)",
            (first + count - 1,),
        )
        return first

    def copy(self, table, columns, rows):
        buffer = io.StringIO()
        count = 0
        for row in rows:
            buffer.write("\t".join(_copy_value(value) for value in row))
            buffer.write("\n")
            count += 1
        if not count:
            return
        buffer.seek(0)
        self.cr._obj.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer
        )
        self.rows[table] += count


def _copy_value(value):
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return str(value)


class Generator:
    def __init__(self, env, count, seed=8, commit=True):
        self.env = env
        self.commit = commit
        # Without crm (e.g. in the addon's tests) only participants are written.
        self.crm = "crm.lead" in env
        self.cr = env.cr
        self.count = count
        self.random = random.Random(seed)
        self.writer = Writer(env.cr)
        self.today = date.today()
        self.now = datetime.now().replace(microsecond=0)
        self.ref = env.ref

    # ------------------------------------------------------------------
    # Set-up through the ORM
    # ------------------------------------------------------------------
    def setup(self):
        env = self.env
        rnd = self.random
        self.admin_partner = env.ref("base.user_admin").partner_id.id
        self.programs = env["integration.program"].create(
            [
                {"name": "Sozialwirtschaft integriert", "code": "B-SWI"},
                {"name": "Handwerk integriert", "code": "B-HWI"},
            ]
        )
        reporting_setup(self.programs, self.count, self.today)
        self.stages = env["integration.stage"].search([], order="sequence, id")
        # Coaches: caseloads of 3 to 40 active participants, capacity 40.
        coached_active = int(self.count * sum(STAGE_SHARES[1:6]))
        caseloads = []
        while sum(caseloads) < coached_active:
            caseloads.append(rnd.randint(3, 40))
        self.caseloads = caseloads
        provider_count = max(2, len(caseloads) // 10)
        partner_model = env["res.partner"].with_context(tracking_disable=True)
        self.providers = partner_model.create(
            [
                {
                    "name": f"Coaching Provider {number:04d} gGmbH",
                    "is_company": True,
                    "is_coaching_provider": True,
                }
                for number in range(1, provider_count + 1)
            ]
        )
        self.employers = partner_model.create(
            [
                {"name": f"Employer {number:04d}", "is_company": True}
                for number in range(1, max(10, self.count // 100) + 1)
            ]
        )
        self.referrer = partner_model.create({"name": "Jobcenter", "is_company": True})
        log(f"creating {len(caseloads)} coaches of {provider_count} providers")
        coach_group = env.ref("integration_program.group_coach")
        sales_group = env.ref(
            "sales_team.group_sale_salesman_all_leads", raise_if_not_found=False
        ) or env.ref("base.group_user")
        self.coaches = self._create_coaches(
            [
                {
                    "name": f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}",
                    "login": f"bench_coach_{number:05d}",
                    "integration_capacity": 40,
                    "group_ids": [(6, 0, [coach_group.id, sales_group.id])],
                    "parent_id": self.providers[number % provider_count].id,
                }
                for number in range(1, len(caseloads) + 1)
            ]
        )
        staff_group = env.ref("integration_program.group_user")
        self.staff = self._create_users(
            [
                {
                    "name": f"Staff {number:02d}",
                    "login": f"bench_staff_{number:02d}",
                    "group_ids": [(6, 0, [staff_group.id, sales_group.id])],
                }
                for number in range(1, 21)
            ]
        )
        # Staff run a programme each (staff 01-10 the first, 11-20 the second):
        # their pipeline opens on its active participants.
        for program, staff in zip(
            self.programs, (self.staff[:10], self.staff[10:]), strict=True
        ):
            program.manager_ids = staff
        self._set_passwords()
        tag_model = env["integration.tag"]
        self.tags = tag_model.create(
            [{"name": f"Tag {number}", "color": number} for number in range(1, 11)]
        ).ids
        self.professions = env["integration.profession"].search([]).ids
        self.languages = env["integration.language"].search([]).ids
        self.countries = env["res.country"].search([]).ids[:60]
        self.course_types = env["integration.course.type"].search([])
        if self.crm:
            self._setup_crm()
        self.subtype_note = env.ref("mail.mt_note").id
        self.subtype_comment = env.ref("mail.mt_comment").id
        self.todo = env.ref("mail.mail_activity_data_todo").id
        self.call = env.ref("mail.mail_activity_data_call").id
        models = ["integration.participant"] + (["crm.lead"] if self.crm else [])
        self.track_field = {
            model: env["ir.model.fields"]._get(model, "stage_id").id for model in models
        }
        self.model_id = {model: env["ir.model"]._get_id(model) for model in models}
        env.flush_all()
        self.courses = {}  # (program, course type) -> open course being filled
        self.next_cohort = Counter()
        self.cr.execute("SELECT id, partner_id FROM res_users")
        self.user_partner = dict(self.cr.fetchall())

    def _create_users(self, vals_list):
        """Users in batches; their contacts first, in one batch with their employer."""
        context = {"no_reset_password": True, "tracking_disable": True}
        partners = (
            self.env["res.partner"]
            .with_context(**context)
            .create(
                [
                    {"name": vals["name"], "parent_id": vals.pop("parent_id", False)}
                    for vals in vals_list
                ]
            )
        )
        for vals, partner in zip(vals_list, partners, strict=True):
            vals["partner_id"] = partner.id
        users = self.env["res.users"].browse()
        for start in range(0, len(vals_list), 500):
            batch = vals_list[start : start + 500]
            users |= self.env["res.users"].with_context(**context).create(batch)
        return users

    def _create_coaches(self, vals_list):
        """The first coach through the ORM; the others are copies of her rows
        (contact, user, groups, company) in SQL with their own name, login and
        provider. Users through the ORM cost ~70 ms each (groups, settings,
        contact): 35 000 coaches for 1 000 000 participants took over 45 min."""
        template = self._create_users(vals_list[:1])
        others = vals_list[1:]
        if not others:
            return template
        self.env.flush_all()
        cr, writer = self.cr, self.writer
        provider_names = dict(
            zip(self.providers.ids, self.providers.mapped("name"), strict=True)
        )
        partner_first = writer.reserve("res_partner", len(others))
        user_first = writer.reserve("res_users", len(others))
        partner_ids = list(range(partner_first, partner_first + len(others)))
        user_ids = list(range(user_first, user_first + len(others)))
        providers = [vals["parent_id"] for vals in others]
        self._clone_row(
            "res_partner",
            template.partner_id.id,
            {
                "id": ("int", partner_ids),
                "name": ("varchar", [vals["name"] for vals in others]),
                "complete_name": (
                    "varchar",
                    [
                        f"{provider_names[vals['parent_id']]}, {vals['name']}"
                        for vals in others
                    ],
                ),
                "parent_id": ("int", providers),
                "commercial_partner_id": ("int", providers),
                "commercial_company_name": (
                    "varchar",
                    [provider_names[provider] for provider in providers],
                ),
            },
        )
        self._clone_row(
            "res_users",
            template.id,
            {
                "id": ("int", user_ids),
                "login": ("varchar", [vals["login"] for vals in others]),
                "partner_id": ("int", partner_ids),
                "integration_provider_id": ("int", providers),
                "signature": ("text", [None] * len(others)),
            },
        )
        for table, user_column in (
            ("res_groups_users_rel", "uid"),
            ("res_company_users_rel", "user_id"),
        ):
            cr.execute(f"SELECT * FROM {table} LIMIT 0")
            other_column = next(
                column.name for column in cr.description if column.name != user_column
            )
            cr.execute(
                f"INSERT INTO {table} ({other_column}, {user_column}) "
                f"SELECT template.{other_column}, new_user.id FROM {table} template, "
                "unnest(%s::int[]) AS new_user(id) "
                f"WHERE template.{user_column} = %s",
                (user_ids, template.id),
            )
        writer.rows["res_users"] += len(others)
        writer.rows["res_partner"] += len(others)
        return template | self.env["res.users"].browse(user_ids)

    def _clone_row(self, table, template_id, values):
        """Copies of the row ``template_id`` of ``table``, one per element of
        the lists in ``values`` (``{column: (type, [value])}``), which replace
        those columns; the creation and write dates are now."""
        self.cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND is_generated = 'NEVER' "
            "ORDER BY ordinal_position",
            (table,),
        )
        kept = [
            column
            for (column,) in self.cr.fetchall()
            if column not in values and column not in ("create_date", "write_date")
        ]
        replaced = list(values)
        self.cr.execute(
            f"INSERT INTO {table} ({', '.join(kept + replaced)}, create_date, "
            "write_date) "
            f"SELECT {', '.join(f'template.{column}' for column in kept)}, "
            f"{', '.join(f'data.{column}' for column in replaced)}, "
            "now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' "
            f"FROM {table} template, unnest("
            + ", ".join(f"%s::{kind}[]" for kind, _values in values.values())
            + f") AS data({', '.join(replaced)}) WHERE template.id = %s",
            [column_values for _kind, column_values in values.values()] + [template_id],
        )

    def _set_passwords(self):
        """One hash for all generated logins: hashing each costs half a second."""
        hashed = self.env["res.users"]._crypt_context().hash(PASSWORD)
        self.cr.execute(
            "UPDATE res_users SET password = %s WHERE login LIKE 'bench\\_%%'",
            (hashed,),
        )

    def _setup_crm(self):
        env = self.env
        stage_model = env["crm.stage"]
        won = stage_model.search([("is_won", "=", True)], limit=1)
        for name, sequence in CRM_EXTRA_STAGES:
            stage_model.create({"name": name, "sequence": sequence})
        won.sequence = 69
        stage_model.create({"name": CRM_FOLDED_STAGE, "sequence": 90, "fold": True})
        self.crm_stages = stage_model.search([], order="sequence, id")
        assert len(self.crm_stages) == len(self.stages) == len(STAGE_SHARES)
        self.crm_tags = (
            env["crm.tag"]
            .create(
                [{"name": f"Tag {number}", "color": number} for number in range(1, 11)]
            )
            .ids
        )
        self.teams = env["crm.team"].create(
            [{"name": f"Team {number:02d}"} for number in range(1, 11)]
        )

    # ------------------------------------------------------------------
    # Bulk
    # ------------------------------------------------------------------
    def run(self):
        start = time.time()
        self.setup()
        self._commit()
        log(f"set-up done in {time.time() - start:.0f}s")
        # Coach slots: each coach appears as often as her caseload.
        slots = [
            coach.id
            for coach, load in zip(self.coaches, self.caseloads, strict=True)
            for _ in range(load)
        ]
        self.random.shuffle(slots)
        self.active_slots = slots
        self._figure_triggers(enable=False)
        done = 0
        while done < self.count:
            size = min(CHUNK, self.count - done)
            self.participants(done, size)
            if self.crm:
                self.leads(done, size)
            self._commit()
            done += size
            elapsed = time.time() - start
            log(
                f"{done:>9,} / {self.count:,} participants and leads "
                f"({elapsed:.0f}s, ETA {elapsed / done * (self.count - done):.0f}s)"
            )
        self.finish()
        self._commit()
        log(f"generated in {time.time() - start:.0f}s: {dict(self.writer.rows)}")
        return time.time() - start

    def _commit(self):
        if self.commit:
            self.cr.commit()

    def _stage_index(self):
        return self.random.choices(range(len(STAGE_SHARES)), STAGE_SHARES)[0]

    def _history(self, final, enrolled_on):
        """Stage path from the first column to ``final`` with dates."""
        rnd = self.random
        exited = final == len(STAGE_SHARES) - 1
        last_open = rnd.randint(0, 5) if exited else final
        path = [0, *sorted(rnd.sample(range(1, last_open + 1), min(last_open, 3)))]
        if exited or path[-1] != final:
            path.append(final)
        span = max((self.today - enrolled_on).days, len(path))
        offsets = sorted(rnd.sample(range(span), len(path) - 1))
        moments = [datetime.combine(enrolled_on, datetime.min.time())] + [
            datetime.combine(enrolled_on + timedelta(days=offset), datetime.min.time())
            + timedelta(hours=rnd.randint(8, 17))
            for offset in offsets
        ]
        return list(zip(path, moments, strict=True))

    def _contacts(self, count, prefix):
        first = self.writer.reserve("res_partner", count)
        rows, names = [], []
        rnd = self.random
        for offset in range(count):
            pid = first + offset
            name = f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)} {prefix}{pid}"
            email = f"{prefix.lower()}{pid}@example.org"
            names.append(name)
            rows.append(
                (
                    pid,
                    name,
                    name,
                    "contact",
                    True,
                    False,
                    True,
                    False,
                    pid,
                    "en_US",
                    email,
                    email,
                    "Kassel",
                    rnd.choice(self.countries),
                    self.now,
                    self.now,
                    1,
                    1,
                )
            )
        self.writer.copy(
            "res_partner",
            [
                "id",
                "name",
                "complete_name",
                "type",
                "active",
                "is_company",
                "partner_share",
                "employee",
                "commercial_partner_id",
                "lang",
                "email",
                "email_normalized",
                "city",
                "country_id",
                "create_date",
                "write_date",
                "create_uid",
                "write_uid",
            ],
            rows,
        )
        return first, names

    def participants(self, done, size):
        rnd, writer = self.random, self.writer
        partner_first, names = self._contacts(size, "P")
        first = writer.reserve("integration_participant", size)
        rows, tags, professions, languages = [], [], [], []
        sessions, assignments, placements, enrolments = [], [], [], []
        histories, followers, activities = {}, [], []
        for offset in range(size):
            pid = first + offset
            final = self._stage_index()
            stage = self.stages[final]
            milestone = stage.milestone
            enrolled_on = self.today - timedelta(days=rnd.randint(30, 6 * 365))
            history = self._history(final, enrolled_on)
            histories[pid] = history
            exit_date = history[-1][1].date() if milestone == "exited" else None
            coach = None
            if final in (1, 2, 3, 4, 5) and self.active_slots:
                coach = self.active_slots.pop()
            elif milestone == "exited" and len(history) > 2:
                coach = rnd.choice(self.coaches.ids)
            staff = rnd.choice(self.staff.ids)
            program = self.programs[0 if rnd.random() < 0.8 else 1].id
            last_contact = None
            if coach:
                coached, assignment, last_contact = self._coaching(
                    pid, program, coach, history, exit_date
                )
                sessions.extend(coached)
                assignments.append(assignment)
            rows.append(
                (
                    pid,
                    names[offset],
                    partner_first + offset,
                    program,
                    stage.id,
                    milestone,
                    history[-1][1],
                    staff,
                    coach,
                    self._provider(coach) if coach else None,
                    enrolled_on,
                    exit_date,
                    self.reasons[0] if exit_date else None,
                    enrolled_on - timedelta(days=365 * rnd.randint(19, 55)),
                    rnd.choice(self.countries),
                    rnd.choice(GERMAN),
                    rnd.choice(SCHOOL),
                    f"JC{done + offset + 1:08d}",
                    self.referrer.id if rnd.random() < 0.7 else None,
                    rnd.choice("0000012"),
                    rnd.choice(["normal"] * 6 + ["done", "blocked"]),
                    rnd.random() < 0.03 and milestone != "exited",
                    last_contact,
                    True,
                    self.now,
                    self.now,
                    1,
                    1,
                )
            )
            tags.extend((pid, tag) for tag in rnd.sample(self.tags, rnd.randint(0, 2)))
            professions.extend(
                (pid, profession)
                for profession in rnd.sample(self.professions, rnd.randint(1, 2))
            )
            languages.extend(
                (pid, language)
                for language in rnd.sample(self.languages, rnd.randint(1, 2))
            )
            for course_type in rnd.sample(self.course_types.ids, rnd.randint(1, 3)):
                enrolments.append(self._enrol(pid, program, course_type, enrolled_on))
            placement = self._placement(pid, program, milestone, history, exit_date)
            if placement:
                placements.append(placement)
            for user in {staff, coach} - {None}:
                followers.append((pid, self.user_partner[user]))
            if rnd.random() < 0.33 and milestone != "exited":
                activities.append(
                    (pid, names[offset], coach or staff, self._deadline())
                )
        writer.copy(
            "integration_participant",
            [
                "id",
                "name",
                "partner_id",
                "program_id",
                "stage_id",
                "milestone",
                "date_last_stage_update",
                "user_id",
                "coach_id",
                "provider_id",
                "enrollment_date",
                "exit_date",
                "exit_reason_id",
                "birthdate",
                "country_id",
                "german_level",
                "school_education",
                "jobcenter_customer_number",
                "referrer_id",
                "priority",
                "kanban_state",
                "is_paused",
                "last_contact_date",
                "active",
                "create_date",
                "write_date",
                "create_uid",
                "write_uid",
            ],
            rows,
        )
        writer.copy(
            "integration_participant_integration_tag_rel",
            ["integration_participant_id", "integration_tag_id"],
            tags,
        )
        writer.copy(
            "integration_participant_integration_profession_rel",
            ["integration_participant_id", "integration_profession_id"],
            professions,
        )
        writer.copy(
            "integration_language_integration_participant_rel",
            ["integration_participant_id", "integration_language_id"],
            languages,
        )
        writer.copy(
            "integration_coaching_session",
            [
                "participant_id",
                "program_id",
                "coach_id",
                "provider_id",
                "date",
                "duration",
                "mode",
                "topics",
                "create_date",
                "write_date",
                "create_uid",
                "write_uid",
            ],
            sessions,
        )
        writer.copy(
            "integration_coaching_assignment",
            [
                "participant_id",
                "program_id",
                "coach_id",
                "provider_id",
                "date_from",
                "date_to",
                "create_date",
            ],
            assignments,
        )
        writer.copy(
            "integration_enrollment",
            [
                "participant_id",
                "course_id",
                "program_id",
                "course_type_id",
                "state",
                "date_enrolled",
                "date_waitlisted",
                "date_end",
                "attendance_rate",
                "certificate_obtained",
                "create_date",
            ],
            enrolments,
        )
        writer.copy(
            "integration_placement",
            [
                "participant_id",
                "program_id",
                "placement_type",
                "partner_id",
                "profession_id",
                "date_start",
                "weekly_hours",
                "state",
                "date_end",
            ],
            placements,
        )
        self._chatter("integration.participant", histories, self.stages, "Participant")
        self._followers("integration.participant", followers)
        self._activities("integration.participant", activities)

    def leads(self, done, size):
        rnd, writer = self.random, self.writer
        partner_first, names = self._contacts(size, "L")
        first = writer.reserve("crm_lead", size)
        rows, tags, histories, followers, activities = [], [], {}, [], []
        salespeople = self.active_slots_leads
        for offset in range(size):
            lid = first + offset
            final = self._stage_index()
            stage = self.crm_stages[final]
            created_on = self.today - timedelta(days=rnd.randint(30, 6 * 365))
            history = self._history(final, created_on)
            histories[lid] = history
            user = salespeople[(done + offset) % len(salespeople)]
            team = self.teams[user % len(self.teams)].id
            revenue = float(rnd.randrange(1000, 50000, 500))
            probability = 100.0 if stage.is_won else float(rnd.choice([10, 30, 50, 70]))
            email = f"l{partner_first + offset}@example.org"
            rows.append(
                (
                    lid,
                    names[offset],
                    "opportunity",
                    rnd.choice("0000123"),
                    user,
                    team,
                    1,
                    stage.id,
                    partner_first + offset,
                    names[offset],
                    email,
                    email,
                    "correct",
                    revenue,
                    probability,
                    probability,
                    round(revenue * probability / 100, 2),
                    0.0,
                    0.0,
                    0.0,
                    0.0,
                    "won" if stage.is_won else "pending",
                    True,
                    datetime.combine(created_on, datetime.min.time()),
                    history[-1][1],
                    history[-1][1] if stage.is_won else None,
                    datetime.combine(created_on, datetime.min.time()),
                    self.now,
                    1,
                    1,
                    0,
                )
            )
            tags.extend(
                (lid, tag) for tag in rnd.sample(self.crm_tags, rnd.randint(0, 2))
            )
            followers.append((lid, self.user_partner[user]))
            if rnd.random() < 0.33 and final != len(STAGE_SHARES) - 1:
                activities.append((lid, names[offset], user, self._deadline()))
        writer.copy(
            "crm_lead",
            [
                "id",
                "name",
                "type",
                "priority",
                "user_id",
                "team_id",
                "company_id",
                "stage_id",
                "partner_id",
                "contact_name",
                "email_from",
                "email_normalized",
                "email_state",
                "expected_revenue",
                "probability",
                "automated_probability",
                "prorated_revenue",
                "recurring_revenue",
                "recurring_revenue_monthly",
                "recurring_revenue_monthly_prorated",
                "recurring_revenue_prorated",
                "won_status",
                "active",
                "date_open",
                "date_last_stage_update",
                "date_closed",
                "create_date",
                "write_date",
                "create_uid",
                "write_uid",
                "color",
            ],
            rows,
        )
        writer.copy("crm_tag_rel", ["lead_id", "tag_id"], tags)
        self._chatter("crm.lead", histories, self.crm_stages, "Opportunity")
        self._followers("crm.lead", followers)
        self._activities("crm.lead", activities)

    def _coaching(self, pid, program, coach, history, exit_date):
        """Her sessions, her coaching assignment and the date of her last session."""
        rnd = self.random
        provider = self._provider(coach)
        coached_from = history[1 if len(history) > 1 else 0][1].date()
        rows = []
        until = exit_date or self.today
        days = max((until - coached_from).days, 1)
        last_contact = None
        for _ in range(rnd.randint(5, 15)):
            day = coached_from + timedelta(days=rnd.randrange(days))
            last_contact = max(last_contact or day, day)
            rows.append(
                (
                    pid,
                    program,
                    coach,
                    provider,
                    day,
                    rnd.choice([0.5, 1.0, 1.0, 1.5, 2.0]),
                    rnd.choice(MODES),
                    rnd.choice(TOPICS),
                    self.now,
                    self.now,
                    1,
                    1,
                )
            )
        assignment = (pid, program, coach, provider, coached_from, exit_date, self.now)
        return rows, assignment, last_contact

    def _placement(self, pid, program, milestone, history, exit_date):
        rnd = self.random
        if milestone not in ("training", "employment") and (
            milestone != "exited" or rnd.random() >= 0.4
        ):
            return None
        kind = milestone
        if milestone == "exited":
            kind = rnd.choice(["training", "employment"])
        start_on = history[-1][1].date()
        return (
            pid,
            program,
            kind,
            rnd.choice(self.employers.ids),
            rnd.choice(self.professions),
            start_on,
            rnd.choice([20.0, 30.0, 39.0]),
            "active" if milestone != "exited" else "completed",
            start_on + timedelta(days=700) if exit_date else None,
        )

    @property
    def active_slots_leads(self):
        # Salespeople carry the same 3-40 load as coaches.
        if not hasattr(self, "_lead_slots"):
            self._lead_slots = [
                coach.id
                for coach, load in zip(self.coaches, self.caseloads, strict=True)
                for _ in range(load)
            ]
            self.random.shuffle(self._lead_slots)
        return self._lead_slots

    @property
    def reasons(self):
        if not hasattr(self, "_reasons"):
            self._reasons = self.env["integration.exit.reason"].search([]).ids
        return self._reasons

    def _provider(self, coach):
        if not hasattr(self, "_providers"):
            self._providers = {
                user.id: user.integration_provider_id.id for user in self.coaches
            }
        return self._providers[coach]

    def _deadline(self):
        return self.today + timedelta(days=self.random.randint(-20, 20))

    def _enrol(self, participant, program, course_type_id, enrolled_on):
        """Fill courses one after the other; a full course opens the next cohort."""
        rnd = self.random
        key = (program, course_type_id)
        course = self.courses.get(key)
        if not course or course["taken"] >= course["seats"]:
            course = self.courses[key] = self._new_course(
                program, course_type_id, enrolled_on
            )
        course_id = course["id"]
        if course["state"] == "done":
            state = "completed" if rnd.random() < 0.85 else "dropped"
        else:
            state = "enrolled" if rnd.random() < 0.95 else "dropped"
        if state != "dropped":
            course["taken"] += 1
        start = course["date_start"]
        return (
            participant,
            course_id,
            program,
            course_type_id,
            state,
            start,
            None,
            course["date_end"] if state != "enrolled" else None,
            float(rnd.randint(60, 100)) if state == "completed" else 0.0,
            state == "completed" and rnd.random() < 0.8,
            self.now,
        )

    def _new_course(self, program, course_type_id, around):
        course_type = self.course_types.browse(course_type_id)
        self.next_cohort[(program, course_type_id)] += 1
        start = around + timedelta(days=30)
        end = start + timedelta(days=120)
        state = "done" if end < self.today else "running"
        seats = course_type.default_seats_max or 15
        self.cr.execute(
            """
            INSERT INTO integration_course (program_id, course_type_id, cohort_number,
                seats_max, state, date_start, date_end, color, create_uid,
                create_date, write_uid, write_date)
            VALUES (%s, %s, %s, %s, %s, %s, %s, 0, 1, now(), 1, now()) RETURNING id
            """,
            (
                program,
                course_type_id,
                self.next_cohort[(program, course_type_id)],
                seats,
                state,
                start,
                end,
            ),
        )
        return {
            "id": self.cr.fetchone()[0],
            "seats": seats,
            "taken": 0,
            "state": state,
            "date_start": start,
            "date_end": end,
        }

    def _chatter(self, model, histories, stages, label):
        """A creation message, one tracking message per stage move, 0-2 notes."""
        rnd, writer = self.random, self.writer
        per_record = [(rid, history) for rid, history in histories.items()]
        counts = [
            1 + (len(history) - 1) + rnd.randint(0, 2) for _, history in per_record
        ]
        first = writer.reserve("mail_message", sum(counts))
        messages, trackings = [], []
        message_id = first
        field_id = self.track_field[model]
        for (rid, history), count in zip(per_record, counts, strict=True):
            created = history[0][1]
            messages.append(
                (
                    message_id,
                    model,
                    rid,
                    "notification",
                    self.subtype_note,
                    f"<p>{label} created</p>",
                    created,
                    self.admin_partner,
                    True,
                )
            )
            message_id += 1
            for (old, _), (new, moved) in pairwise(history):
                messages.append(
                    (
                        message_id,
                        model,
                        rid,
                        "notification",
                        self.subtype_note,
                        "",
                        moved,
                        self.admin_partner,
                        True,
                    )
                )
                trackings.append(
                    (
                        message_id,
                        field_id,
                        stages[old].id,
                        stages[new].id,
                        stages[old].name,
                        stages[new].name,
                        moved,
                    )
                )
                message_id += 1
            for _ in range(count - len(history)):
                when = created + timedelta(days=rnd.randint(0, 300))
                messages.append(
                    (
                        message_id,
                        model,
                        rid,
                        "comment",
                        self.subtype_note,
                        f"<p>{rnd.choice(TOPICS)}: discussed, next steps agreed.</p>",
                        min(when, self.now),
                        self.admin_partner,
                        True,
                    )
                )
                message_id += 1
        writer.copy(
            "mail_message",
            [
                "id",
                "model",
                "res_id",
                "message_type",
                "subtype_id",
                "body",
                "date",
                "author_id",
                "is_internal",
                "create_date",
                "create_uid",
                "write_date",
                "write_uid",
            ],
            ((*row, row[6], 1, row[6], 1) for row in messages),
        )
        writer.copy(
            "mail_tracking_value",
            [
                "mail_message_id",
                "field_id",
                "old_value_integer",
                "new_value_integer",
                "old_value_char",
                "new_value_char",
                "create_date",
            ],
            trackings,
        )

    def _followers(self, model, pairs):
        first = self.writer.reserve("mail_followers", len(pairs))
        self.writer.copy(
            "mail_followers",
            ["id", "res_model", "res_id", "partner_id"],
            (
                (first + index, model, rid, partner)
                for index, (rid, partner) in enumerate(pairs)
            ),
        )
        self.writer.copy(
            "mail_followers_mail_message_subtype_rel",
            ["mail_followers_id", "mail_message_subtype_id"],
            ((first + index, self.subtype_comment) for index in range(len(pairs))),
        )

    def _activities(self, model, rows):
        rnd = self.random
        self.writer.copy(
            "mail_activity",
            [
                "res_model_id",
                "res_model",
                "res_id",
                "res_name",
                "user_id",
                "date_deadline",
                "activity_type_id",
                "summary",
                "automated",
                "active",
                "create_uid",
                "create_date",
                "write_uid",
                "write_date",
            ],
            (
                (
                    self.model_id[model],
                    model,
                    rid,
                    name,
                    user,
                    deadline,
                    rnd.choice([self.todo, self.call]),
                    "Follow up",
                    False,
                    True,
                    1,
                    self.now,
                    1,
                    self.now,
                )
                for rid, name, user, deadline in rows
            ),
        )

    def _figure_triggers(self, enable):
        """The programme figures' triggers refresh each woman's fact row whenever
        one of her rows is written: for the bulk they are off (each of a chunk's
        COPY statements would refresh its women again), and ``finish`` builds
        the facts once, as an update of the addon does."""
        self.cr.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger"
            " WHERE tgname LIKE 'integration_kpi_%' AND NOT tgisinternal"
        )
        action = "ENABLE" if enable else "DISABLE"
        for table, trigger in self.cr.fetchall():
            self.cr.execute(f'ALTER TABLE {table} {action} TRIGGER "{trigger}"')

    def finish(self):
        """Courses still filling open for enrolment; the programme figures built
        from the rows; statistics for the planner."""
        open_ids = [c["id"] for c in self.courses.values() if c["state"] != "done"]
        if open_ids:
            self.cr.execute(
                "UPDATE integration_course SET state = 'open' WHERE id IN %s",
                (tuple(open_ids),),
            )
        self._figure_triggers(enable=True)
        started = time.time()
        figures = self.env["integration.kpi"]
        figures._refresh_all()
        # Snapshots are built in a cursor of their own: it must see the facts.
        self._commit()
        figures._refresh_snapshots()
        log(f"programme facts and snapshots built in {time.time() - started:.0f}s")
        if self.commit:
            log("analysing tables")
            self.cr.execute("ANALYZE")


def reporting_setup(programs, count, today):
    """What funder reporting needs: the programmes' period (enrolments reach
    back six years) and two target agreements each, one counting placements
    started and one a milestone reached (from the stage tracking)."""
    start = date(today.year - 6, 1, 1)
    programs.write({"date_start": start})
    programs.env["integration.target"].create(
        [
            vals
            for program in programs
            for vals in (
                {
                    "name": "Into vocational training or insured employment",
                    "program_id": program.id,
                    "date_from": start,
                    "date_to": date(today.year + 1, 12, 31),
                    "count_training": True,
                    "count_employment": True,
                    "target_value": max(1, count // 10),
                },
                {
                    "name": "Reached insured employment",
                    "program_id": program.id,
                    "date_from": start,
                    "date_to": date(today.year + 1, 12, 31),
                    "milestone": "employment",
                    "target_value": max(1, count // 20),
                },
            )
        ]
    )


def verify(env, sample=200):
    """Recompute stored computed fields of a sample through the ORM and compare.

    Returns a list of differences (empty when the bulk rows match the ORM)."""
    differences = []
    checks = {
        "integration.participant": ["milestone", "provider_id", "last_contact_date"],
        "integration.coaching.session": ["program_id", "provider_id"],
        "integration.enrollment": ["program_id", "course_type_id"],
        "res.partner": ["commercial_partner_id", "complete_name", "partner_share"],
        "crm.lead": ["contact_name", "email_normalized", "won_status"],
    }
    for model_name, field_names in checks.items():
        if model_name not in env:
            continue
        model = env[model_name].with_context(active_test=False)
        records = model.search([], order="id desc", limit=sample)
        stored = {
            record.id: {name: record[name] for name in field_names}
            for record in records
        }
        env.invalidate_all()
        for name in field_names:
            env.add_to_compute(model._fields[name], records)
        for record in records:
            for name in field_names:
                if record[name] != stored[record.id][name]:
                    differences.append(
                        f"{model_name}({record.id}).{name}: stored "
                        f"{stored[record.id][name]!r}, ORM computes {record[name]!r}"
                    )
        records._validate_fields(field_names)
    return differences


def main():
    parser = common_arguments(__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--reporting-only",
        action="store_true",
        help="only give the programmes of an existing database their period "
        "and targets (databases generated before funder reporting existed)",
    )
    args = parser.parse_args()
    if args.reporting_only:
        with odoo_env(args.config, args.database) as env:
            programs = env["integration.program"].search([("date_start", "=", False)])
            reporting_setup(programs, args.count, date.today())
            log(f"{len(programs)} programmes got their period and targets")
        return
    with odoo_env(args.config, args.database) as env:
        if env["integration.participant"].search_count([], limit=1):
            raise SystemExit(
                f"{env.cr.dbname} already holds participants: generate into a new "
                "database (make bench-data creates one)."
            )
        Generator(env, args.count, args.seed).run()
    # A transaction of its own, not committed if anything differs.
    with odoo_env(args.config, args.database) as env:
        differences = verify(env)
        for difference in differences[:20]:
            log(difference)
        if differences:
            raise SystemExit(f"{len(differences)} values differ from the ORM's")
        log("a sample recomputed through the ORM matches the generated rows")


if __name__ == "__main__":
    main()
