import base64
import time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import OrganisationsCase, committed_env, new_test_user, run_concurrently


@tagged("post_install", "-at_install")
class TestContactIsHers(OrganisationsCase):
    """Nobody re-points a participant's contact, or reads another one through her."""

    def test_coach_and_staff_cannot_repoint_her_contact(self):
        admin_partner = self.env.ref("base.user_admin").partner_id
        admin_email = admin_partner.email
        for role in ("coach1", "staff"):
            own = self.own.with_user(self.role_users[role])
            with self.assertRaisesRegex(UserError, "belongs to her"):
                own.write({"partner_id": admin_partner.id})
            with self.assertRaisesRegex(UserError, "belongs to her"):
                own.write(
                    {"partner_id": admin_partner.id, "email": "thief@example.com"}
                )
        self.assertEqual(admin_partner.email, admin_email)
        self.assertNotEqual(self.own.partner_id, admin_partner)
        self.assertEqual(self.own.email, "hawa1@example.com")

    def test_contact_fields_go_to_her_own_contact(self):
        partner = self.own.partner_id
        self.own.with_user(self.role_users["coach1"]).write(
            {"email": "neu@example.com", "phone": "0561 1", "city": "Kassel"}
        )
        self.assertEqual(
            (partner.email, partner.phone, partner.city),
            ("neu@example.com", "0561 1", "Kassel"),
        )

    def test_create_cannot_adopt_an_existing_contact(self):
        admin_partner = self.env.ref("base.user_admin").partner_id
        for role in ("coach1", "staff"):
            with self.assertRaisesRegex(
                UserError, "created with her|not allowed to create"
            ):
                self.env["integration.participant"].with_user(
                    self.role_users[role]
                ).create(
                    {
                        "name": "Übernahme",
                        "program_id": self.program.id,
                        "partner_id": admin_partner.id,
                    }
                )

    def test_onchange_reveals_nothing_of_another_contact(self):
        admin_partner = self.env.ref("base.user_admin").partner_id
        admin_partner.phone = "+49 000 geheim"
        spec = {"partner_id": {}, "email": {}, "phone": {}, "city": {}}
        for role in ("coach1", "staff"):
            participants = self.env["integration.participant"].with_user(
                self.role_users[role]
            )
            # Coaches register nobody: they only edit their participants.
            records = [self.own.with_user(self.role_users[role])]
            if role == "staff":
                records.append(participants)
            for record in records:
                result = record.onchange(
                    {"partner_id": admin_partner.id, "name": "X"},
                    ["partner_id"],
                    spec,
                )
                shown = str(result)
                self.assertNotIn(admin_partner.email or "@@", shown)
                self.assertNotIn("geheim", shown)


