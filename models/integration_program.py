from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from odoo.addons.base.models.res_partner import _lang_get

from .integration_esf_record import ESF_FIELDS, ESF_FIELDS_DEFAULT
from .surface_access import checked_message_ids

# Milestones in which a participant is accompanied by her coach.
COACHING_MILESTONES = ("coaching", "qualification", "training", "employment")
# After this many days without a coaching session a participant needs a follow-up.
STALE_DAYS_PARAM = "integration_program.stale_contact_days"
STALE_DAYS_DEFAULT = 30


class IntegrationProgram(models.Model):
    _name = "integration.program"
    _description = "Integration Programme"
    _inherit = ["mail.thread"]
    message_ids = checked_message_ids()
    _order = "date_start desc, name"

    name = fields.Char(required=True, tracking=True, translate=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Short code used in reports and pseudonymous participant IDs.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()
    funder_id = fields.Many2one(
        "res.partner",
        tracking=True,
        help="Organisation funding the programme, e.g. a state ministry.",
    )
    date_start = fields.Date(string="Start Date", tracking=True)
    date_end = fields.Date(string="End Date", tracking=True)
    manager_ids = fields.Many2many(
        "res.users",
        string="Programme Managers",
        domain="[('share', '=', False)]",
    )
    description = fields.Html()
    lang = fields.Selection(
        _lang_get,
        string="Language",
        default=lambda self: self.env.company.partner_id.lang or self.env.lang,
        help="Language of the texts the programme writes by itself (notes in the "
        "chatter, names given at anonymisation): its staff read them.",
    )
    placement_moves_stage = fields.Boolean(
        string="Placements Move the Stage",
        default=True,
        help="Starting a vocational training or an insured employment moves the "
        "participant to the stage with the matching milestone.",
    )
    send_reminders = fields.Boolean(
        string="Remind Participants",
        default=True,
        help="Remind the participants of their appointments and course days by "
        "e-mail and, with a phone number, by SMS, in their own language.",
    )
    reminder_lead_days = fields.Integer(
        string="Reminder Lead Time (days)",
        default=1,
        help="How many days ahead of an appointment or a course day she is reminded.",
    )
    participant_ids = fields.One2many("integration.participant", "program_id")
    participant_count = fields.Integer(
        string="Participants", compute="_compute_participant_counts"
    )
    in_coaching_count = fields.Integer(
        string="In Coaching", compute="_compute_participant_counts"
    )
    paused_count = fields.Integer(
        string="Paused", compute="_compute_participant_counts"
    )

    target_ids = fields.One2many(
        "integration.target", "program_id", string="Target Agreements"
    )

    # ESF+ co-funding (Regulation (EU) 2021/1057): the funder's monitoring data
    # (integration.esf.record) and indicators.
    esf_cofunded = fields.Boolean(
        string="ESF+ Co-funded",
        help="Co-funded by the European Social Fund Plus: record every woman's "
        "entry, exit and six-month data for the funder's indicators.",
    )
    esf_min_hours = fields.Float(
        string="Minimum Participation Hours",
        default=8.0,
        help="Participants with fewer hours of coaching and course attendance "
        "are not counted in the ESF+ indicators.",
    )
    esf_field_ids = fields.Many2many(
        "ir.model.fields",
        "integration_program_esf_field_rel",
        "program_id",
        "field_id",
        string="Mandatory ESF+ Data",
        domain=lambda self: [
            ("model", "=", "integration.esf.record"),
            ("name", "in", list(ESF_FIELDS)),
        ],
        default=lambda self: self._default_esf_fields(),
        help="Entry data the funder requires: a participant lacking one of them "
        "is not counted in the indicators.",
    )

    _code_uniq = models.Constraint(
        "UNIQUE(code)", "Another programme already uses this code."
    )

    @api.model
    def _default_esf_fields(self):
        return self.env["ir.model.fields"].search(
            [
                ("model", "=", "integration.esf.record"),
                ("name", "in", list(ESF_FIELDS_DEFAULT)),
            ]
        )

    @api.onchange("esf_cofunded")
    def _onchange_esf_cofunded(self):
        """A programme becoming co-funded starts from the usual mandatory data."""
        if self.esf_cofunded and not self.esf_field_ids:
            self.esf_field_ids = self._default_esf_fields()

    @api.model_create_multi
    def create(self, vals_list):
        self._forget_managed_programmes()
        return super().create(vals_list)

    def write(self, vals):
        if "manager_ids" in vals or "active" in vals:
            self._forget_managed_programmes()
        return super().write(vals)

    def _forget_managed_programmes(self):
        """Drop the programmes each user manages, looked up once per transaction
        for the pipeline's "My Programmes" (integration.participant)."""
        for key in [
            key
            for key in self.env.cr.cache
            if isinstance(key, tuple) and key[0] == "integration_my_programmes"
        ]:
            del self.env.cr.cache[key]

    @api.constrains("reminder_lead_days")
    def _check_reminder_lead_days(self):
        for program in self:
            if not 0 <= program.reminder_lead_days <= 30:
                raise ValidationError(
                    self.env._(
                        "Reminders are sent between 0 and 30 days ahead (%(name)s).",
                        name=program.name,
                    )
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for program in self:
            if (
                program.date_start
                and program.date_end
                and program.date_end < program.date_start
            ):
                raise ValidationError(
                    self.env._(
                        "The programme %(name)s cannot end (%(end)s) before it "
                        "starts (%(start)s).",
                        name=program.name,
                        end=program.date_end,
                        start=program.date_start,
                    )
                )

    def _compute_participant_counts(self):
        counts = self.get_milestone_counts()
        paused = dict(
            self.env["integration.participant"]._read_group(
                [("program_id", "in", self.ids), ("is_paused", "=", True)],
                ["program_id"],
                ["__count"],
            )
        )
        for program in self:
            by_milestone = counts.get(program.id, {})
            program.participant_count = sum(by_milestone.values())
            program.in_coaching_count = sum(
                by_milestone.get(milestone, 0) for milestone in COACHING_MILESTONES
            )
            program.paused_count = paused.get(program, 0)

    @api.readonly
    def get_milestone_counts(self):
        """Active participants per programme and milestone of their stage.

        Returns ``{program_id: {milestone: count}}`` from one grouped query.
        """
        groups = self.env["integration.participant"]._read_group(
            [("program_id", "in", self.ids)],
            ["program_id", "milestone"],
            ["__count"],
        )
        counts = {program.id: {} for program in self}
        for program, milestone, count in groups:
            counts[program.id][milestone] = count
        return counts

    def _action_participants(self, extra_domain=None, extra_context=None):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "integration_program.integration_participant_action"
        )
        action["domain"] = [("program_id", "=", self.id)] + (extra_domain or [])
        action["context"] = {
            "default_program_id": self.id,
            **(extra_context or {}),
        }
        return action

    @api.readonly
    def action_view_participants(self):
        return self._action_participants()

    @api.readonly
    def action_view_in_coaching(self):
        return self._action_participants(
            [("milestone", "in", list(COACHING_MILESTONES))]
        )

    @api.readonly
    def action_view_paused(self):
        return self._action_participants([("is_paused", "=", True)])

    def _kpi_values(self, date_from, date_to, reference_date):
        """Funder KPIs of the programme for the period, as of ``reference_date``
        (see ``integration.funder.report``); the entry point for benchmarks."""
        self.ensure_one()
        return self.env["integration.kpi"]._kpi_values(
            self, date_from, date_to, reference_date
        )

    def _pseudonym(self, participant_id):
        """The ID under which a participant appears in reports leaving the
        city: programme code and record number, without name or contact."""
        self.ensure_one()
        return f"{self.code}-{participant_id:06d}"

    def action_open_funder_report(self):
        self.ensure_one()
        report = self.env["integration.funder.report"].create(
            {"program_id": self.id, "reference_date": self._default_reference_date()}
        )
        return report.action_open()

    # ------------------------------------------------------------------
    # The funder workbook as a background job (queue_job)
    # ------------------------------------------------------------------
    def _enqueue_funder_workbook(self, date_from, date_to, reference_date):
        """Queue the workbook's rendering; the requester is told in the
        programme's chatter now, and in her inbox with the file when it is ready."""
        self.ensure_one()
        self.sudo().message_post(
            body=self.env._(
                "Funder workbook as of %(date)s requested by %(user)s: it is "
                "being prepared in the background.",
                date=format_date(self.env, reference_date),
                user=self.env.user.name,
            ),
            author_id=self.env.user.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        return self.with_delay(
            description=self.env._(
                "Funder workbook: %(program)s as of %(date)s",
                program=self.display_name,
                date=format_date(self.env, reference_date),
            ),
        )._job_funder_workbook(
            fields.Date.to_string(date_from),
            fields.Date.to_string(date_to),
            fields.Date.to_string(reference_date),
        )

    def _job_funder_workbook(self, date_from, date_to, reference_date):
        """Job: render the workbook as the requesting user and send it to her
        alone. The file is private to her and the programme managers (it is not
        one of the programme's documents that every reader of the programme could
        open), and the notification reaches her inbox only."""
        self.ensure_one()
        report = self.env["integration.funder.report"].create(
            {
                "program_id": self.id,
                "date_from": date_from,
                "date_to": date_to,
                "reference_date": reference_date,
            }
        )
        content, _file_type = self.env["ir.actions.report"]._render_xlsx(
            "integration_program.action_report_funder_xlsx", report.ids, {}
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{report.display_name}.xlsx",
                    "raw": content,
                    "res_model": self._name,
                    "res_id": self.id,
                    "integration_private": True,
                    "mimetype": "application/vnd.openxmlformats-officedocument"
                    ".spreadsheetml.sheet",
                }
            )
        )
        requester = self.env.user.partner_id
        self.sudo().message_notify(
            body=self.env._(
                "The funder workbook %(name)s is ready for download.",
                name=attachment.name,
            ),
            attachment_ids=attachment.ids,
            partner_ids=requester.ids,
            subtype_xmlid="mail.mt_note",
        )
        return self.env._("Attached %(name)s", name=attachment.name)

    def _default_reference_date(self):
        """Today, or the last day of a programme that has ended."""
        today = fields.Date.context_today(self)
        return min(today, self.date_end) if self.date_end else today
