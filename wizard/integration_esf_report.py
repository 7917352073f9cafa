from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from ..models.integration_kpi import ESF_GENDERS

ESF_COLUMNS = (*ESF_GENDERS, "total")


class IntegrationEsfReport(models.TransientModel):
    """The ESF+ indicators of a co-funded programme for a period, by gender,
    and the funder's files (indicator workbook, pseudonymous participant list)."""

    _name = "integration.esf.report"
    _description = "ESF+ Indicators"

    program_id = fields.Many2one(
        "integration.program",
        string="Programme",
        required=True,
        ondelete="cascade",
        domain="[('esf_cofunded', '=', True)]",
        default=lambda self: self._default_program(),
    )
    date_from = fields.Date(
        string="Period From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
    )
    date_to = fields.Date(
        string="Period Until", required=True, default=fields.Date.context_today
    )
    incomplete_count = fields.Integer(
        string="Not Counted: Incomplete Data", compute="_compute_indicators"
    )
    below_hours_count = fields.Integer(
        string="Not Counted: Too Few Hours", compute="_compute_indicators"
    )
    indicator_html = fields.Html(
        string="Indicators", compute="_compute_indicators", sanitize=False
    )

    @api.model
    def _default_program(self):
        """The co-funded programme with the most ESF+ records."""
        groups = self.env["integration.esf.record"]._read_group(
            [("program_id.esf_cofunded", "=", True)],
            ["program_id"],
            ["__count"],
            order="__count desc",
            limit=1,
        )
        if groups:
            return groups[0][0]
        return self.env["integration.program"].search(
            [("esf_cofunded", "=", True)], limit=1
        )

    @api.depends("program_id", "date_from", "date_to")
    def _compute_display_name(self):
        for report in self:
            report.display_name = self.env._(
                "ESF+ indicators %(program)s %(start)s–%(end)s",
                program=report.program_id.code or report.program_id.display_name,
                start=report.date_from and format_date(self.env, report.date_from),
                end=report.date_to and format_date(self.env, report.date_to),
            )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for report in self:
            if report.date_to < report.date_from:
                raise ValidationError(
                    self.env._(
                        "The reporting period cannot end (%(end)s) before it starts "
                        "(%(start)s).",
                        end=report.date_to,
                        start=report.date_from,
                    )
                )

    @api.depends("program_id", "date_from", "date_to")
    def _compute_indicators(self):
        for report in self:
            if not (report.program_id and report.date_from and report.date_to):
                report.update(
                    {
                        "incomplete_count": 0,
                        "below_hours_count": 0,
                        "indicator_html": False,
                    }
                )
                continue
            values = report._indicators()
            report.incomplete_count = values["incomplete"]["total"]
            report.below_hours_count = values["below_hours"]["total"]
            report.indicator_html = self.env["ir.qweb"]._render(
                "integration_program.esf_indicator_table",
                {"values": values, "columns": ESF_COLUMNS},
            )

    def _indicators(self):
        self.ensure_one()
        return self.env["integration.kpi"]._esf_indicators(
            self.program_id, self.date_from, self.date_to
        )

    def action_open(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "integration_program.integration_esf_report_action"
        )
        action["res_id"] = self.id
        return action

    def action_export_indicators(self):
        self.ensure_one()
        return self.env.ref(
            "integration_program.action_report_esf_indicators_xlsx"
        ).report_action(self)

    def action_export_participants(self):
        self.ensure_one()
        return self.env.ref(
            "integration_program.action_report_esf_participants_xlsx"
        ).report_action(self)

    def action_open_incomplete(self):
        """The women not counted for missing data: the list to complete (with
        an ESF+ record for those who have none yet)."""
        self.ensure_one()
        participants = (
            self.env["integration.participant"]
            .with_context(active_test=False)
            .search(
                [
                    ("program_id", "=", self.program_id.id),
                    ("enrollment_date", "<=", self.date_to),
                ]
            )
        )
        self.env["integration.esf.record"]._for_participants(participants)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "integration_program.integration_esf_record_action_incomplete"
        )
        action["domain"] = [("program_id", "=", self.program_id.id)]
        return action
