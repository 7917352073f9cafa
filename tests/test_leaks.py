"""Nothing of another organisation's participant leaks, through any path."""

from odoo.exceptions import AccessError, UserError

from .common import OrganisationsCase

OUTSIDERS = ("coach2",)
# Jobcenters and training partners are portal users: the addon's models are closed
# to them (their pages are tested in test_portal.py).
PORTAL_ROLES = ("jobcenter1", "jobcenter2", "school1", "school2")
# So are the participants' own logins (their pages: test_participant_portal.py).
PARTICIPANT_ROLES = ("participant1", "participant2")


class TestLeaks(OrganisationsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own.message_post(
            body="Internal remark about Hawa", subtype_xmlid="mail.mt_note"
        )
        cls.own.message_post(
            body="Public news of Hawa", subtype_xmlid="mail.mt_comment"
        )
        cls.attachment = cls.env["ir.attachment"].create(
            {
                "name": "cv-hawa.pdf",
                "raw": b"%PDF- Hawa's CV",
                "res_model": "integration.participant",
                "res_id": cls.own.id,
            }
        )
        cls.activity = cls.own.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Call Hawa about her exam",
            user_id=cls.role_users["coach1"].id,
        )

    def _participants(self, role):
        return self.env["integration.participant"].with_user(self.role_users[role])

    def test_search_and_read(self):
        for role in OUTSIDERS:
            participants = self._participants(role)
            self.assertNotIn(self.own, participants.search([]), f"{role}: search")
            with self.assertRaises(AccessError, msg=f"{role}: read"):
                self.own.with_user(self.role_users[role]).read(["name"])
        self.assertIn(self.own, self._participants("coach1").search([]))

    def test_portal_logins_reach_no_model_of_the_addon(self):
        models = [name for name in self.env if name.startswith("integration.")]
        self.assertGreater(len(models), 20)
        for role in PORTAL_ROLES + PARTICIPANT_ROLES:
            user = self.role_users[role]
            self.assertTrue(user.share, f"{role} is a portal user")
            for model in models:
                for operation in ("read", "write", "create", "unlink"):
                    self.assertFalse(
                        self.env[model].with_user(user).has_access(operation),
                        f"{role} may {operation} {model}",
                    )
            with self.assertRaises(AccessError, msg=role):
                self._participants(role).search([])

    def test_group_counts_match_the_visible_records(self):
        for role, expected in (
            ("coach1", 1),
            ("coach2", 1),
        ):
            participants = self._participants(role)
            groups = participants.web_read_group(
                [("program_id", "=", self.program.id)],
                ["stage_id"],
                ["__count"],
            )["groups"]
            counted = sum(group["__count"] for group in groups)
            visible = participants.search_count([("program_id", "=", self.program.id)])
            self.assertEqual(counted, visible, f"{role}: kanban column counts")
            self.assertEqual(visible, expected, f"{role} sees her organisation's")

    def test_name_search_and_autocomplete(self):
        for role in OUTSIDERS:
            self.assertFalse(
                self._participants(role).name_search("Hawa Eins"),
                f"{role}: name_search",
            )

    def test_export(self):
        # Partner organisations' logins cannot export at all; staff can.
        for role in ("coach1",):
            with self.assertRaises(UserError, msg=f"{role} exports"):
                self._participants(role).search([]).export_data(["name"])
        rows = self._participants("staff").search([]).export_data(["name"])["datas"]
        self.assertIn(["Hawa Eins"], rows)

    def test_chatter_messages_and_attachments(self):
        messages = self.env["mail.message"]
        own_messages = [("model", "=", self.own._name), ("res_id", "=", self.own.id)]
        for role in OUTSIDERS:
            user = self.role_users[role]
            self.assertFalse(messages.with_user(user).search(own_messages), role)
            note = messages.search(
                [*own_messages, ("body", "ilike", "Internal remark")]
            )
            with self.assertRaises(AccessError, msg=f"{role} reads a message"):
                note.with_user(user).read(["body"])
            self.assertFalse(
                self.env["ir.attachment"]
                .with_user(user)
                .search([("name", "=", "cv-hawa.pdf")]),
                role,
            )
            with self.assertRaises(AccessError, msg=f"{role} reads an attachment"):
                self.attachment.with_user(user).read(["raw"])
        # Her coach sees both.
        coach_bodies = (
            messages.with_user(self.role_users["coach1"])
            .search(own_messages)
            .mapped("body")
        )
        self.assertTrue(any("Internal remark" in body for body in coach_bodies))

    def test_activity_lists(self):
        for role in OUTSIDERS:
            activities = self.env["mail.activity"].with_user(self.role_users[role])
            self.assertNotIn(self.activity, activities.search([]), role)
        # Nobody can give an activity on her to someone who may not see her.
        with self.assertRaises(AccessError):
            self.own.with_user(self.staff).activity_schedule(
                "mail.mail_activity_data_todo", user_id=self.role_users["coach2"].id
            )

    def test_followers_and_notifications(self):
        coach1, coach2 = self.role_users["coach1"], self.role_users["coach2"]
        self.assertIn(coach1.partner_id, self.own.message_partner_ids)
        # Somebody who may not see her is never made a follower.
        self.own.message_subscribe(partner_ids=coach2.partner_id.ids)
        self.assertNotIn(coach2.partner_id, self.own.message_partner_ids)
        # When she changes provider, her former coach stops getting her news.
        self.own.with_context(integration_capacity_override=True).with_user(
            self.manager
        ).coach_id = coach2
        self.assertNotIn(coach1.partner_id, self.own.message_partner_ids)
        self.assertIn(coach2.partner_id, self.own.message_partner_ids)
        message = self.own.message_post(
            body="News after the change", subtype_xmlid="mail.mt_comment"
        )
        self.assertNotIn(coach1.partner_id, message.notification_ids.res_partner_id)
        with self.assertRaises(AccessError):
            self.own.with_user(coach1).read(["name"])

    def test_reports(self):
        caseloads = self.env["integration.caseload.report"].with_user(
            self.role_users["coach2"]
        )
        self.assertNotIn(
            self.role_users["coach1"], caseloads.search([]).mapped("coach_id")
        )
        analysis = self._participants("coach2")._read_group(
            [], ["milestone"], ["__count"]
        )
        self.assertEqual(sum(count for _milestone, count in analysis), 1)

    def test_restricted_logins_see_only_the_integration_app(self):
        root = self.env.ref("integration_program.menu_integration_root")
        menus = self.env["ir.ui.menu"]
        discuss = self.env.ref("mail.menu_root_discuss")
        for role in PORTAL_ROLES + PARTICIPANT_ROLES:
            self.assertFalse(menus.with_user(self.role_users[role]).has_access("read"))
        for role in ("coach1",):
            visible = menus.with_user(self.role_users[role])._visible_menu_ids()
            self.assertIn(root.id, visible, role)
            self.assertNotIn(discuss.id, visible, role)
            outside = menus.browse(visible).filtered(
                lambda menu, root=root: not menu.parent_path.startswith(f"{root.id}/")
            )
            self.assertFalse(outside, f"{role} sees {outside.mapped('complete_name')}")
        self.assertIn(discuss.id, menus.with_user(self.staff)._visible_menu_ids())

    def test_no_private_contacts_or_public_channels(self):
        for role in PORTAL_ROLES:
            partners = self.env["res.partner"].with_user(self.role_users[role])
            self.assertNotIn(self.own.partner_id, partners.search([]), role)
            self.assertNotIn(self.other.partner_id, partners.search([]), role)
            self.assertFalse(partners.name_search("Hawa"), role)
        # A woman's own login finds her own contact, no one else's.
        for role, herself, other in (
            ("participant1", self.own, self.other),
            ("participant2", self.other, self.own),
        ):
            partners = self.env["res.partner"].with_user(self.role_users[role])
            self.assertEqual(partners.search([]), herself.partner_id, role)
            self.assertFalse(partners.name_search(other.name), role)
            self.assertFalse(partners.name_search("Hawa Ohne"), role)
        for role in ("coach1",):
            user = self.role_users[role]
            partners = self.env["res.partner"].with_user(user)
            # The other organisation's participant's contact stays hidden.
            self.assertNotIn(self.other.partner_id, partners.search([]), role)
            self.assertFalse(partners.name_search("Hawa Zwei"), role)
            self.assertIn(self.orgs["provider2"], partners.search([]), role)
            channel = self.env["discuss.channel"].create({"name": "team channel"})
            self.assertNotIn(
                channel, self.env["discuss.channel"].with_user(user).search([]), role
            )
        self.assertIn(
            self.own.partner_id,
            self.env["res.partner"].with_user(self.staff).search([]),
        )


