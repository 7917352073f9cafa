from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import IntegrationCase


@tagged("post_install", "-at_install")
class TestDuplicates(IntegrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.existing = cls.create_participant(
            name="Fatima Rahimi",
            birthdate="1991-02-03",
            jobcenter_customer_number="408D123456",
        )

    def test_same_jobcenter_number_is_refused_naming_the_record(self):
        with self.assertRaisesRegex(
            ValidationError,
            r"408D123456 already exists: Fatima Rahimi \(Test Programme\)",
        ):
            self.create_participant(
                name="Fatima R.", jobcenter_customer_number=" 408d 123456 "
            )

    def test_same_name_and_birthdate_is_refused(self):
        with self.assertRaisesRegex(
            ValidationError, "Fatima Rahimi, born on 1991-02-03"
        ):
            self.create_participant(name="fatima  RAHIMI", birthdate="1991-02-03")

    def test_archived_participant_still_counts(self):
        self.existing.action_archive()
        with self.assertRaisesRegex(ValidationError, "already registered"):
            self.create_participant(name="Fatima Rahimi", birthdate="1991-02-03")

    def test_namesake_with_other_birthdate_is_accepted(self):
        namesake = self.create_participant(name="Fatima Rahimi", birthdate="1995-08-09")
        self.assertTrue(namesake.exists())

    def test_editing_into_a_duplicate_leaves_the_record_unchanged(self):
        other = self.create_participant(
            name="Zahra Ahmadi", jobcenter_customer_number="408D999999"
        )
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            other.write({"jobcenter_customer_number": "408D123456"})
        other.invalidate_recordset()
        self.assertEqual(other.jobcenter_customer_number, "408D999999")