@tagged("post_install", "-at_install")
class TestNoMoveToAnotherOrganisation(OrganisationsCase):
    def test_coach_cannot_move_a_consent_to_another_participant(self):
        consent = self.own.consent_ids
        with self.assertRaises(AccessError):
            consent.with_user(self.role_users["coach1"]).participant_id = self.other
        self.assertEqual(consent.participant_id, self.own)

    def test_coach_cannot_move_her_participant_to_another_provider(self):
        own = self.own.with_user(self.role_users["coach1"])
        with self.assertRaises(AccessError):
            own.provider_id = self.orgs["provider2"]
        self.assertEqual(self.own.provider_id, self.orgs["provider1"])

    def test_coach_cannot_move_a_session_to_another_provider(self):
        session = self.own.session_ids
        with self.assertRaises(AccessError):
            session.with_user(self.role_users["coach1"]).provider_id = self.orgs[
                "provider2"
            ]
        with self.assertRaises(AccessError):
            session.with_user(self.role_users["coach1"]).coach_id = self.role_users[
                "coach2"
            ]
        self.assertEqual(session.provider_id, self.orgs["provider1"])

    def test_coach_cannot_move_enrolments_or_placements_away(self):
        coach = self.role_users["coach1"]
        enrollment = self.own.enrollment_ids.with_user(coach)
        with self.assertRaises(AccessError):
            enrollment.participant_id = self.other
        placement = self.own.placement_ids.with_user(coach)
        with self.assertRaises(AccessError):
            placement.participant_id = self.other
        self.assertEqual(self.own.enrollment_ids.participant_id, self.own)
        self.assertEqual(self.own.placement_ids.participant_id, self.own)

    def test_every_model_declares_its_visibility_fields(self):
        for model in (
            "integration.participant",
            "integration.coaching.session",
            "integration.consent",
            "integration.enrollment",
            "integration.placement",
            "integration.coaching.assignment",
        ):
            records = self.env[model]
            self.assertIsInstance(
                records, type(self.env["integration.organisation.access"])
            )
            self.assertTrue(records._organisation_access_fields)
            for name in records._organisation_access_fields:
                self.assertIn(name, records._fields)

    def test_session_notes_stay_with_the_provider_that_wrote_them(self):
        session = self.own.session_ids
        self.own.with_user(self.staff).coach_id = self.role_users["coach2"]
        self.assertEqual(self.own.provider_id, self.orgs["provider2"])
        new_coach = self.role_users["coach2"]
        sessions = self.env["integration.coaching.session"].with_user(new_coach)
        self.assertFalse(sessions.search([("id", "=", session.id)]))
        with self.assertRaises(AccessError):
            session.with_user(new_coach).read(["notes"])
        # Her new coach's own sessions are hers to read.
        own_session = sessions.create(
            {"participant_id": self.own.id, "notes": "<p>Neu</p>"}
        )
        self.assertEqual(own_session.provider_id, self.orgs["provider2"])
        self.assertIn("Neu", own_session.notes)