class TestReferralsAndConsent(OrganisationsCase):
    def test_consent_needs_recipients_and_sane_dates(self):
        consents = self.env["integration.consent"]
        with self.assertRaises(UserError), self.env.cr.savepoint():
            consents.create(
                {"participant_id": self.other.id, "purpose": "data_sharing"}
            )
        with self.assertRaises(UserError), self.env.cr.savepoint():
            consents.create(
                {
                    "participant_id": self.other.id,
                    "recipient_ids": [(6, 0, self.orgs["jobcenter2"].ids)],
                    "date_given": "2026-01-10",
                    "date_withdrawn": "2026-01-01",
                }
            )


class TestInvitation(OrganisationsCase):
    def _invite(self, **values):
        return (
            self.env["integration.user.invite.wizard"]
            .with_user(self.manager)
            .create({"name": "Lea Neu", "email": "lea@coaching-nord.example", **values})
            .action_invite()
        )

    def test_invited_coach_gets_a_restricted_login(self):
        self._invite(
            organisation_id=self.orgs["provider1"].id, role="coach", capacity=12
        )
        user = self.env["res.users"].search(
            [("login", "=", "lea@coaching-nord.example")]
        )
        self.assertTrue(user.has_group("integration_program.group_coach"))
        self.assertFalse(user.has_group("integration_program.group_user"))
        self.assertEqual(user.partner_id.commercial_partner_id, self.orgs["provider1"])
        self.assertEqual(user.integration_provider_id, self.orgs["provider1"])
        self.assertEqual(user.integration_capacity, 12)
        self.assertIn(
            self.own, self.env["integration.participant"].with_user(user).search([])
        )
        self.assertNotIn(
            self.other, self.env["integration.participant"].with_user(user).search([])
        )

    def test_invited_jobcenter_and_school_get_portal_logins(self):
        for role, organisation, email in (
            ("jobcenter", "jobcenter1", "case@jobcenter-ost.example"),
            ("training_partner", "school1", "teacher@pflegeschule.example"),
        ):
            self._invite(
                organisation_id=self.orgs[organisation].id, role=role, email=email
            )
            user = self.env["res.users"].search([("login", "=", email)])
            self.assertTrue(user.share, f"{role}: a portal login")
            self.assertTrue(user.has_group("base.group_portal"), role)
            self.assertFalse(user.has_group("base.group_user"), role)
            self.assertFalse(
                self.env["integration.participant"].with_user(user).has_access("read")
            )

    def test_invitation_errors(self):
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self._invite(organisation_id=self.orgs["school1"].id, role="coach")
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self._invite(
                organisation_id=self.orgs["school1"].id,
                role="training_partner",
                email=self.role_users["school1"].login,
            )
        with self.assertRaises(AccessError):
            self.env["integration.user.invite.wizard"].with_user(self.staff).create(
                {
                    "name": "X",
                    "email": "x@example.com",
                    "organisation_id": self.orgs["school1"].id,
                }
            )


