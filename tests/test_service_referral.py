from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form

from .common import OrganisationsCase


class TestServiceReferral(OrganisationsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.debt_type = cls.env.ref("integration_program.service_type_debt")
        cls.service = cls.env["res.partner"].create(
            {
                "name": "Schuldnerberatung Mitte",
                "is_company": True,
                "is_integration_service": True,
                "integration_service_type_id": cls.debt_type.id,
            }
        )
        cls.today = fields.Date.context_today(cls.env["integration.service.referral"])
        cls.Referral = cls.env["integration.service.referral"]

    def _refer(self, user=None, **values):
        return self.Referral.with_user(user or self.role_users["coach1"]).create(
            {"participant_id": self.own.id, "service_id": self.service.id, **values}
        )

    def test_follow_up_date_from_the_type_of_service(self):
        form = Form(self.Referral.with_user(self.role_users["coach1"]))
        form.participant_id = self.own
        form.service_id = self.service
        referral = form.save()
        self.assertEqual(referral.status, "referred")
        self.assertEqual(
            referral.followup_date,
            self.today + timedelta(days=self.debt_type.followup_days),
        )
        self.assertFalse(referral.is_overdue)
        self.assertEqual(self.own.service_referral_count, 1)

    def test_overdue_flags_and_filter(self):
        long_ago = self.today - timedelta(days=30)
        overdue = self._refer(date=long_ago, followup_date=long_ago + timedelta(days=7))
        in_contact = self._refer(
            date=long_ago,
            followup_date=self.today - timedelta(days=1),
            status="in_contact",
        )
        due_today = self._refer(date=long_ago, followup_date=self.today)
        completed = self._refer(date=long_ago, followup_date=long_ago, status="done")
        cancelled = self._refer(date=long_ago, followup_date=long_ago)
        cancelled.action_cancel()
        mine = overdue | in_contact | due_today | completed | cancelled
        self.assertEqual(mine.filtered("is_overdue"), overdue | in_contact)
        self.assertEqual(
            self.Referral.search([("id", "in", mine.ids), ("is_overdue", "=", True)]),
            overdue | in_contact,
        )
        self.assertEqual(
            self.Referral.search([("id", "in", mine.ids), ("is_overdue", "=", False)]),
            due_today | completed | cancelled,
        )
        overdue.action_done()
        self.assertFalse(overdue.is_overdue)
        # Followed up with a new date: no longer overdue.
        in_contact.followup_date = self.today + timedelta(days=7)
        self.assertFalse(in_contact.is_overdue)

    def test_bad_input_refused(self):
        with self.assertRaises(ValidationError):
            self._refer(followup_date=self.today - timedelta(days=1))
        with self.assertRaises(ValidationError):
            self._refer(date=self.today + timedelta(days=10))
        with self.assertRaises(ValidationError):
            self._refer(service_id=self.orgs["school1"].id)

    def test_coaches_see_only_their_providers_referrals(self):
        referral = self._refer(reason="Debts from a phone contract")
        coach2 = self.role_users["coach2"]
        self.assertFalse(
            self.Referral.with_user(coach2).search([("id", "=", referral.id)])
        )
        with self.assertRaises(AccessError):
            referral.with_user(coach2).read(["reason"])
        with self.assertRaises(AccessError):
            self._refer(user=coach2)
        for role in ("jobcenter1", "school1"):
            with self.assertRaises(AccessError, msg=role):
                referral.with_user(self.role_users[role]).read(["status"])
