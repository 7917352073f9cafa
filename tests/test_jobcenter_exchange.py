"""What goes back to a Jobcenter: the status report and the events it must know
at once, only ever about the women who share their data with it."""

import io
import logging
from datetime import date

import openpyxl

from odoo.tests import tagged

from .common import OrganisationsCase
from .test_portal import PortalCase

FORMULA = "=HYPERLINK(1)"


class ExchangeCase(OrganisationsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.user_admin").sudo().lang = "en_US"
        referrals = cls.env["integration.referral"]
        cls.referral_own = referrals.create(
            {
                "participant_id": cls.own.id,
                "jobcenter_id": cls.orgs["jobcenter1"].id,
                "user_id": cls.role_users["jobcenter1"].id,
                "date": "2026-01-10",
            }
        )
        cls.referral_own.message_subscribe(
            partner_ids=cls.role_users["jobcenter1"].partner_id.ids
        )
        cls.referral_unconsented = referrals.create(
            {
                "participant_id": cls.unconsented.id,
                "jobcenter_id": cls.orgs["jobcenter1"].id,
                "user_id": cls.role_users["jobcenter1"].id,
                "date": "2026-01-11",
            }
        )
        cls.referral_unconsented.message_subscribe(
            partner_ids=cls.role_users["jobcenter1"].partner_id.ids
        )
        # Hawa Zwei shares her data with Jobcenter 1, but Jobcenter 2 referred her.
        cls.env["integration.consent"].create(
            {
                "participant_id": cls.other.id,
                "recipient_ids": [(6, 0, cls.orgs["jobcenter1"].ids)],
            }
        )
        referrals.create(
            {
                "participant_id": cls.other.id,
                "jobcenter_id": cls.orgs["jobcenter2"].id,
                "date": "2026-01-12",
            }
        )
        cls.own.jobcenter_customer_number = "111A000001"
        cls.course = cls.courses["school1"]
        cls.course.name = FORMULA
        cls.enrollment = cls.own.enrollment_ids
        cls.unconsented_enrollment = cls.env["integration.enrollment"].create(
            {"participant_id": cls.unconsented.id, "course_id": cls.course.id}
        )

    def record_days(self, *states, start=2, month=3):
        """Register days of the course: ``states`` for Hawa Eins (and the same
        for the unconsented woman)."""
        for offset, state in enumerate(states):
            course_date = self.env["integration.course.date"].create(
                {
                    "course_id": self.course.id,
                    "date": date(2026, month, start + 7 * offset),
                }
            )
            course_date._record_attendance(
                {self.enrollment.id: state, self.unconsented_enrollment.id: state}
            )

    def jobcenter_messages(self, referral):
        partner = self.role_users["jobcenter1"].partner_id
        return referral.message_ids.filtered(
            lambda message: (
                message.subtype_id == self.env.ref("mail.mt_comment")
                and partner in message.notification_ids.res_partner_id
            )
        )


@tagged("post_install", "-at_install")
class TestStatusReport(ExchangeCase):
    def test_rows_and_columns(self):
        self.record_days("present", "absent", "excused")
        self.record_days("absent", month=4, start=6)
        self.env["integration.placement"].create(
            {
                "participant_id": self.own.id,
                "placement_type": "training",
                "partner_id": self.orgs["school1"].id,
                "date_start": "2026-05-01",
            }
        )
        report = self.env["integration.jobcenter.report"]
        as_of = date(2026, 6, 30)
        rows = report._referral_rows(self.orgs["jobcenter1"], as_of)
        headers = report._referral_headers()
        self.assertEqual(len(headers), 13)
        # Only Hawa Eins: the unconsented woman never, Hawa Zwei was referred
        # by the other Jobcenter.
        self.assertEqual(len(rows), 1)
        row = dict(zip(headers, rows[0], strict=True))
        self.assertEqual(row["Customer number"], "111A000001")
        self.assertEqual(row["Name"], "Hawa Eins")
        self.assertEqual(row["Referred on"], date(2026, 1, 10))
        self.assertEqual(row["Current milestone"], "Coaching")
        self.assertEqual(row["Paused"], "no")
        self.assertEqual(row["Destination"], "Vocational Training")
        self.assertEqual(row["Destination since"], date(2026, 5, 1))
        self.assertIsNone(row["Exit date"])
        attendance = report._attendance_rows(self.orgs["jobcenter1"], as_of)
        self.assertEqual(
            [row[3:] for row in attendance],
            [["2026-03", 1, 1, 1], ["2026-04", 0, 0, 1]],
        )
        self.assertEqual({row[1] for row in attendance}, {"Hawa Eins"})
        # The other Jobcenter's report: Hawa Zwei does not share with it.
        self.assertEqual(report._referral_rows(self.orgs["jobcenter2"], as_of), [])

    def test_workbook_and_exit(self):
        self.own.write(
            {
                "stage_id": self.stage["exited"].id,
                "exit_reason_id": self.reason_moved.id,
                "exit_date": "2026-06-15",
                "enrollment_date": "2026-01-10",
            }
        )
        self.record_days("absent")
        content = self.env["integration.jobcenter.report"]._build_xlsx(
            self.orgs["jobcenter1"], date(2026, 6, 30)
        )
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(workbook.sheetnames, ["Referrals", "Attendance"])
        referrals = list(workbook["Referrals"].iter_rows(values_only=True))
        self.assertEqual(len(referrals), 2)
        self.assertEqual(referrals[1][1], "Hawa Eins")
        self.assertEqual(referrals[1][9].date(), date(2026, 6, 15))
        self.assertEqual(referrals[1][10], self.reason_moved.name)
        text = [
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        self.assertNotIn("Hawa Ohne Einwilligung", text)
        self.assertFalse([value for value in text if value.startswith("=")])

    def test_mail_to_the_jobcenter_and_skip_without_address(self):
        self.orgs["jobcenter1"].email = "kontakt@jobcenter-ost.example"
        report = self.env["integration.jobcenter.report"]
        mail = report._send(self.orgs["jobcenter1"], date(2026, 6, 30))
        self.assertEqual(mail.email_to, "kontakt@jobcenter-ost.example")
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertTrue(mail.attachment_ids.name.endswith(".xlsx"))
        with self.assertLogs(
            "odoo.addons.integration_program.models.integration_jobcenter_exchange",
            logging.INFO,
        ):
            self.assertFalse(report._send(self.orgs["jobcenter2"], date(2026, 6, 30)))
        mails = self.env["mail.mail"].search_count([])
        report._cron_send_monthly()
        # Jobcenter 1 has an address, Jobcenter 2 has none.
        self.assertEqual(self.env["mail.mail"].search_count([]), mails + 1)

    def test_staff_build_it_on_demand(self):
        wizard = (
            self.env["integration.jobcenter.report.wizard"]
            .with_user(self.staff)
            .create({"jobcenter_id": self.orgs["jobcenter1"].id})
        )
        wizard.action_build()
        self.assertTrue(wizard.file)
        self.assertTrue(wizard.filename.endswith(".xlsx"))


@tagged("post_install", "-at_install")
class TestJobcenterEvents(ExchangeCase):
    def test_exit_and_training_notify_only_for_consenting_women(self):
        self.own.stage_id = self.stage["training"]
        self.unconsented.stage_id = self.stage["training"]
        messages = self.jobcenter_messages(self.referral_own)
        self.assertEqual(len(messages), 1)
        self.assertIn("vocational training", messages.body)
        self.own.write(
            {
                "stage_id": self.stage["exited"].id,
                "exit_reason_id": self.reason_moved.id,
            }
        )
        messages = self.jobcenter_messages(self.referral_own)
        self.assertEqual(len(messages), 2)
        self.assertIn(self.reason_moved.name, messages[0].body)
        self.unconsented.write({"stage_id": self.stage["exited"].id})
        self.assertFalse(self.jobcenter_messages(self.referral_unconsented))
        self.assertFalse(
            self.referral_unconsented.message_ids.filtered(
                lambda message: message.message_type == "comment"
            )
        )

    def test_three_unexcused_absences_in_a_row_once_per_streak(self):
        self.record_days("absent", "absent", "excused", "absent", "absent")
        self.assertFalse(self.jobcenter_messages(self.referral_own))
        self.record_days("absent", month=5, start=4)
        messages = self.jobcenter_messages(self.referral_own)
        self.assertEqual(len(messages), 1)
        self.assertIn("3 course days in a row", messages.body)
        self.record_days("absent", month=5, start=11)
        self.assertEqual(len(self.jobcenter_messages(self.referral_own)), 1)
        self.record_days("present", "absent", "absent", month=6, start=1)
        self.record_days("absent", month=6, start=22)
        self.assertEqual(len(self.jobcenter_messages(self.referral_own)), 2)
        # The same days for the woman without consent: nothing reaches them.
        self.assertFalse(self.jobcenter_messages(self.referral_unconsented))

    def test_withdrawn_consent_stops_notifications(self):
        self.own.consent_ids.action_withdraw()
        self.own.stage_id = self.stage["employment"]
        self.assertFalse(self.jobcenter_messages(self.referral_own))


@tagged("post_install", "-at_install")
class TestStatusReportPortal(PortalCase):
    def test_download_lists_only_consenting_women_of_her_jobcenter(self):
        self.login("jobcenter1")
        self.assertIn("/my/referrals/report.xlsx", self.get("/my/referrals").text)
        response = self.get("/my/referrals/report.xlsx")
        self.assertEqual(response.status_code, 200)
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        names = [row[1] for row in workbook["Referrals"].iter_rows(values_only=True)]
        self.assertIn("Hawa Eins", names)
        self.assertNotIn("Hawa Ohne Einwilligung", names)
        self.assertNotIn("Hawa Zwei", names)
        self.login("jobcenter2")
        workbook = openpyxl.load_workbook(
            io.BytesIO(self.get("/my/referrals/report.xlsx").content)
        )
        self.assertEqual(len(list(workbook["Referrals"].iter_rows())), 1)
        self.login("school1")
        self.assertEqual(self.get("/my/referrals/report.xlsx").status_code, 404)


@tagged("post_install", "-at_install")
class TestPortalImport(PortalCase):
    def upload(self, content, role="jobcenter1"):
        self.login(role)
        return self.post(
            "/my/referrals/import",
            files={"file": ("referrals.csv", content, "text/csv")},
        )

    def test_jobcenter_imports_its_file_without_learning_who_is_registered(self):
        self.other.jobcenter_customer_number = "999Z000002"
        content = (
            b"customer_number;last_name;first_name;birthdate;consent;consent_reference\r\n"
            b"123P000001;Portal;Rana;1990-06-01;ja;JC-77\r\n"
            b"999Z000002;Zwo;Havva;1990-01-02;nein;\r\n"
            b";Ohne;;1990-01-03;nein;\r\n"
        )
        response = self.upload(content)
        self.assertEqual(response.status_code, 303, response.text[:1000])
        url = response.headers["Location"]
        record = self.env["integration.referral.import"].search(
            [("jobcenter_id", "=", self.orgs["jobcenter1"].id)]
        )
        self.assertEqual(record.user_id, self.role_users["jobcenter1"])
        self.assertIn(f"/my/referrals/import/{record.id}", url)
        page = self.get(url).text
        for shown in ("Rana Portal", "Havva Zwo", "To be sent", "required"):
            self.assertIn(shown, page)
        # The woman the row matched is never named to the Jobcenter, nor is it
        # told that a row matched anybody.
        self.assertNotIn("Hawa Zwei", page)
        for hidden in ("Already Registered", "Possibly Registered"):
            self.assertNotIn(hidden, page)
        # Another Jobcenter's login does not find the import.
        self.login("jobcenter2")
        self.assertEqual(self.get(url).status_code, 404)
        self.assertEqual(self.post(f"{url}/confirm").status_code, 404)
        self.login("jobcenter1")
        self.assertEqual(self.post(f"{url}/confirm").status_code, 303)
        self.assertEqual(record.state, "done")
        rana = self.env["integration.participant"].search(
            [("name", "=", "Rana Portal")]
        )
        self.assertEqual(rana.referral_ids.user_id, self.role_users["jobcenter1"])
        # A consent from a Jobcenter's file waits for programme staff.
        self.assertEqual(rana.consent_ids.state, "pending")
        self.assertFalse(rana.shared_with_partner_ids)
        self.assertEqual(
            self.other.referral_ids.filtered(
                lambda r: r.jobcenter_id == self.orgs["jobcenter1"]
            ).participant_id,
            self.other,
        )
        self.assertIn("were sent", self.get(url).text)

    def test_wrong_encoding_stores_nothing(self):
        content = (
            "customer_number;last_name;first_name;birthdate\r\n;Müller;Aylin;1990-01-01"
        ).encode("cp1252")
        response = self.upload(content)
        self.assertEqual(response.status_code, 200)
        self.assertIn("UTF-8", response.text)
        self.assertFalse(
            self.env["integration.referral.import"].search(
                [("jobcenter_id", "=", self.orgs["jobcenter1"].id)]
            )
        )
        # Training partners have no such page.
        self.login("school1")
        self.assertEqual(self.get("/my/referrals/import").status_code, 404)
