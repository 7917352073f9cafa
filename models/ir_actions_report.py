import functools
import io
import subprocess

from odoo import models
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from odoo.addons.base.models.ir_actions_report import _wkhtml

# Reports that number their pages themselves.
NUMBERED_REPORTS = ("integration_program.report_funder_summary",)


@functools.cache
def _wkhtmltopdf_prints_footers():
    """Only wkhtmltopdf built with its patched Qt prints the layout's footer
    (and its page numbers); Debian's package is not."""
    binary = _wkhtml().bin
    if not binary:
        return False
    try:
        version = subprocess.run(
            [binary, "--version"], capture_output=True, check=False, timeout=10
        ).stdout.decode(errors="replace")
    except (OSError, subprocess.SubprocessError):
        return False
    return "(with patched qt)" in version


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        streams = super()._render_qweb_pdf_prepare_streams(
            report_ref, data, res_ids=res_ids
        )
        report = self._get_report(report_ref)
        if report.report_name not in NUMBERED_REPORTS or _wkhtmltopdf_prints_footers():
            return streams
        for values in streams.values():
            if values.get("stream"):
                values["stream"] = self._integration_number_pages(values["stream"])
        return streams

    def _integration_number_pages(self, stream):
        """ "Page n of m" at the foot of each page, as text."""
        from reportlab.pdfgen import canvas  # noqa: PLC0415

        pdf = PdfFileReader(stream, strict=False, overwriteWarnings=False)
        total = len(pdf.pages)
        packet = io.BytesIO()
        numbers = canvas.Canvas(packet)
        for index in range(total):
            page = pdf.pages[index]
            width = float(abs(page.mediabox.width))
            height = float(abs(page.mediabox.height))
            numbers.setPageSize((width, height))
            numbers.setFont("Helvetica", 8)
            numbers.setFillGray(0.4)
            numbers.drawCentredString(
                width / 2,
                20,
                self.env._("Page %(page)s of %(total)s", page=index + 1, total=total),
            )
            numbers.showPage()
        numbers.save()
        overlay = PdfFileReader(packet, overwriteWarnings=False)
        numbered = PdfFileWriter()
        for index in range(total):
            page = pdf.pages[index]
            page.merge_page(overlay.pages[index])
            numbered.add_page(page)
        output = io.BytesIO()
        numbered.write(output)
        return output
