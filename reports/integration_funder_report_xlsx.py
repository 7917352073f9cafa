import re
from datetime import date

from odoo import fields, models
from odoo.tools import SQL

from ..models.exchange_tools import xlsx_write_text
from ..models.integration_kpi import BASE_WHERE, KPI_KEYS

# Rows of the participant sheet are read and written in batches of this size,
# in id order: memory stays flat however many participants the programme has.
BATCH_SIZE = 2000
# Up to this many course cohorts (coaching providers), each gets a sheet of its
# own; a programme with more (a state-wide roll-out has thousands of cohorts) gets
# one sheet listing them all instead: a workbook of thousands of sheets can
# neither be written in constant memory nor read by anyone.
MAX_DETAIL_SHEETS = 50
# Characters Excel refuses in sheet names.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31

# One row per participant: the figures of integration.kpi, on her fact row.
PARTICIPANT_SQL = """
    SELECT participant.id,
           fact.enrollment_date,
           COALESCE(country.name->>%(lang)s, country.name->>'en_US') AS country,
           provider_partner.name AS provider,
           %(in_coaching)s AS in_coaching,
           %(training_start)s AS training_start,
           %(in_employment)s AS in_employment,
           %(paused)s AS paused,
           CASE WHEN %(exited)s THEN fact.exit_date END AS exit_date,
           CASE WHEN %(exited)s
                THEN COALESCE(reason.name->>%(lang)s, reason.name->>'en_US')
           END AS exit_reason,
           %(placement_dropouts)s AS placement_dropout
      FROM integration_kpi_fact fact
      JOIN integration_participant participant ON participant.id = fact.participant_id
      LEFT JOIN res_country country ON country.id = fact.country_id
      LEFT JOIN integration_exit_reason reason ON reason.id = fact.exit_reason_id
      LEFT JOIN res_partner provider_partner ON provider_partner.id = %(provider)s
     WHERE %(base)s
       AND %(extra)s
       AND fact.participant_id > %(after_id)s
     ORDER BY fact.participant_id
     LIMIT %(limit)s
"""

COHORT_MEMBERS = """
    EXISTS (SELECT 1 FROM integration_enrollment enrollment
             WHERE enrollment.participant_id = participant.id
               AND enrollment.course_id = %(course_id)s
               AND enrollment.state != 'waitlist')
"""

COACH_SQL = """
    SELECT assignment.provider_id, assignment.coach_id,
           COUNT(DISTINCT assignment.participant_id)
      FROM integration_coaching_assignment assignment
      JOIN integration_kpi_fact fact ON fact.participant_id = assignment.participant_id
     WHERE %(base)s
       AND %(provider_filter)s
       AND assignment.date_from <= %(as_of)s
       AND (assignment.date_to IS NULL OR assignment.date_to > %(as_of)s)
     GROUP BY assignment.provider_id, assignment.coach_id
"""


