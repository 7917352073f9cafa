from odoo import models
from odoo.tools import SQL

from ..models.exchange_tools import xlsx_write_text

# Rows are read and written in batches, in id order: flat memory.
BATCH_SIZE = 2000
# The funder's participant-level upload: her ESF+ rows active in the period,
# under a pseudonym; no name, contact or address is selected.
PARTICIPANT_SQL = """
    SELECT * FROM (%(rows)s) esf
     WHERE esf.participant_id > %(after_id)s
       AND (esf.exit_date IS NULL OR esf.exit_date >= %(date_from)s
            OR esf.followup_due_date >= %(date_from)s)
     ORDER BY esf.participant_id
     LIMIT %(limit)s
"""
# (column of the row, field naming it, kind)
COLUMNS = (
    ("gender", "gender", "selection"),
    ("age", "age_at_entry", "number"),
    ("enrollment_date", "entry_date", "date"),
    ("labour_status", "labour_status", "selection"),
    ("long_term_unemployed", "long_term_unemployed", "bool"),
    ("isced_group", "isced_group", "selection"),
    ("third_country", "third_country", "selection"),
    ("foreign_background", "foreign_background", "selection"),
    ("housing_exclusion", "housing_exclusion", "selection"),
    ("disability", "disability", "sensitive"),
    ("minority", "minority", "sensitive"),
    ("hours", "participation_hours", "number"),
    ("is_complete", "is_complete", "bool"),
    ("exit_date", "exit_date", "date"),
    ("exit_status", "exit_status", "selection"),
    ("exit_in_education", "exit_in_education", "bool"),
    ("exit_qualification", "exit_qualification", "bool"),
    ("exit_recorded_on", "exit_recorded_on", "date"),
    ("followup_state", "followup_state", "selection"),
    ("followup_date", "followup_date", "date"),
    ("followup_employed", "followup_employed", "bool"),
    ("followup_improved", "followup_improved", "bool"),
)


class ReportIntegrationEsfParticipantsXlsx(models.AbstractModel):
    """One row per participant of a co-funded programme for the funder's
    upload: entry, exit and follow-up data under her pseudonymous ID."""

    _name = "report.integration_program.esf_participants_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "ESF+ Participant Data (XLSX)"

    def get_workbook_options(self):
        return {"constant_memory": True}

    def generate_xlsx_report(self, workbook, data, objs):
        lang = self.env["report.integration_program.funder_report_xlsx"]._report_lang()
        for report in objs.with_context(lang=lang):
            self.with_context(lang=lang)._write_report(workbook, report)

    def _labels(self):
        """Header and value labels in the report's language."""
        record = self.env["integration.esf.record"]
        sensitive = self.env["integration.esf.sensitive"]
        selections = {}
        headers = [self.env._("Pseudonymous ID")]
        for name, field_name, kind in COLUMNS:
            model = sensitive if kind == "sensitive" else record
            field = model._fields[field_name]
            if kind in ("selection", "sensitive"):
                selections[name] = dict(field._description_selection(self.env))
            headers.append(field._description_string(self.env))
        return headers, selections

    def _write_report(self, workbook, report):
        headers, selections = self._labels()
        header_format = workbook.add_format(
            {"bold": True, "bg_color": "#DDE6F0", "border": 1, "text_wrap": True}
        )
        date_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
        sheet = workbook.add_worksheet(report.program_id.code or "ESF+")
        for column, header in enumerate(headers):
            sheet.set_column(column, column, 16)
            xlsx_write_text(sheet, 0, column, header, header_format)
        sheet.freeze_panes(1, 0)
        yes, no = self.env._("yes"), self.env._("no")
        program = report.program_id
        kpi = self.env["integration.kpi"]
        rows_sql = kpi._esf_rows_sql(program, report.date_from, report.date_to)
        kpi.env.flush_all()
        row, after_id = 0, 0
        write_string = sheet.write_string
        while True:
            self.env.cr.execute(
                SQL(
                    PARTICIPANT_SQL,
                    rows=rows_sql,
                    after_id=after_id,
                    date_from=report.date_from,
                    limit=BATCH_SIZE,
                )
            )
            batch = self.env.cr.dictfetchall()
            for values in batch:
                row += 1
                write_string(row, 0, program._pseudonym(values["participant_id"]))
                for column, (name, _field, kind) in enumerate(COLUMNS, start=1):
                    value = values[name]
                    if kind == "bool":
                        write_string(row, column, yes if value else no)
                    elif value is None or value is False:
                        continue
                    elif kind == "date":
                        sheet.write_datetime(row, column, value, date_format)
                    elif kind == "number":
                        sheet.write_number(row, column, float(value))
                    else:
                        write_string(row, column, selections[name].get(value, value))
            if len(batch) < BATCH_SIZE:
                break
            after_id = batch[-1]["participant_id"]
        sheet.autofilter(0, 0, max(row, 1), len(headers) - 1)
