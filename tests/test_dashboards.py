import io
import subprocess
import zipfile
from datetime import timedelta
from shutil import which

import openpyxl

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from ..models.integration_stage import MILESTONES
from .common import new_test_user
from .test_funder_report_files import FunderReportCase


@tagged("post_install", "-at_install")
class TestFunderDashboard(FunderReportCase):
    def test_funnel_follows_the_milestones(self):
        steps = self.report._funnel()
        self.assertEqual(
            [step["milestone"] for step in steps],
            [key for key, _label in MILESTONES if key != "exited"],
        )
        counts = [step["count"] for step in steps]
        self.assertEqual(counts, sorted(counts, reverse=True))
        self.assertGreater(counts[0], counts[-1])
        # The first milestone is named as the stage it stands for.
        self.assertEqual(
            self.report.with_context(lang="en_US")._funnel()[0]["label"],
            self.env.ref("integration_program.stage_intake")
            .with_context(lang="en_US")
            .name,
        )
        self.assertIn("Career Orientation", str(self.report.funnel_html))
        # The analysis opens by stage: a graph orders stages by sequence.
        action = self.report.action_view_funnel()
        self.assertEqual(action["context"]["graph_groupbys"], ["stage_id"])

    def test_tiles_open_their_women(self):
        for key, woman in (("exited", self.dilan), ("enrolled", self.bahar)):
            action = self.report.with_context(integration_kpi=key).action_open_kpi()
            found = (
                self.env["integration.participant"]
                .with_user(self.manager)
                .search(action["domain"])
            )
            self.assertEqual(len(found), self.report[key], key)
            self.assertIn(woman, found, key)
            self.assertNotIn("path", action)

    def test_menu_opens_on_a_programme_and_its_period(self):
        action = self.env.ref("integration_program.integration_funder_report_action")
        self.assertEqual(action.path, "funder-report")
        self.assertFalse(action.res_id)
        values = (
            self.env["integration.funder.report"]
            .with_user(self.manager)
            .default_get(["program_id"])
        )
        self.assertTrue(values["program_id"])
        report = (
            self.env["integration.funder.report"]
            .with_user(self.manager)
            .create({"program_id": self.program.id})
        )
        self.assertEqual(report.date_from, self.program.date_start)
        self.assertEqual(report.reference_date, self.program._default_reference_date())
        arch = self.env.ref(
            "integration_program.integration_funder_report_view_form"
        ).arch
        self.assertIn('create="0"', arch)
        self.assertIn("'overflow_class': 'bg-success'", arch)

    def test_trend_chart(self):
        target = self.report._targets()
        chart = str(target._trend_chart())
        self.assertTrue(chart.startswith("<svg"))
        self.assertIn("polyline", chart)
        self.assertIn("svg", str(self.report.trend_html))


@tagged("post_install", "-at_install")
class TestFunderWorkbookShape(FunderReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # German country names, as the loaded translations of base provide them.
        cls.syria.with_context(lang="de_DE").name = "Syrien"
        cls.long_course = cls.env["integration.course"].create(
            [
                {
                    "program_id": cls.program.id,
                    "name": "Sprachpraxis-Kleingruppe am Nachmittag",
                    "course_type_id": cls.env.ref(
                        "integration_program.course_type_orientation"
                    ).id,
                    "date_start": "2020-03-02",
                    "seats_max": 10,
                }
            ]
        )
        cls.env["integration.enrollment"].create(
            {"course_id": cls.long_course.id, "participant_id": cls.amina.id}
        )

    def test_filters_numbers_headers_and_chart(self):
        content, _type = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_xlsx(
                "integration_program.action_report_funder_xlsx", self.report.ids, {}
            )
        )
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertTrue(all(len(name) <= 31 for name in workbook.sheetnames))
        self.assertEqual(len(set(workbook.sheetnames)), len(workbook.sheetnames))
        self.assertFalse([name for name in workbook.sheetnames if "~" in name])
        for sheet in workbook.worksheets:
            self.assertTrue(sheet.auto_filter.ref, sheet.title)
        participants = workbook["Teilnehmerinnen"]
        self.assertEqual(participants.auto_filter.ref, f"A4:K{participants.max_row}")
        summary = workbook["Übersicht"]
        rows = list(summary.iter_rows(values_only=True))
        # Unique headers in each header row.
        target_header = next(row for row in rows if row[0] == "Zielvereinbarung")
        labels = [value for value in target_header if value]
        self.assertEqual(len(labels), len(set(labels)))
        self.assertIn("Zielwert", labels)
        # Years are numbers, counts are numbers, countries in German.
        year_header = rows.index(next(row for row in rows if row[0] == "Jahr"))
        years = [row[0] for row in rows[year_header + 1 :] if row[0] is not None]
        self.assertIn(2020, years)
        self.assertTrue(all(isinstance(year, int) for year in years))
        countries = {row[0]: row[1] for row in rows if row[0] in ("Syrien", "Syria")}
        self.assertEqual(list(countries), ["Syrien"])
        self.assertIsInstance(countries["Syrien"], int)
        # The summary's filter sits on the country table.
        country_row = rows.index(next(row for row in rows if row[0] == "Herkunftsland"))
        self.assertTrue(summary.auto_filter.ref.startswith(f"A{country_row + 1}:"))
        # A native chart, drawn on the summary sheet.
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            self.assertIn("xl/charts/chart1.xml", names)
            drawing_rels = archive.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
            self.assertIn("drawing", drawing_rels)
            chart = archive.read("xl/charts/chart1.xml").decode()
            self.assertIn("Übersicht", chart)