class ReportIntegrationFunderXlsx(models.AbstractModel):
    """The funder's workbook: a summary, a sheet per course cohort and per
    coaching provider, and one row per participant under a pseudonymous ID.
    Written in constant memory: rows go to disk as they are written."""

    _name = "report.integration_program.funder_report_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Funder Report (XLSX)"

    def get_workbook_options(self):
        return {"constant_memory": True}

    def _report_lang(self):
        """The funder reads German: German where it is installed."""
        german = self.env["res.lang"]._lang_get("de_DE")
        return "de_DE" if german and german.active else self.env.lang or "en_US"

    def generate_xlsx_report(self, workbook, data, objs):
        lang = self._report_lang()
        for report in objs.with_context(lang=lang):
            self.with_context(lang=lang)._write_report(workbook, report)

    def _write_report(self, workbook, report):
        formats = self._formats(workbook)
        kpis = report._kpi_values()
        for section in ("by_provider", "by_cohort", "by_country", "by_year"):
            self.env["integration.kpi"]._label_rows(kpis, section)
        self._write_summary(workbook, formats, report, kpis)
        cohorts = [row for row in kpis["by_cohort"] if row["key"]]
        if len(cohorts) <= MAX_DETAIL_SHEETS:
            for row in cohorts:
                self._write_cohort(workbook, formats, report, kpis, row)
        else:
            self._write_cohort_list(workbook, formats, report, kpis, cohorts)
        providers = [row for row in kpis["by_provider"] if row["key"]]
        if len(providers) <= MAX_DETAIL_SHEETS:
            for row in providers:
                self._write_provider(workbook, formats, report, kpis, row)
        else:
            self._write_provider_list(workbook, formats, report, kpis, providers)
        self._write_participants(workbook, formats, report, kpis)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _formats(self, workbook):
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "subtitle": workbook.add_format({"italic": True}),
            "header": workbook.add_format(
                {
                    "bold": True,
                    "bg_color": "#DDE6F0",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "top",
                }
            ),
            "text": workbook.add_format({}),
            "integer": workbook.add_format({"num_format": "#,##0"}),
            "year": workbook.add_format({"num_format": "0", "align": "left"}),
            "percent": workbook.add_format({"num_format": "0.0 %"}),
            "date": workbook.add_format({"num_format": "dd.mm.yyyy"}),
        }

    def _sheet_name(self, workbook, name):
        """Excel's 31 characters, cut in the middle of a long name so that its
        end ("…, Jahrgang 2") still tells cohorts apart, and unique."""
        name = SHEET_NAME_FORBIDDEN.sub("-", name).strip("'") or "-"
        if len(name) > SHEET_NAME_MAX:
            head, _sep, tail = name.rpartition(", ")
            if not head or len(tail) > SHEET_NAME_MAX // 2:
                head, tail = name, ""
            keep = SHEET_NAME_MAX - len(tail) - (2 if tail else 1)
            name = f"{head[:keep].rstrip()}…" + (f" {tail}" if tail else "")
        taken = {sheet.name.lower() for sheet in workbook.worksheets()}
        candidate, number = name, 1
        while candidate.lower() in taken:
            number += 1
            suffix = f" ({number})"
            candidate = name[: SHEET_NAME_MAX - len(suffix)] + suffix
        return candidate

    def _date(self, value):
        return fields.Date.to_date(value).strftime("%d.%m.%Y")

    def _add_sheet(self, workbook, formats, name, headline, *, report, kpis):
        """A sheet with its title block (rows 1-2) and a blank line."""
        sheet = workbook.add_worksheet(self._sheet_name(workbook, name))
        xlsx_write_text(sheet, 0, 0, headline, formats["title"])
        xlsx_write_text(
            sheet,
            1,
            0,
            self.env._(
                "%(program)s · period %(start)s – %(end)s · as of %(reference)s",
                program=report.program_id.display_name,
                start=self._date(kpis["date_from"]),
                end=self._date(kpis["date_to"]),
                reference=self._date(kpis["reference_date"]),
            ),
            formats["subtitle"],
        )
        return sheet

    def _write_header(self, sheet, formats, row, headers):
        for column, (header, width) in enumerate(headers):
            sheet.set_column(column, column, width)
            sheet.write(row, column, header, formats["header"])
        sheet.freeze_panes(row + 1, 0)

    def _autofilter(self, sheet, header_row, last_row, last_column):
        """Filter buttons on a table's header (one table per sheet can have
        them: Excel keeps one filter per sheet)."""
        sheet.autofilter(header_row, 0, max(header_row, last_row), last_column)

    def _write_kpi_table(self, sheet, formats, row, kpi_row):
        labels = self.env["integration.funder.report"]._kpi_labels()
        self._write_header(
            sheet,
            formats,
            row,
            [(self.env._("Key Figure"), 34), (self.env._("Women"), 14)],
        )
        for offset, key in enumerate(KPI_KEYS, start=1):
            sheet.write(row + offset, 0, labels[key], formats["text"])
            sheet.write_number(row + offset, 1, kpi_row[key], formats["integer"])
        return row + len(labels) + 1

    # ------------------------------------------------------------------
    # Sheets
    # ------------------------------------------------------------------
    def _write_summary(self, workbook, formats, report, kpis):
        sheet = self._add_sheet(
            workbook,
            formats,
            self.env._("Summary"),
            self.env._(
                "Funder report: %(program)s", program=report.program_id.display_name
            ),
            report=report,
            kpis=kpis,
        )
        row = self._write_kpi_table(sheet, formats, 3, kpis) + 1
        self._insert_kpi_chart(workbook, sheet, 3)
        sheet.write(row, 0, self.env._("Target Agreements"), formats["title"])
        row += 1
        target_headers = [
            self.env._("Target Agreement"),
            self.env._("Funder"),
            self.env._("Period From"),
            self.env._("Period Until"),
            self.env._("Target Value"),
            self.env._("Actual"),
            self.env._("Progress"),
            self.env._("Forecast"),
            self.env._("Status"),
        ]
        for column, header in enumerate(target_headers):
            sheet.write(row, column, header, formats["header"])
        status_labels = dict(
            report.env["integration.target"]
            ._fields["status"]
            ._description_selection(report.env)
        )
        for target in report._targets():
            row += 1
            xlsx_write_text(sheet, row, 0, target.name, formats["text"])
            xlsx_write_text(
                sheet, row, 1, target.funder_id.display_name, formats["text"]
            )
            sheet.write_datetime(row, 2, target.date_from, formats["date"])
            sheet.write_datetime(row, 3, target.date_to, formats["date"])
            sheet.write_number(row, 4, target.target_value, formats["integer"])
            sheet.write_number(row, 5, target.actual_value, formats["integer"])
            sheet.write_number(row, 6, target.progress / 100.0, formats["percent"])
            sheet.write_number(row, 7, target.forecast_value, formats["integer"])
            sheet.write(row, 8, status_labels[target.status], formats["text"])
        row += 2
        sheet.write(row, 0, self.env._("Exits by Reason"), formats["title"])
        row += 1
        sheet.write(row, 0, self.env._("Exit Reason"), formats["header"])
        sheet.write(row, 1, self.env._("Women"), formats["header"])
        for reason in kpis["exit_reasons"]:
            row += 1
            xlsx_write_text(sheet, row, 0, reason["label"], formats["text"])
            sheet.write_number(row, 1, reason["count"], formats["integer"])
        row += 2
        country_header = row + 1
        row = (
            self._write_breakdown(
                sheet,
                formats,
                row,
                self.env._("By Country of Origin"),
                report._sorted_breakdown(kpis, "by_country"),
                header=self.env._("Country of Origin"),
            )
            + 1
        )
        self._autofilter(sheet, country_header, row - 2, len(KPI_KEYS))
        self._write_breakdown(
            sheet,
            formats,
            row,
            self.env._("By Enrolment Year"),
            kpis["by_year"],
            header=self.env._("Year"),
            numeric_keys=True,
        )
        for column, width in enumerate((34, 14, 14, 14, 12, 12, 12, 12, 14)):
            sheet.set_column(column, column, width)

    def _insert_kpi_chart(self, workbook, sheet, header_row):
        """A native column chart of the key figures, next to their table."""
        chart = workbook.add_chart({"type": "bar"})
        first, last = header_row + 1, header_row + len(KPI_KEYS)
        chart.add_series(
            {
                "name": self.env._("Women"),
                "categories": [sheet.name, first, 0, last, 0],
                "values": [sheet.name, first, 1, last, 1],
                "fill": {"color": "#017E84"},
                "data_labels": {"value": True},
            }
        )
        chart.set_title({"name": self.env._("Key Figures")})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        chart.set_size({"width": 620, "height": 300})
        # Right of the widest table (the target agreements, nine columns).
        sheet.insert_chart(header_row, 10, chart)

    def _write_breakdown(
        self, sheet, formats, row, title, rows, *, header=None, numeric_keys=False
    ):
        """A breakdown table under its title; integer keys (years) are written
        as numbers."""
        labels = self.env["integration.funder.report"]._kpi_labels()
        sheet.write(row, 0, title, formats["title"])
        row += 1
        sheet.write(row, 0, header or title, formats["header"])
        for column, key in enumerate(KPI_KEYS, start=1):
            sheet.write(row, column, labels[key], formats["header"])
        for breakdown_row in rows:
            row += 1
            if numeric_keys and breakdown_row["key"] is not None:
                sheet.write_number(row, 0, breakdown_row["key"], formats["year"])
            else:
                xlsx_write_text(sheet, row, 0, breakdown_row["label"], formats["text"])
            for column, key in enumerate(KPI_KEYS, start=1):
                sheet.write_number(row, column, breakdown_row[key], formats["integer"])
        return row + 1

    def _write_cohort(self, workbook, formats, report, kpis, cohort_row):
        course = self.env["integration.course"].browse(cohort_row["key"])
        sheet = self._add_sheet(
            workbook,
            formats,
            course.display_name,
            self.env._(
                "%(course)s (%(start)s – %(end)s)",
                course=course.display_name,
                start=self._date(course.date_start),
                end=self._date(course.date_end) if course.date_end else "…",
            ),
            report=report,
            kpis=kpis,
        )
        row = self._write_kpi_table(sheet, formats, 3, cohort_row) + 1
        self._write_participant_rows(
            sheet,
            formats,
            row,
            SQL(COHORT_MEMBERS, course_id=course.id),
            report=report,
            kpis=kpis,
        )

    def _write_provider(self, workbook, formats, report, kpis, provider_row):
        provider = self.env["res.partner"].browse(provider_row["key"])
        sheet = self._add_sheet(
            workbook,
            formats,
            provider.display_name,
            provider.name,
            report=report,
            kpis=kpis,
        )
        row = self._write_kpi_table(sheet, formats, 3, provider_row) + 1
        sheet.write(row, 0, self.env._("Coach"), formats["header"])
        sheet.write(row, 1, self.env._("In Coaching"), formats["header"])
        caseloads = {
            coach_id: count
            for _provider, coach_id, count in self._caseloads(report, kpis, provider)
        }
        coaches = self.env["res.users"].browse(caseloads).sorted("name")
        self._autofilter(sheet, row, row + len(coaches), 1)
        for coach in coaches:
            row += 1
            xlsx_write_text(sheet, row, 0, coach.name, formats["text"])
            sheet.write_number(row, 1, caseloads[coach.id], formats["integer"])

    def _caseloads(self, report, kpis, provider=None):
        """``[(provider_id, coach_id, participants in coaching)]`` as of the day,
        of one provider or of all."""
        self.env.cr.execute(
            SQL(
                COACH_SQL,
                provider_filter=SQL("assignment.provider_id = %s", provider.id)
                if provider
                else SQL("TRUE"),
                base=self._params_sql(BASE_WHERE, report, kpis),
                as_of=kpis["as_of"],
            )
        )
        return self.env.cr.fetchall()

    def _write_list_sheet(self, workbook, formats, name, rows, extra, *, report, kpis):
        """One sheet with a KPI row per cohort or provider; ``extra`` gives the
        columns before the KPIs: ``[(header, width, function(row) -> value)]``."""
        labels = self.env["integration.funder.report"]._kpi_labels()
        sheet = self._add_sheet(workbook, formats, name, name, report=report, kpis=kpis)
        self._write_header(
            sheet,
            formats,
            3,
            [(header, width) for header, width, _value in extra]
            + [(labels[key], 14) for key in KPI_KEYS],
        )
        for number, kpi_row in enumerate(rows, start=4):
            for column, (_header, _width, value) in enumerate(extra):
                cell = value(kpi_row)
                if isinstance(cell, date):
                    sheet.write_datetime(number, column, cell, formats["date"])
                elif cell:
                    xlsx_write_text(sheet, number, column, cell, formats["text"])
            for column, key in enumerate(KPI_KEYS, start=len(extra)):
                sheet.write_number(number, column, kpi_row[key], formats["integer"])
        self._autofilter(sheet, 3, 3 + len(rows), len(extra) + len(KPI_KEYS) - 1)
        return sheet

    def _write_cohort_list(self, workbook, formats, report, kpis, cohort_rows):
        dates = {
            course["id"]: (course["date_start"], course["date_end"])
            for course in self.env["integration.course"]
            .browse(row["key"] for row in cohort_rows)
            .read(["date_start", "date_end"])
        }
        self._write_list_sheet(
            workbook,
            formats,
            self.env._("Course Cohorts"),
            cohort_rows,
            [
                (self.env._("Course Cohort"), 34, lambda row: row["label"]),
                (
                    self.env._("Start Date"),
                    12,
                    lambda row: dates[row["key"]][0],
                ),
                (
                    self.env._("End Date"),
                    12,
                    lambda row: dates[row["key"]][1],
                ),
            ],
            report=report,
            kpis=kpis,
        )

    def _write_provider_list(self, workbook, formats, report, kpis, provider_rows):
        self._write_list_sheet(
            workbook,
            formats,
            self.env._("Coaching Providers"),
            provider_rows,
            [(self.env._("Coaching Provider"), 34, lambda row: row["label"])],
            report=report,
            kpis=kpis,
        )
        sheet = self._add_sheet(
            workbook,
            formats,
            self.env._("Coaches"),
            self.env._("Coaches"),
            report=report,
            kpis=kpis,
        )
        self._write_header(
            sheet,
            formats,
            3,
            [
                (self.env._("Coaching Provider"), 34),
                (self.env._("Coach"), 28),
                (self.env._("In Coaching"), 14),
            ],
        )
        caseloads = self._caseloads(report, kpis)
        providers = {row["key"]: row["label"] for row in provider_rows}
        coaches = self.env["res.users"].browse(
            {coach_id for _provider, coach_id, _count in caseloads}
        )
        names = {user["id"]: user["name"] for user in coaches.read(["name"])}
        lines = sorted(
            (providers.get(provider_id, ""), names.get(coach_id, ""), count)
            for provider_id, coach_id, count in caseloads
        )
        self._autofilter(sheet, 3, 3 + len(lines), 2)
        for number, (provider, coach, count) in enumerate(lines, start=4):
            xlsx_write_text(sheet, number, 0, provider, formats["text"])
            xlsx_write_text(sheet, number, 1, coach, formats["text"])
            sheet.write_number(number, 2, count, formats["integer"])

    def _write_participants(self, workbook, formats, report, kpis):
        sheet = self._add_sheet(
            workbook,
            formats,
            self.env._("Participants"),
            self.env._("Participants (pseudonymous)"),
            report=report,
            kpis=kpis,
        )
        self._write_participant_rows(
            sheet, formats, 3, SQL("TRUE"), report=report, kpis=kpis
        )

    def _params(self, report, kpis):
        return self.env["integration.kpi"]._params(
            report.program_id, kpis["date_from"], kpis["as_of"]
        )

    def _params_sql(self, code, report, kpis):
        return SQL(code, **self._params(report, kpis))

    def _participant_headers(self):
        return [
            (self.env._("Pseudonymous ID"), 16),
            (self.env._("Enrolment Date"), 14),
            (self.env._("Country of Origin"), 20),
            (self.env._("Coaching Provider"), 28),
            (self.env._("In Coaching"), 12),
            (self.env._("Vocational Training Started On"), 16),
            (self.env._("In Insured Employment"), 14),
            (self.env._("Paused"), 10),
            (self.env._("Exit Date"), 12),
            (self.env._("Exit Reason"), 24),
            (self.env._("Placement Drop-out"), 14),
        ]

    def _write_participant_rows(self, sheet, formats, row, extra, *, report, kpis):
        """One row per participant, read in id-ordered batches so that neither
        the database result nor the workbook holds them all at once."""
        self._write_header(sheet, formats, row, self._participant_headers())
        header_row = row
        program = report.program_id
        yes, no = self.env._("yes"), self.env._("no")
        conditions = self.env["integration.kpi"]._conditions(self._params(report, kpis))
        write_string = sheet.write_string
        after_id = 0
        while True:
            self.env.cr.execute(
                SQL(
                    PARTICIPANT_SQL,
                    lang=self.env.lang or "en_US",
                    extra=extra,
                    after_id=after_id,
                    limit=BATCH_SIZE,
                    **conditions,
                )
            )
            batch = self.env.cr.fetchall()
            for values in batch:
                row += 1
                (
                    participant_id,
                    enrollment_date,
                    country,
                    provider,
                    in_coaching,
                    training_start,
                    in_employment,
                    paused,
                    exit_date,
                    exit_reason,
                    dropout,
                ) = values
                # write_string, not write: no guessing of the type per cell
                # (a third of the time at 100 000 rows).
                write_string(row, 0, program._pseudonym(participant_id))
                sheet.write_datetime(row, 1, enrollment_date, formats["date"])
                if country:
                    write_string(row, 2, country)
                if provider:
                    write_string(row, 3, provider)
                write_string(row, 4, yes if in_coaching else no)
                if training_start:
                    sheet.write_datetime(row, 5, training_start, formats["date"])
                write_string(row, 6, yes if in_employment else no)
                write_string(row, 7, yes if paused else no)
                if exit_date:
                    sheet.write_datetime(row, 8, exit_date, formats["date"])
                if exit_reason:
                    write_string(row, 9, exit_reason)
                write_string(row, 10, yes if dropout else no)
            if len(batch) < BATCH_SIZE:
                break
            after_id = batch[-1][0]
        self._autofilter(sheet, header_row, row, len(self._participant_headers()) - 1)