class TestCoachWork(OrganisationsCase):
    def test_nobody_moves_records_into_another_organisation(self):
        coach1 = self.role_users["coach1"]
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.own.session_ids.with_user(coach1).write(
                {"participant_id": self.other.id}
            )
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.own.with_user(coach1).with_context(
                integration_capacity_override=True
            ).write({"coach_id": self.role_users["coach2"].id})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.own.placement_ids.with_user(coach1).write(
                {"participant_id": self.other.id}
            )
        self.assertEqual(self.own.coach_id, coach1)
        self.assertEqual(len(self.own.session_ids), 1)

    def test_contacts_of_the_participants_one_works_with(self):
        partners = self.env["res.partner"]
        self.assertIn(
            self.own.partner_id,
            partners.with_user(self.role_users["coach1"]).search([]),
        )
        for role in ("coach2", *PORTAL_ROLES):
            self.assertNotIn(
                self.own.partner_id,
                partners.with_user(self.role_users[role]).search([]),
                f"{role} sees her contact",
            )

    def test_coach_enrols_her_participant_and_the_confirmation_goes_out(self):
        course = self.env["integration.course"].create(
            {
                "program_id": self.program.id,
                "course_type_id": self.courses["school1"].course_type_id.id,
                "date_start": "2026-03-02",
                "seats_max": 5,
                "organizer_ids": [(6, 0, self.orgs["school2"].ids)],
            }
        )
        enrollment = (
            self.env["integration.enrollment"]
            .with_user(self.role_users["coach1"])
            .create({"participant_id": self.own.id, "course_id": course.id})
        )
        self.assertEqual(enrollment.state, "enrolled")
        confirmation = enrollment.sudo().message_ids.filtered(
            lambda message: self.own.partner_id in message.partner_ids
        )
        self.assertTrue(confirmation, "the participant gets her confirmation")
