from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form

from .common import IntegrationCase, new_test_user


class TestBulkActions(IntegrationCase):
    """What staff do on a selection of the participants' list: assign a coach,
    enrol in a course, pause."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env["res.partner"].create(
            {"name": "Bulk Provider", "is_company": True, "is_coaching_provider": True}
        )
        cls.coach = new_test_user(
            cls.env,
            login="bulk_coach",
            name="Bulk Coach",
            groups="integration_program.group_coach",
        )
        cls.coach.write({"parent_id": cls.provider.id, "integration_capacity": 3})
        cls.participants = cls.env["integration.participant"].create(
            [
                {"name": f"Bulk {index}", "program_id": cls.program.id}
                for index in range(4)
            ]
        )
        cls.course = cls.env["integration.course"].create(
            {
                "program_id": cls.program.id,
                "course_type_id": cls.env.ref(
                    "integration_program.course_type_language_practice"
                ).id,
                "date_start": "2026-06-15",
                "seats_max": 2,
                "state": "open",
            }
        )

    def _wizard(self, xmlid, participants, user):
        """The wizard as the action menu of the list opens it."""
        action = self.env.ref(xmlid)
        self.assertIn(
            self.env.ref("integration_program.model_integration_participant"),
            action.binding_model_id,
        )
        return Form(
            self.env[action.res_model]
            .with_user(user)
            .with_context(
                active_model="integration.participant", active_ids=participants.ids
            )
        )

    def test_assign_a_coach_to_a_selection(self):
        chosen = self.participants[:2]
        form = self._wizard(
            "integration_program.integration_coach_assign_wizard_action",
            chosen,
            self.staff,
        )
        self.assertEqual(form.participant_ids[:], chosen)
        self.assertIn(self.coach, form.suggested_coach_ids[:])
        form.coach_id = self.coach
        form.save().action_assign()
        self.assertEqual(chosen.coach_id, self.coach)
        self.assertEqual(len(chosen.assignment_ids), 2)
        self.coach.invalidate_recordset(["integration_caseload"])
        self.assertEqual(self.coach.integration_caseload, 2)

    def test_bulk_assignment_respects_the_capacity(self):
        form = self._wizard(
            "integration_program.integration_coach_assign_wizard_action",
            self.participants,
            self.staff,
        )
        form.coach_id = self.coach
        with self.assertRaisesRegex(
            UserError, "Bulk Coach has 3 free places, and 4 participants"
        ):
            form.save().action_assign()
        self.assertFalse(self.participants.coach_id)
        # A programme manager may override the capacity.
        form = self._wizard(
            "integration_program.integration_coach_assign_wizard_action",
            self.participants,
            self.manager,
        )
        form.override_capacity = True
        form.coach_id = self.coach
        form.save().action_assign()
        self.assertEqual(self.participants.coach_id, self.coach)

    def test_bulk_assignment_refuses_who_left(self):
        gone = self.participants[0]
        gone.stage_id = self.stage["exited"]
        form = self._wizard(
            "integration_program.integration_coach_assign_wizard_action",
            self.participants[:2],
            self.staff,
        )
        form.coach_id = self.coach
        with self.assertRaisesRegex(UserError, "Bulk 0 left the programme"):
            form.save().action_assign()
        self.assertFalse(self.participants[1].coach_id)

    def test_coaches_do_not_assign_coaches(self):
        with self.assertRaises(AccessError):
            self.env["integration.coach.assign.wizard"].with_user(self.coach).create(
                {"participant_ids": [(6, 0, self.participants[:1].ids)]}
            )

    def test_enrol_a_selection_fills_seats_then_the_waiting_list(self):
        chosen = self.participants[:3]
        form = self._wizard(
            "integration_program.integration_enrollment_wizard_action",
            chosen,
            self.staff,
        )
        form.course_id = self.course
        self.assertEqual(form.outcome, "2 enrolled, 1 on the waiting list.")
        result = form.save().action_enroll()
        self.assertEqual(
            result["params"]["message"],
            f"2 enrolled in {self.course.display_name}, 1 on its waiting list.",
        )
        states = self.course.enrollment_ids.mapped("state")
        self.assertEqual(sorted(states), ["enrolled", "enrolled", "waitlist"])
        self.assertEqual(self.course.enrollment_ids.participant_id, chosen)
        # Enrolled again: the wizard names who already is.
        form = self._wizard(
            "integration_program.integration_enrollment_wizard_action",
            self.participants[2:],
            self.staff,
        )
        form.course_id = self.course
        with self.assertRaisesRegex(UserError, "Bulk 2 are already registered"):
            form.save().action_enroll()
        self.assertEqual(len(self.course.enrollment_ids), 3)

    def test_pause_a_selection_from_the_action_menu(self):
        chosen = self.participants[:2]
        server_action = self.env.ref(
            "integration_program.integration_participant_server_action_pause"
        )
        action = (
            server_action.with_user(self.staff)
            .with_context(
                active_model="integration.participant",
                active_ids=chosen.ids,
                active_id=chosen[0].id,
            )
            .run()
        )
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.staff)
            .with_context(**action["context"])
        )
        form.pause_reason = "Courses suspended"
        form.save().action_confirm()
        self.assertEqual(chosen.mapped("is_paused"), [True, True])
        self.assertFalse(self.participants[2].is_paused)
        # Paused already: said clearly, nobody is paused twice.
        action = (
            server_action.with_user(self.staff)
            .with_context(
                active_model="integration.participant",
                active_ids=self.participants[1:3].ids,
                active_id=self.participants[1].id,
            )
            .run()
        )
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.staff)
            .with_context(**action["context"])
        )
        form.pause_reason = "Again"
        with self.assertRaisesRegex(UserError, "Bulk 1 cannot be paused"):
            form.save().action_confirm()

    def test_the_gear_menu_offers_the_rare_actions_by_role(self):
        def gear(user, view_type):
            bindings = (
                self.env["ir.actions.actions"]
                .with_user(user)
                .get_bindings("integration.participant")
            )
            return {
                action["name"]
                for action in bindings.get("action", [])
                if view_type in (action.get("binding_view_types") or "").split(",")
            }

        staff_form = gear(self.staff, "form")
        self.assertLessEqual(
            {"Pause Participation", "Record Exit", "Assign Coach"}, staff_form
        )
        self.assertNotIn("Export Personal Data", staff_form)
        self.assertIn("Export Personal Data", gear(self.manager, "form"))
        self.assertLessEqual(
            {"Assign Coach", "Enrol in a Course", "Pause Participation"},
            gear(self.staff, "list"),
        )
        # Coaches enrol their participants; coaches and pauses are the staff's.
        coach_list = gear(self.coach, "list")
        self.assertIn("Enrol in a Course", coach_list)
        self.assertFalse(
            {"Assign Coach", "Pause Participation", "Export Personal Data"} & coach_list
        )


class TestScreens(IntegrationCase):
    def test_a_full_course_shows_the_waiting_list_before_saving(self):
        course = self.env["integration.course"].create(
            {
                "program_id": self.program.id,
                "course_type_id": self.env.ref(
                    "integration_program.course_type_language_practice"
                ).id,
                "date_start": "2026-06-15",
                "seats_max": 1,
                "state": "open",
            }
        )
        first, second, third = self.env["integration.participant"].create(
            [
                {"name": name, "program_id": self.program.id}
                for name in ("Seated", "Waiting", "Next")
            ]
        )
        self.env["integration.enrollment"].create(
            [
                {"course_id": course.id, "participant_id": first.id},
                {"course_id": course.id, "participant_id": second.id},
            ]
        )
        picker = course.with_context(integration_course_seats=True)
        self.assertIn("(full, 1 waiting)", picker.display_name)
        form = Form(
            self.env["integration.enrollment"]
            .with_user(self.staff)
            .with_context(default_participant_id=third.id)
        )
        self.assertEqual(form.state, "enrolled")
        form.course_id = course
        self.assertEqual(form.state, "waitlist")
        self.assertEqual(form.waitlist_position, 2)
        enrollment = form.save()
        self.assertEqual(enrollment.state, "waitlist")
        self.assertEqual(enrollment.waitlist_position, 2)
        # A course with room keeps her enrolled.
        course.seats_max = 5
        self.assertIn("(2 free seats)", picker.display_name)

    def test_managers_keep_the_programme_settings(self):
        settings = self.env["integration.settings"].with_user(self.manager)
        form = Form(settings)
        form.stale_contact_days = 21
        form.retention_months = 24
        form.save().action_save()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(
            params.get_param("integration_program.stale_contact_days"), "21"
        )
        self.assertEqual(params.get_param("integration_program.retention_months"), "24")
        self.assertEqual(Form(settings).retention_months, 24)
        with self.assertRaisesRegex(ValidationError, "between 1 and 365"):
            settings.create({"stale_contact_days": 0})
        self.assertFalse(self.manager.has_group("base.group_system"))
        with self.assertRaises(AccessError):
            self.env["integration.settings"].with_user(self.staff).create({})

    def test_quick_create_defaults_to_the_users_programme(self):
        small = self.env["integration.program"].create(
            {"name": "Small", "code": "SMALL", "date_start": "2030-01-01"}
        )
        participants = self.env["integration.participant"]
        self.create_participant("One")
        self.create_participant("Two")
        participants.create({"name": "Three", "program_id": small.id})
        # The largest programme, not the newest (first in the programmes' order).
        self.program.date_start = "2018-01-01"
        self.assertEqual(self.env["integration.program"].search([], limit=1), small)
        default = participants.with_user(self.staff).default_get(["program_id"])
        largest = max(
            self.env["integration.program"].search([]),
            key=lambda p: participants.search_count(
                [("program_id", "=", p.id), ("milestone", "!=", "exited")]
            ),
        )
        self.assertEqual(default["program_id"], largest.id)
        self.assertNotEqual(default["program_id"], small.id)
        # The one she manages, when she manages one.
        small.manager_ids = self.manager
        default = participants.with_user(self.manager).default_get(["program_id"])
        self.assertEqual(default["program_id"], small.id)

    def test_invited_coaches_land_in_the_pipeline(self):
        wizard = (
            self.env["integration.user.invite.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Invited Coach",
                    "email": "invited.coach@example.com",
                    "organisation_id": self.env["res.partner"]
                    .create(
                        {
                            "name": "Invite Provider",
                            "is_company": True,
                            "is_coaching_provider": True,
                        }
                    )
                    .id,
                    "role": "coach",
                }
            )
        )
        wizard.action_invite()
        user = self.env["res.users"].search(
            [("login", "=", "invited.coach@example.com")]
        )
        self.assertEqual(
            user.action_id.id,
            self.env.ref("integration_program.integration_participant_action").id,
        )

    def test_managers_set_their_coaches_capacity_only(self):
        provider = self.env["res.partner"].create(
            {"name": "Cap Provider", "is_company": True, "is_coaching_provider": True}
        )
        coach = new_test_user(
            self.env,
            login="cap_coach",
            name="Cap Coach",
            groups="integration_program.group_coach",
        )
        coach.write({"parent_id": provider.id, "integration_capacity": 3})
        polish = self.env.ref("integration_program.language_pl")
        form = Form(
            coach.with_user(self.manager),
            view="integration_program.res_users_view_form_coach",
        )
        form.integration_capacity = 6
        form.integration_language_ids.add(polish)
        form.save()
        self.assertEqual(coach.integration_capacity, 6)
        self.assertIn(polish, coach.integration_language_ids)
        # Nothing else of a user, and not on users who are no coaches.
        with self.assertRaises(AccessError):
            coach.with_user(self.manager).write({"login": "taken_over"})
        with self.assertRaises(AccessError):
            self.staff.with_user(self.manager).write({"integration_capacity": 5})
        with self.assertRaises(AccessError):
            coach.with_user(self.staff).write({"integration_capacity": 9})
