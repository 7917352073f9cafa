"""Odoo's internal surface, closed for coaches and unchanged for everybody else:
one test per leak of security/integration_internal_surface_rules.xml and the
overrides beside it."""

from odoo.exceptions import AccessError

from .common import OrganisationsCase, new_test_user


class TestInternalSurface(OrganisationsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coach1 = cls.role_users["coach1"]
        cls.outsider = new_test_user(
            cls.env, login="test_surface_outsider", groups="base.group_user"
        )
        # A note on the other provider's participant, which notifies staff.
        cls.other_note = cls.other.message_post(
            body="Hawa Zwei moved house",
            subject="Hawa Zwei: new address",
            subtype_xmlid="mail.mt_comment",
            partner_ids=cls.staff.partner_id.ids,
        )

    def _as(self, user, model):
        return self.env[model].with_user(user)

    def test_notifications_of_others_stay_hidden(self):
        notification = self.other_note.notification_ids
        self.assertTrue(notification)
        notifications = self._as(self.coach1, "mail.notification")
        self.assertFalse(notifications.search([("id", "in", notification.ids)]))
        with self.assertRaises(AccessError):
            notification.with_user(self.coach1).read(["mail_message_id"])
        # Her own notifications she reads; staff and outsiders read as before.
        own = self.own.message_post(
            body="For the coach",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.coach1.partner_id.ids,
        ).notification_ids
        self.assertTrue(notifications.search([("id", "in", own.ids)]))
        for user in (self.staff, self.outsider):
            self.assertTrue(
                self._as(user, "mail.notification").search(
                    [("id", "in", notification.ids)]
                )
            )

    def test_followers_of_unreadable_records_stay_hidden(self):
        followers = self.other.message_follower_ids
        self.assertIn(self.role_users["coach2"].partner_id, followers.partner_id)
        as_coach = self._as(self.coach1, "mail.followers")
        self.assertFalse(as_coach.search([("id", "in", followers.ids)]))
        self.assertFalse(
            as_coach.search(
                [
                    ("res_model", "=", "integration.participant"),
                    ("res_id", "=", self.other.id),
                ]
            )
        )
        with self.assertRaises(AccessError):
            followers.with_user(self.coach1).read(["name"])
        # The followers of her own participant she sees.
        self.assertEqual(
            as_coach.search(
                [
                    ("res_model", "=", "integration.participant"),
                    ("res_id", "=", self.own.id),
                ]
            ),
            self.own.message_follower_ids,
        )
        self.assertTrue(
            self.own.with_user(self.coach1).message_follower_ids.read(["name"])
        )
        for user in (self.staff, self.outsider):
            self.assertEqual(
                self._as(user, "mail.followers").search([("id", "in", followers.ids)]),
                followers,
            )

    def test_members_of_channels_she_never_joined_stay_hidden(self):
        channel = self.env["discuss.channel"].create({"name": "Stadt intern"})
        channel._add_members(users=self.staff)
        members = channel.channel_member_ids
        self.assertFalse(
            self._as(self.coach1, "discuss.channel.member").search(
                [("id", "in", members.ids)]
            )
        )
        for user in (self.staff, self.outsider):
            self.assertEqual(
                self._as(user, "discuss.channel.member").search(
                    [("id", "in", members.ids)]
                ),
                members,
            )

    def test_coaches_join_no_channel_for_all_employees(self):
        general = self.env.ref("mail.channel_all_employees", raise_if_not_found=False)
        if not general:
            general = self.env["discuss.channel"].create(
                {
                    "name": "all",
                    "group_ids": [(6, 0, self.env.ref("base.group_user").ids)],
                }
            )
            general._subscribe_users_automatically()
        self.assertIn(self.staff.partner_id, general.channel_member_ids.partner_id)
        self.assertNotIn(self.coach1.partner_id, general.channel_member_ids.partner_id)

    def test_bank_accounts_of_other_contacts_stay_hidden(self):
        bank = self.env["res.partner.bank"].create(
            {
                "acc_number": "DE02120300000000202051",
                "partner_id": self.other.partner_id.id,
            }
        )
        staff_bank = self.env["res.partner.bank"].create(
            {
                "acc_number": "DE02500105170137075030",
                "partner_id": self.staff.partner_id.id,
            }
        )
        accounts = self._as(self.coach1, "res.partner.bank")
        self.assertFalse(accounts.search([("id", "in", (bank | staff_bank).ids)]))
        with self.assertRaises(AccessError):
            bank.with_user(self.coach1).read(["acc_number"])
        for user in (self.staff, self.outsider):
            self.assertEqual(
                self._as(user, "res.partner.bank").search(
                    [("id", "in", (bank | staff_bank).ids)]
                ),
                bank | staff_bank,
            )

    def test_other_providers_coaches_and_contact_chatter_stay_hidden(self):
        coach2 = self.role_users["coach2"]
        self.assertFalse(
            self._as(self.coach1, "res.users").search([("id", "=", coach2.id)])
        )
        self.assertFalse(
            self._as(self.coach1, "res.partner").search(
                [("id", "=", coach2.partner_id.id)]
            )
        )
        # Staff users and her own colleagues she sees.
        self.assertTrue(
            self._as(self.coach1, "res.users").search([("id", "=", self.staff.id)])
        )
        self.assertTrue(
            self._as(self.coach1, "res.partner").search(
                [("id", "=", self.staff.partner_id.id)]
            )
        )
        note = self.staff.partner_id.message_post(body="Petra on leave")
        self.assertFalse(
            self._as(self.coach1, "mail.message").search([("id", "=", note.id)])
        )
        # ... and cannot search contacts by it either.
        self.assertFalse(
            self._as(self.coach1, "res.partner").search_count(
                [("message_ids.body", "ilike", "Petra on leave")]
            )
        )
        for user in (self.staff, self.outsider):
            self.assertTrue(
                self._as(user, "res.users").search([("id", "=", coach2.id)])
            )
            self.assertTrue(
                self._as(user, "mail.message").search([("id", "=", note.id)])
            )
            self.assertEqual(
                self._as(user, "res.partner").search_count(
                    [("message_ids.body", "ilike", "Petra on leave")]
                ),
                1,
            )

    def test_searching_messages_and_activities_counts_only_readable_ones(self):
        # An activity for staff on a course: a coach reads the course, not the
        # activity (activities need the right to post on the document).
        course = self.courses["school2"]
        activity = course.activity_schedule(
            "mail.mail_activity_data_todo",
            note="Secret planning with Hawa Zwei",
            user_id=self.staff.id,
        )
        courses = self._as(self.coach1, "integration.course")
        self.assertFalse(
            self._as(self.coach1, "mail.activity").search([("id", "=", activity.id)])
        )
        self.assertEqual(
            courses.search_count([("activity_ids.note", "ilike", "Secret planning")]), 0
        )
        self.assertEqual(
            self._as(self.staff, "integration.course").search_count(
                [("activity_ids.note", "ilike", "Secret planning")]
            ),
            1,
        )
        # Internal notes of a participant: for every role, the participants
        # found by a note's words are those whose note she may read.
        self.own.message_post(
            body="Internal remark xyzzy", subtype_xmlid="mail.mt_note"
        )
        for role in ("coach1", "coach2", "jobcenter1", "school1", "staff"):
            user = self.role_users[role]
            try:
                found = self._as(user, "integration.participant").search_count(
                    [("message_ids.body", "ilike", "xyzzy")]
                )
            except AccessError:
                found = 0
            readable = self._as(user, "mail.message").search(
                [("model", "=", "integration.participant"), ("body", "ilike", "xyzzy")]
            )
            self.assertEqual(found, len(set(readable.mapped("res_id"))), role)

    def test_aggregates_and_order_on_protected_fields_are_refused(self):
        # Staff may not read a session's confidential notes (coaches and
        # managers only): no aggregate, grouping, order or search on them.
        sessions = self._as(self.staff, "integration.coaching.session")
        for attempt in (
            lambda: sessions.formatted_read_group(
                [], ["participant_id"], ["notes:array_agg"]
            ),
            lambda: sessions.formatted_read_group(
                [], ["participant_id"], ["notes:max"]
            ),
            lambda: sessions.formatted_read_group([], ["notes"], ["__count"]),
            lambda: sessions.search([], order="notes"),
            lambda: sessions.search_count([("notes", "ilike", "Session")]),
        ):
            with self.assertRaises(AccessError):
                attempt()
        self.assertTrue(
            self._as(self.coach1, "integration.coaching.session").formatted_read_group(
                [], ["participant_id"], ["notes:array_agg"]
            )
        )

    def test_free_sign_up_is_off(self):
        self.assertEqual(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("auth_signup.invitation_scope"),
            "b2b",
        )
        self.assertNotEqual(
            self.env["res.users"].sudo()._get_signup_invitation_scope(), "b2c"
        )