@tagged("post_install", "-at_install")
class TestBadInput(OrganisationsCase):
    def assertUnchanged(self, participant, name, number=None):
        participant.invalidate_recordset()
        self.assertEqual(participant.name, name)
        self.assertEqual(participant.partner_id.name, name)
        if number is not None:
            self.assertEqual(participant.jobcenter_customer_number, number)

    def test_non_text_names_and_numbers_are_refused(self):
        staff_model = self.env["integration.participant"].with_user(self.staff)
        for value in (42, ["Amal"], {"a": 1}, 3.5, True):
            for field in ("name", "jobcenter_customer_number"):
                vals = {"name": "Amal", "program_id": self.program.id, field: value}
                with self.assertRaisesRegex(ValidationError, "please enter text"):
                    staff_model.create(vals)
                with self.assertRaisesRegex(ValidationError, "please enter text"):
                    self.own.with_user(self.staff).write({field: value})
        self.assertUnchanged(self.own, "Hawa Eins")

    def test_blank_names_are_refused(self):
        staff_model = self.env["integration.participant"].with_user(self.staff)
        for blank in ("", "   ", "\t\n", "\u200b\u200b", " \u200d\ufeff\u2060 "):
            with self.assertRaisesRegex(ValidationError, "enter the name"):
                staff_model.create({"name": blank, "program_id": self.program.id})
            with self.assertRaisesRegex(ValidationError, "enter the name"):
                self.own.with_user(self.staff).write({"name": blank})
        self.assertUnchanged(self.own, "Hawa Eins")
        amal = staff_model.create(
            {"name": " Amal\u200b  Test\t", "program_id": self.program.id}
        )
        self.assertEqual((amal.name, amal.partner_id.name), ("Amal Test", "Amal Test"))

    def test_sizes_are_bounded(self):
        staff_model = self.env["integration.participant"].with_user(self.staff)
        with self.assertRaisesRegex(ValidationError, "at most 128 characters"):
            staff_model.create({"name": "A" * 5000, "program_id": self.program.id})
        with self.assertRaisesRegex(ValidationError, "at most 30 characters"):
            self.own.with_user(self.staff).write(
                {"jobcenter_customer_number": "1" * 31}
            )
        with self.assertRaisesRegex(ValidationError, "at most 100000 characters"):
            self.own.with_user(self.staff).write({"note": "x" * 20_000_000})
        with self.assertRaisesRegex(ValidationError, "at most 100000 characters"):
            self.own.session_ids.with_user(self.role_users["coach1"]).write(
                {"notes": "x" * 200_000}
            )
        self.assertUnchanged(self.own, "Hawa Eins")
        self.assertIn("Confidential note 1", self.own.note)

    def test_attachments_respect_the_size_setting(self):
        self.env["ir.config_parameter"].set_param(
            "integration_program.attachment_max_mb", 1
        )
        big = b"%PDF" + b"0" * (1024 * 1024 + 10)
        consent = self.own.consent_ids.with_user(self.staff)
        with self.assertRaisesRegex(ValidationError, "larger than 1.0 MB"):
            consent.write({"document": base64.b64encode(big)})
        self.assertFalse(consent.document)
        attachments = self.env["ir.attachment"].with_user(self.staff)
        with self.assertRaisesRegex(ValidationError, "larger than 1.0 MB"):
            attachments.create(
                {
                    "name": "scan.pdf",
                    "raw": big,
                    "res_model": "integration.participant",
                    "res_id": self.own.id,
                }
            )
        # Uploaded in the chatter first, then attached to her record.
        upload = attachments.create({"name": "scan.pdf", "raw": big})
        with self.assertRaisesRegex(ValidationError, "larger than 1.0 MB"):
            upload.write(
                {"res_model": "integration.participant", "res_id": self.own.id}
            )
        small = attachments.create(
            {
                "name": "ok.pdf",
                "raw": b"%PDF small",
                "res_model": "integration.participant",
                "res_id": self.own.id,
            }
        )
        self.assertTrue(small)

    def test_huge_search_term_is_quick(self):
        participants = self.env["integration.participant"].with_user(self.staff)
        start = time.monotonic()
        self.assertFalse(participants.name_search("x" * 1_000_000))
        self.assertLess(time.monotonic() - start, 2)

    def test_numbers_in_range(self):
        course = self.courses["school1"]
        for vals, message in (
            ({"seats_max": 2**31}, "too big"),
            ({"seats_max": 2**31 - 1}, "between 0 and 10000 seats"),
            ({"seats_max": -1}, "between 0 and 10000 seats"),
            ({"cohort_number": -3}, "cohort number"),
        ):
            with self.assertRaisesRegex(ValidationError, message):
                course.write(vals)
            self.env.invalidate_all(flush=False)
        self.assertEqual(course.seats_max, 10)

    def test_clear_messages_for_a_wrong_coach(self):
        own = self.own.with_user(self.staff)
        with self.assertRaisesRegex(ValidationError, "is not a coach"):
            own.coach_id = self.staff
        with self.assertRaisesRegex(ValidationError, "choose an entry"):
            own.write({"coach_id": "User coach2"})
        self.assertEqual(self.own.coach_id, self.role_users["coach1"])


