"""The pipeline opens on each role's work, as CRM opens on "My Pipeline"."""

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import IntegrationCase, new_test_user

ACTION = "integration_program.integration_participant_action"


@tagged("post_install", "-at_install")
class TestLanding(IntegrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coach = new_test_user(
            cls.env,
            login="landing_coach",
            name="Landing Coach",
            groups="integration_program.group_coach",
        )
        provider = cls.env["res.partner"].create(
            {
                "name": "Landing Provider",
                "is_company": True,
                "is_coaching_provider": True,
            }
        )
        cls.coach.write({"parent_id": provider.id, "integration_capacity": 10})
        cls.other_program = cls.env["integration.program"].create(
            {"name": "Other Programme", "code": "OTH"}
        )
        cls.mine = cls.create_participant("Landing Mine", coach_id=cls.coach.id)
        cls.other = cls.env["integration.participant"].create(
            {"name": "Landing Other", "program_id": cls.other_program.id}
        )

    def defaults(self, user):
        action = self.env["ir.actions.act_window"].with_user(user)._for_xml_id(ACTION)
        context = safe_eval(action["context"] or "{}", {"uid": user.id})
        return {
            key.removeprefix("search_default_")
            for key, value in context.items()
            if key.startswith("search_default_") and value
        }

    def test_coach_opens_on_her_participants(self):
        self.assertEqual(self.defaults(self.coach), {"my_participants"})

    def test_staff_open_on_their_programme_in_progress(self):
        self.assertEqual(self.defaults(self.staff), {"in_programme"})
        self.program.manager_ids = self.staff
        self.assertEqual(self.defaults(self.staff), {"my_programmes", "in_programme"})
        participants = self.env["integration.participant"].with_user(self.staff)
        found = participants.search([("in_my_programmes", "=", True)])
        self.assertIn(self.mine, found)
        self.assertNotIn(self.other, found)
        self.assertIn(
            self.other, participants.search([("in_my_programmes", "=", False)])
        )
        self.assertTrue(self.mine.with_user(self.staff).in_my_programmes)
        # A programme she takes on later counts at once.
        self.other_program.manager_ids = self.staff
        self.assertIn(
            self.other, participants.search([("in_my_programmes", "=", True)])
        )

    def test_programme_buttons_keep_their_own_filter(self):
        """Opened from a programme, the pipeline shows that programme, not the
        user's defaults."""
        action = self.program.with_user(self.manager).action_view_participants()
        self.assertEqual(action["domain"], [("program_id", "=", self.program.id)])
        self.assertNotIn("search_default_my_participants", str(action["context"]))

    def test_the_demo_users_land_on_their_work_not_in_discuss(self):
        home = self.env.ref("integration_program.integration_manager_home_action")
        users = self.env["res.users"].search(
            [("login", "in", ("staff", "manager", "coach"))]
        )
        if len(users) < 3:
            self.skipTest("installed without demo data")
        landing = {user.login: user.action_id.id for user in users}
        self.assertEqual(landing["staff"], home.id)
        self.assertEqual(landing["manager"], home.id)
        self.assertEqual(landing["coach"], self.env.ref(ACTION).id)
