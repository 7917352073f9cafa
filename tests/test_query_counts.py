"""Query-count guards: the participant form and the funder dashboard read a
fixed number of queries, however much a participant or a programme holds (the
form's lists are behind counted smart buttons; people and tags are read in
shared batches; the figures come from integration_kpi's facts)."""

from odoo.fields import Domain
from odoo.tests import tagged

from .common import IntegrationCase, new_test_user
from .view_spec import view_specification


@tagged("post_install", "-at_install")
class TestQueryCounts(IntegrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partners = cls.env["res.partner"]
        provider = partners.create(
            {"name": "Count Provider", "is_company": True, "is_coaching_provider": True}
        )
        cls.coach = new_test_user(
            cls.env,
            login="count_coach",
            name="Count Coach",
            groups="integration_program.group_coach",
        )
        cls.coach.write({"parent_id": provider.id, "integration_capacity": 40})
        cls.employer = partners.create({"name": "Count Employer", "is_company": True})
        cls.referrer = partners.create({"name": "Count Jobcenter", "is_company": True})
        cls.tags = cls.env["integration.tag"].create(
            [{"name": f"Count Tag {n}", "color": n} for n in range(3)]
        )
        cls.participant = cls.create_participant(
            "Count Participant",
            coach_id=cls.coach.id,
            user_id=cls.staff.id,
            referrer_id=cls.referrer.id,
            stage_id=cls.stage["coaching"].id,
            email="count@example.com",
        )
        cls.program.manager_ids = cls.manager

    def fill(self, participant, count):
        """``count`` more sessions, placements, consents and tags on her record."""
        self.env["integration.coaching.session"].create(
            [
                {
                    "participant_id": participant.id,
                    "coach_id": self.coach.id,
                    "date": f"2024-01-{n + 1:02d}",
                    "mode": "phone",
                    "topics": f"Topic {n}",
                }
                for n in range(count)
            ]
        )
        self.env["integration.placement"].create(
            [
                {
                    "participant_id": participant.id,
                    "placement_type": "internship",
                    "partner_id": self.employer.id,
                    "date_start": f"2024-02-{n + 1:02d}",
                    "state": "completed",
                }
                for n in range(count)
            ]
        )
        participant.write(
            {
                "tag_ids": [(6, 0, self.tags[: min(count, 3)].ids)],
                "language_ids": [
                    (6, 0, self.env["integration.language"].search([], limit=count).ids)
                ],
                "target_profession_ids": [
                    (
                        6,
                        0,
                        self.env["integration.profession"].search([], limit=count).ids,
                    )
                ],
            }
        )
        self.env.flush_all()

    def form_queries(self, user, participant):
        """Queries of opening her form as ``user``, as the web client reads it
        (the specification built from the form view the user gets)."""
        records = participant.with_user(user)
        spec = view_specification(records.browse(), "form")
        # Warm-up: the registry's caches (access rules, groups) as in a server.
        records.web_read(spec)
        records.web_read(spec)
        self.env.invalidate_all()
        queries = self.env.cr.sql_log_count
        records.web_read(spec)
        self.env.flush_all()
        return self.env.cr.sql_log_count - queries

    def test_form_query_count_is_fixed(self):
        """Her form reads 14 queries (CRM's opportunity form 22), as many with
        one session, placement and tag as with twenty."""
        self.fill(self.participant, 1)
        for user in (self.manager, self.staff, self.coach):
            with self.subTest(user=user.login):
                self.assertLessEqual(self.form_queries(user, self.participant), 14)
        self.fill(self.participant, 20)
        few = self.form_queries(self.manager, self.participant)
        self.fill(self.participant, 20)
        self.assertEqual(self.form_queries(self.manager, self.participant), few)

    def test_form_counts_what_the_user_may_see(self):
        """The smart buttons count each list as its reader may see it."""
        self.fill(self.participant, 3)
        as_coach = self.participant.with_user(self.coach)
        self.assertEqual(as_coach.session_count, 3)
        self.assertEqual(as_coach.placement_count, 3)
        self.assertEqual(as_coach.assignment_count, 1)
        action = as_coach.action_view_assignments()
        self.assertEqual(
            self.env[action["res_model"]]
            .with_user(self.coach)
            .search_count(action["domain"]),
            1,
        )

    def test_form_reads_the_tags_it_shows(self):
        self.fill(self.participant, 2)
        spec = view_specification(self.participant.with_user(self.manager), "form")
        values = self.participant.with_user(self.manager).web_read(spec)[0]
        self.assertEqual(
            sorted(tag["id"] for tag in values["tag_ids"]), self.tags[:2].ids
        )
        self.assertEqual(len(values["language_ids"]), 2)
        self.assertEqual(values["coach_id"]["display_name"], "Count Coach")
        self.assertEqual(values["referrer_id"]["display_name"], "Count Jobcenter")

    def dashboard_queries(self, user):
        report_model = self.env["integration.funder.report"].with_user(user)
        spec = view_specification(report_model, "form")

        def open_dashboard():
            report = report_model.create(
                {
                    "program_id": self.program.id,
                    "date_from": "2020-01-01",
                    "date_to": "2030-12-31",
                }
            )
            report.web_read(spec)

        # Warm-up: the registry's caches (access rules, groups) as in a server.
        open_dashboard()
        self.env.invalidate_all()
        queries = self.env.cr.sql_log_count
        open_dashboard()
        self.env.flush_all()
        return self.env.cr.sql_log_count - queries

    def test_name_search_reads_the_number_only_for_digits(self):
        """A name typed in searches names (one index); a term with a digit also
        the Jobcenter customer numbers."""
        participants = self.env["integration.participant"].with_user(self.staff)
        self.participant.jobcenter_customer_number = "918Q273645"
        self.assertEqual(
            participants._search_display_name("ilike", "Count Part"),
            Domain("name", "ilike", "Count Part"),
        )
        for term in ("Count Part", "Q2736", "918Q", "273645"):
            self.assertEqual(
                [pid for pid, _name in participants.name_search(term)],
                [self.participant.id],
                term,
            )
        self.assertNotIn(
            self.participant.id, [pid for pid, _name in participants.name_search("Q")]
        )

    def test_dashboard_query_count_is_fixed(self):
        """Opening the funder dashboard (KPIs, two targets, breakdowns) reads
        a bounded number of queries, for ten participants as for thirty."""
        self.env["integration.target"].create(
            [
                {
                    "name": "Count training",
                    "program_id": self.program.id,
                    "date_from": "2020-01-01",
                    "date_to": "2030-12-31",
                    "count_training": True,
                    "target_value": 5,
                },
                {
                    "name": "Count employment",
                    "program_id": self.program.id,
                    "date_from": "2020-01-01",
                    "date_to": "2030-12-31",
                    "milestone": "employment",
                    "target_value": 5,
                },
            ]
        )
        # At most 24 (ORM access-rule look-ups vary with the registry's caches):
        # the KPIs, the exit reasons, the targets and the funnel are one query
        # each, the trend chart one per target, then one read per model named
        # (providers, countries, courses, ...); none per participant.
        self.add_participants(0, 10)
        self.assertLessEqual(self.dashboard_queries(self.manager), 24)
        self.add_participants(10, 30)
        self.assertLessEqual(self.dashboard_queries(self.manager), 24)

    def add_participants(self, first, last):
        countries = self.env["res.country"].search([], limit=3)
        for n in range(first, last):
            self.fill(
                self.create_participant(
                    f"Count {n}",
                    coach_id=self.coach.id if n % 2 else False,
                    country_id=countries[n % 3].id,
                ),
                1,
            )
