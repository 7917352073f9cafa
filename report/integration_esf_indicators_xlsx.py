from odoo import models

from ..models.exchange_tools import xlsx_write_text
from ..wizard.integration_esf_report import ESF_COLUMNS


class ReportIntegrationEsfIndicatorsXlsx(models.AbstractModel):
    """The ESF+ indicator table (Annex I of Regulation (EU) 2021/1057) by gender,
    with the women not counted, as the funder's portal asks for it."""

    _name = "report.integration_program.esf_indicators_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "ESF+ Indicators (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        lang = self.env["report.integration_program.funder_report_xlsx"]._report_lang()
        for report in objs.with_context(lang=lang):
            self.with_context(lang=lang)._write_report(workbook, report)

    def _column_labels(self):
        genders = dict(
            self.env["integration.esf.record"]
            ._fields["gender"]
            ._description_selection(self.env)
        )
        return [genders.get(column, self.env._("Total")) for column in ESF_COLUMNS]

    def _write_report(self, workbook, report):
        values = report._indicators()
        bold = workbook.add_format({"bold": True, "font_size": 14})
        header = workbook.add_format(
            {"bold": True, "bg_color": "#DDE6F0", "border": 1, "text_wrap": True}
        )
        italic = workbook.add_format({"italic": True})
        sheet = workbook.add_worksheet(report.program_id.code or "ESF+")
        xlsx_write_text(sheet, 0, 0, report.display_name, bold)
        xlsx_write_text(sheet, 1, 0, report.program_id.display_name, italic)
        headers = [
            (self.env._("Indicator"), 10),
            (self.env._("Name"), 60),
        ] + [(label, 12) for label in self._column_labels()]
        for column, (label, width) in enumerate(headers):
            sheet.set_column(column, column, width)
            xlsx_write_text(sheet, 3, column, label, header)
        row = 3
        not_recorded = self.env._("not recorded per participant")
        for indicator in values["rows"]:
            row += 1
            xlsx_write_text(sheet, row, 0, indicator["code"])
            xlsx_write_text(sheet, row, 1, indicator["name"])
            for offset, column in enumerate(ESF_COLUMNS, start=2):
                if indicator["recorded"]:
                    sheet.write_number(row, offset, indicator[column])
                else:
                    xlsx_write_text(sheet, row, offset, not_recorded, italic)
        row += 1
        not_counted = {
            "incomplete": self.env._("Not counted: incomplete ESF+ data"),
            "below_hours": self.env._("Not counted: below the minimum hours"),
        }
        for key, label in not_counted.items():
            row += 1
            xlsx_write_text(sheet, row, 1, label, italic)
            for offset, column in enumerate(ESF_COLUMNS, start=2):
                sheet.write_number(row, offset, values[key][column])