@tagged("post_install", "-at_install")
class TestFunderPdfText(HttpCase, FunderReportCase):
    def test_pdf_text_is_searchable_and_numbered(self):
        if self.env[
            "ir.actions.report"
        ].get_wkhtmltopdf_state() == "install" or not which(
            "pdftotext"
        ):  # pragma: no cover - depends on the machine
            self.skipTest("wkhtmltopdf or pdftotext (poppler-utils) is missing.")
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_context(force_report_rendering=True, lang="de_DE")
            ._render_qweb_pdf(
                "integration_program.action_report_funder_pdf", self.report.ids
            )
        )
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()
        self.assertIn("Test Programme", text)
        self.assertIn("Into training or employment", text)
        self.assertIn("Provider A", text)
        self.assertRegex(text, r"Seite 1 von \d")
        self.assertNotIn("Amina", text)
        # Text, not shapes: a few pages of text stay small.
        self.assertLess(len(pdf), 600_000)


@tagged("post_install", "-at_install")
class TestManagerHome(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = new_test_user(
            cls.env,
            login="home_staff",
            password="home_staff_pw",
            name="Home Staff",
            groups="integration_program.group_user",
        )
        cls.coach = new_test_user(
            cls.env,
            login="home_coach",
            groups="integration_program.group_coach",
        )
        cls.program = cls.env["integration.program"].create(
            {"name": "Home Tour Programme", "code": "HOME"}
        )
        long_ago = fields.Date.today() - timedelta(days=200)
        participants = cls.env["integration.participant"]
        cls.silent = participants.create(
            {
                "name": "Hanna Silent",
                "program_id": cls.program.id,
                "enrollment_date": long_ago,
            }
        )
        cls.recent = participants.create(
            {
                "name": "Rita Recent",
                "program_id": cls.program.id,
                "enrollment_date": fields.Date.today() - timedelta(days=3),
            }
        )

    def test_figures_open_their_women(self):
        home = self.env["integration.manager.home"].with_user(self.staff)
        data = home.get_home_data(self.program.id)
        self.assertEqual(data["program"]["id"], self.program.id)
        figures = {figure["key"]: figure["value"] for figure in data["figures"]}
        self.assertEqual(figures["in_programme"], 2)
        self.assertEqual(figures["no_contact"], 1)
        action = home.action_open_figure(self.program.id, "no_contact")
        women = (
            self.env["integration.participant"]
            .with_user(self.staff)
            .search(action["domain"])
        )
        self.assertEqual(women, self.silent)
        self.assertEqual(action["views"][0][1], "list")

    def test_waiting_lists_and_coaches_over_capacity(self):
        provider = self.env["res.partner"].create(
            {"name": "Home Provider", "is_company": True, "is_coaching_provider": True}
        )
        self.coach.write({"parent_id": provider.id, "integration_capacity": 2})
        (self.silent + self.recent).write({"coach_id": self.coach.id})
        # Capacity lowered below her caseload: she is over capacity.
        self.coach.integration_capacity = 1
        course = self.env["integration.course"].create(
            {
                "program_id": self.program.id,
                "course_type_id": self.env.ref(
                    "integration_program.course_type_orientation"
                ).id,
                "date_start": fields.Date.today(),
                "seats_max": 1,
            }
        )
        enrollments = self.env["integration.enrollment"].create(
            [
                {"course_id": course.id, "participant_id": participant.id}
                for participant in self.silent + self.recent
            ]
        )
        self.assertEqual(enrollments.mapped("state"), ["enrolled", "waitlist"])
        home = self.env["integration.manager.home"].with_user(self.staff)
        data = home.get_home_data(self.program.id)
        figures = {figure["key"]: figure["value"] for figure in data["figures"]}
        self.assertEqual((figures["waitlist"], figures["over_capacity"]), (1, 2))
        self.assertEqual(
            data["waitlists"],
            [{"id": course.id, "name": course.display_name, "count": 1}],
        )
        self.assertEqual(
            [(c["id"], c["caseload"], c["capacity"]) for c in data["coaches"]],
            [(self.coach.id, 2, 1)],
        )
        participants = self.env["integration.participant"].with_user(self.staff)
        waiting = home.action_open_figure(self.program.id, "waitlist", course.id)
        self.assertEqual(participants.search(waiting["domain"]), self.recent)
        self.assertEqual(waiting["name"], course.display_name)
        coached = home.action_open_figure(
            self.program.id, "over_capacity", self.coach.id
        )
        self.assertEqual(
            participants.search(coached["domain"]), self.silent + self.recent
        )

    def test_coaches_have_no_home(self):
        with self.assertRaises(AccessError):
            self.env["integration.manager.home"].with_user(self.coach).get_home_data()
        menu = self.env.ref("integration_program.menu_integration_home")
        self.assertEqual(menu.group_ids, self.env.ref("integration_program.group_user"))

    def test_tour_opens_the_women_without_contact(self):
        self.start_tour(
            "/odoo/integration-home",
            "integration_manager_home_tour",
            login="home_staff",
        )