@tagged("post_install", "-at_install")
class TestSeatsAndHistory(OrganisationsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.full = cls.courses["school2"]
        cls.full.seats_max = 1  # taken by "other"

    def test_moving_an_enrolment_into_a_full_course_is_refused(self):
        enrollment = self.own.enrollment_ids
        with self.assertRaisesRegex(ValidationError, "no free seat"):
            enrollment.with_user(self.staff).course_id = self.full
        self.assertEqual(self.full.seats_taken, 1)

    def test_no_enrolment_into_a_cancelled_course(self):
        enrollment = self.own.enrollment_ids
        course = self.courses["school1"]
        enrollment.with_user(self.staff).state = "dropped"
        course.action_cancel()
        with self.assertRaisesRegex(UserError, "no one can be enrolled"):
            enrollment.with_user(self.staff).state = "enrolled"
        with self.assertRaisesRegex(UserError, "no one can be enrolled"):
            self.other.enrollment_ids.with_user(self.staff).course_id = course
        self.assertEqual(self.other.enrollment_ids.course_id, self.full)

    def test_completed_enrolments_take_their_seat(self):
        with self.assertRaisesRegex(ValidationError, "no free seat"):
            self.env["integration.enrollment"].with_user(self.staff).create(
                {
                    "participant_id": self.own.id,
                    "course_id": self.full.id,
                    "state": "completed",
                }
            )
        self.assertEqual(self.full.seats_taken, 1)

    def test_courses_with_enrolments_are_archived_not_deleted(self):
        course = self.courses["school1"]
        enrollment = self.own.enrollment_ids
        enrollment.write({"state": "completed", "certificate_obtained": True})
        with self.assertRaisesRegex(UserError, "archive the course"):
            course.with_user(self.manager).unlink()
        self.assertTrue(enrollment.exists())
        course.with_user(self.manager).action_archive()
        self.assertFalse(course.active)
        self.assertTrue(enrollment.exists())


@tagged("post_install", "-at_install")
class TestCoachArchiving(OrganisationsCase):
    def test_coach_with_participants_is_archived_through_the_wizard(self):
        coach = self.role_users["coach1"]
        with self.assertRaisesRegex(UserError, "Archive Coach"):
            coach.action_archive()
        self.assertTrue(coach.active)
        colleague = new_test_user(
            self.env,
            login="test_colleague1",
            name="Kollegin Nord",
            groups="integration_program.group_coach",
        )
        colleague.partner_id.parent_id = self.orgs["provider1"]
        colleague.integration_capacity = 5
        action = coach.action_open_integration_archive_wizard()
        wizard = (
            self.env[action["res_model"]].with_context(**action["context"]).create({})
        )
        self.assertEqual(wizard.line_ids.participant_id, self.own)
        self.assertEqual(wizard.line_ids.new_coach_id, colleague)
        wizard.action_archive_coach()
        self.assertFalse(coach.active)
        self.assertEqual(self.own.coach_id, colleague)
        open_assignments = self.own.assignment_ids.filtered("is_current")
        self.assertEqual(open_assignments.coach_id, colleague)


@tagged("post_install", "-at_install")
class TestOneParticipantPerCustomerNumber(OrganisationsCase):
    def test_unique_index_gives_the_clear_message(self):
        self.own.jobcenter_customer_number = "123D456"
        with self.assertRaisesRegex(ValidationError, "already exists: Hawa Eins"):
            self.create_participant("Zweite", jobcenter_customer_number="123d 456")
        # The index message, when the check cannot see the other row.
        model = self.env["integration.participant"]
        index = model._table_objects["integration_participant_customer_number_uniq"]

        class Diag:
            message_detail = "Key (jobcenter_customer_number)=(123D456) already exists."

        self.assertIn("already exists: Hawa Eins", index.message(self.env, Diag()))
        self.assertIn(
            "contact the programme staff",
            index.message(self.env(user=self.role_users["jobcenter1"]), Diag()),
        )


@tagged("post_install", "-at_install")
class TestConcurrentReferrals(TransactionCase):
    """Four referrals of one woman at the same moment: one participant."""

    def test_one_participant_per_customer_number(self):
        with committed_env(self.registry) as env:
            program = env["integration.program"].create(
                {"name": "Concurrent Referrals", "code": "CREF"}
            )
            program_id = program.id

        def refer(number):
            return lambda env: (
                env["integration.participant"]
                .create(
                    {
                        "name": f"Racer {number}",
                        "program_id": program_id,
                        "jobcenter_customer_number": "987X654",
                    }
                )
                .id
            )

        try:
            outcomes = run_concurrently(
                self.registry, *(refer(number) for number in range(4))
            )
            created = [o for o in outcomes if isinstance(o, int)]
            refused = [o for o in outcomes if isinstance(o, ValidationError)]
            self.assertEqual((len(created), len(refused)), (1, 3), outcomes)
            for error in refused:
                self.assertIn("already exists", str(error))
            with committed_env(self.registry) as env:
                self.assertEqual(
                    env["integration.participant"]
                    .with_context(active_test=False)
                    .search_count([("jobcenter_customer_number", "=", "987X654")]),
                    1,
                )
        finally:
            with committed_env(self.registry) as env:
                participants = (
                    env["integration.participant"]
                    .with_context(active_test=False)
                    .search([("program_id", "=", program_id)])
                )
                partners = participants.partner_id
                participants.unlink()
                partners.unlink()
                env["integration.program"].browse(program_id).unlink()
