import io
from datetime import datetime
from unittest.mock import patch

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..report import integration_funder_report_xlsx
from ..wizard import integration_funder_report
from .test_funder_kpis import FunderCase


class FunderReportCase(FunderCase):
    """The funder report of FunderCase's programme year, with a target, a course
    and providers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.env["integration.target"].create(
            {
                "name": "Into training or employment",
                "program_id": cls.program.id,
                "date_from": "2020-01-01",
                "date_to": "2020-12-31",
                "count_training": True,
                "count_employment": True,
                "target_value": 4,
            }
        )
        cls.course = cls.env["integration.course"].create(
            {
                "program_id": cls.program.id,
                "course_type_id": cls.env.ref(
                    "integration_program.course_type_orientation"
                ).id,
                "date_start": "2020-03-02",
                "date_end": "2020-06-30",
                "seats_max": 10,
            }
        )
        cls.env["integration.enrollment"].create(
            {"course_id": cls.course.id, "participant_id": cls.bahar.id}
        )
        cls.report = (
            cls.env["integration.funder.report"]
            .with_user(cls.manager)
            .create({"program_id": cls.program.id, "reference_date": "2020-12-31"})
        )

    def render_xlsx(self):
        content, file_type = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_xlsx(
                "integration_program.action_report_funder_xlsx", self.report.ids, {}
            )
        )
        self.assertEqual(file_type, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content))


@tagged("post_install", "-at_install")
class TestFunderReportFiles(FunderReportCase):
    def test_workbook(self):
        workbook = self.render_xlsx()
        course_sheet = self.course.with_context(lang="de_DE").display_name
        self.assertEqual(
            workbook.sheetnames,
            ["Übersicht", course_sheet, "Provider A", "Provider B", "Teilnehmerinnen"],
        )
        summary = workbook["Übersicht"]
        self.assertIn("Test Programme", summary["A1"].value)
        self.assertIn("01.01.2020 – 31.12.2020", summary["A2"].value)
        self.assertIn("31.12.2020", summary["A2"].value)
        self.assertEqual(summary.freeze_panes, "A5")
        figures = {
            row[0]: row[1]
            for row in summary.iter_rows(min_row=5, max_row=11, values_only=True)
        }
        self.assertEqual(
            figures,
            {
                "Angemeldet": 4,
                "Im Coaching": 3,
                "Ausbildung begonnen": 1,
                "In versicherungspflichtiger Beschäftigung": 1,
                "Pausiert": 0,
                "Ausgetreten": 2,
                "Abbrüche von Vermittlungen": 1,
            },
        )
        target_row = next(
            row
            for row in summary.iter_rows(values_only=True)
            if row[0] == "Into training or employment"
        )
        self.assertEqual(target_row[4:6], (4, 2))
        self.assertEqual(target_row[8], "Verfehlt")

        cohort = workbook[course_sheet]
        self.assertEqual(cohort["B5"].value, 1)
        pseudonyms = [row[0] for row in cohort.iter_rows(min_row=14, values_only=True)]
        self.assertEqual(pseudonyms, [self.program._pseudonym(self.bahar.id)])

        provider = workbook["Provider A"]
        coaches = {
            row[0]: row[1]
            for row in provider.iter_rows(min_row=14, values_only=True)
            if row[0]
        }
        self.assertEqual(coaches, {self.coach_a1.name: 2})

    def test_participant_sheet_is_pseudonymous_and_streamed(self):
        # Tiny batches: every participant must still come, once, in id order.
        with patch.object(integration_funder_report_xlsx, "BATCH_SIZE", 2):
            workbook = self.render_xlsx()
        sheet = workbook["Teilnehmerinnen"]
        self.assertEqual(sheet.freeze_panes, "A5")
        self.assertEqual(sheet["A4"].value, "Pseudonyme ID")
        rows = list(sheet.iter_rows(min_row=5, values_only=True))
        participants = (
            self.amina + self.bahar + self.chiara + self.dilan + self.elif_here
        ).sorted("id")
        self.assertEqual(
            [row[0] for row in rows],
            [self.program._pseudonym(p.id) for p in participants],
        )
        by_id = dict(zip(participants, rows, strict=True))
        self.assertEqual(by_id[self.amina][1], datetime(2019, 11, 15))
        self.assertEqual(sheet["B5"].number_format, "dd.mm.yyyy")
        self.assertEqual(by_id[self.amina][5], datetime(2020, 3, 1))
        self.assertEqual(by_id[self.dilan][8], datetime(2020, 10, 15))
        self.assertEqual(
            [by_id[p][4] for p in (self.amina, self.dilan)], ["ja", "nein"]
        )

        # No name and no contact data anywhere in the workbook.
        secrets = set(participants.mapped("name")) | {
            "amina@example.com",
            "+49 561 000000",
        }
        for worksheet in workbook.worksheets:
            for row in worksheet.iter_rows(values_only=True):
                for value in row:
                    if isinstance(value, str):
                        for secret in secrets:
                            self.assertNotIn(secret, value, worksheet.title)

    def test_many_cohorts_and_providers_are_listed_on_one_sheet(self):
        # A state-wide programme has thousands of cohorts: beyond the limit they
        # are rows of one sheet, and the providers' coaches rows of another.
        with patch.object(integration_funder_report_xlsx, "MAX_DETAIL_SHEETS", 0):
            workbook = self.render_xlsx()
        self.assertEqual(
            workbook.sheetnames,
            [
                "Übersicht",
                "Kursdurchgänge",
                "Coachingträger",
                "Coachinnen",
                "Teilnehmerinnen",
            ],
        )
        cohorts = workbook["Kursdurchgänge"]
        self.assertEqual(cohorts.freeze_panes, "A5")
        row = next(cohorts.iter_rows(min_row=5, values_only=True))
        self.assertEqual(
            row[:4],
            (
                self.course.with_context(lang="de_DE").display_name,
                datetime(2020, 3, 2),
                datetime(2020, 6, 30),
                1,
            ),
        )
        providers = {
            row[0]: row[1:3]
            for row in workbook["Coachingträger"].iter_rows(min_row=5, values_only=True)
        }
        # Enrolled in the period, in coaching on the day.
        self.assertEqual(providers, {"Provider A": (1, 2), "Provider B": (1, 1)})
        coaches = list(workbook["Coachinnen"].iter_rows(min_row=5, values_only=True))
        self.assertEqual(
            coaches,
            [
                ("Provider A", self.coach_a1.name, 2),
                ("Provider B", self.coach_b1.name, 1),
            ],
        )

    def test_long_breakdowns_are_cut_on_screen(self):
        with patch.object(integration_funder_report, "MAX_BREAKDOWN_ROWS", 1):
            self.report.invalidate_recordset(["breakdown_html"])
            html = str(self.report.with_context(lang="en_US").breakdown_html)
        html = " ".join(html.split())
        # The largest row of each breakdown stays: among the providers "(none)"
        # with 2 enrolled; Provider A and B (1 each) are only counted.
        self.assertNotIn("Provider A", html)
        self.assertNotIn("Provider B", html)
        self.assertIn("… and 2 more with fewer participants", html)

    def test_workbook_prepared_in_background(self):
        """The job renders the same workbook as the download and sends it to the
        requester alone: private to her and the managers, in her inbox only."""
        report = self.report.with_user(self.manager)
        with trap_jobs() as trap:
            action = report.action_prepare_xlsx_in_background()
            self.assertEqual(action["tag"], "display_notification")
            trap.assert_jobs_count(1, only=self.program._job_funder_workbook)
            trap.assert_enqueued_job(
                self.program._job_funder_workbook,
                args=("2020-01-01", "2020-12-31", "2020-12-31"),
            )
            self.assertIn("being prepared", self.program.message_ids[0].body)
            self.assertFalse(self.program_attachments())
            trap.perform_enqueued_jobs()
        attachment = self.program_attachments()
        self.assertEqual(len(attachment), 1)
        self.assertTrue(attachment.name.endswith(".xlsx"))
        self.assertTrue(attachment.integration_private)
        message = self.env["mail.message"].search(
            [("attachment_ids", "in", attachment.ids)]
        )
        self.assertEqual(message.message_type, "user_notification")
        self.assertEqual(message.partner_ids, self.manager.partner_id)
        self.assertNotIn(message, self.program.message_ids)
        self.assertEqual(
            self.sheets(openpyxl.load_workbook(io.BytesIO(attachment.raw))),
            self.sheets(self.render_xlsx()),
        )
        # The requester may download it; staff who did not ask may not.
        self.assertTrue(attachment.with_user(self.manager).raw)
        with self.assertRaises(AccessError):
            attachment.with_user(self.staff).read(["raw"])

    def program_attachments(self):
        return self.env["ir.attachment"].search(
            [
                ("res_model", "=", "integration.program"),
                ("res_id", "=", self.program.id),
            ]
        )

    @staticmethod
    def sheets(workbook):
        return {
            sheet.title: list(sheet.iter_rows(values_only=True))
            for sheet in workbook.worksheets
        }

    def test_workbook_streams_in_constant_memory(self):
        options = self.env[
            "report.integration_program.funder_report_xlsx"
        ].get_workbook_options()
        self.assertTrue(options["constant_memory"])


@tagged("post_install", "-at_install")
class TestFunderReportPdf(HttpCase, FunderReportCase):
    """wkhtmltopdf fetches the report's assets from Odoo's HTTP server. As an
    HttpCase the server shares the test's transaction; under Odoo's own runner a
    TransactionCase would leave that request waiting for the registry forever."""

    def test_pdf_summary(self):
        report_action = self.env.ref("integration_program.action_report_funder_pdf")
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_qweb_html(report_action, self.report.ids)
        )
        html = html.decode()
        self.assertIn("Test Programme", html)
        self.assertIn("Into training or employment", html)
        self.assertIn("Provider A", html)
        self.assertNotIn("Amina", html)
        if (
            self.env["ir.actions.report"].get_wkhtmltopdf_state() == "install"
        ):  # pragma: no cover - depends on the machine
            self.skipTest(
                "wkhtmltopdf is not installed: the PDF itself was not rendered. "
                "Install the Debian package wkhtmltopdf (tools/setup.sh does)."
            )
        pdf, file_type = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report_action, self.report.ids)
        )
        self.assertEqual(file_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
