from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .integration_esf_qualification import ISCED_GROUPS, isced_group

GENDERS = [("female", "Female"), ("male", "Male"), ("non_binary", "Non-binary")]
YES_NO = [("yes", "Yes"), ("no", "No")]
# Labour-market status immediately before entry (Annex I: EECO01-EECO04).
LABOUR_STATUSES = [
    ("employed", "Employed, including self-employed"),
    ("unemployed", "Unemployed"),
    ("inactive", "Inactive"),
    ("education", "Inactive, in education or training"),
]
# Situation on leaving, one of them (EECR01, EECR04): job-seeking and in
# employment exclude each other; education and a qualification may come on top.
EXIT_STATUSES = [
    ("job_seeking", "Job-seeking"),
    ("employed", "In employment, including self-employed"),
    ("other", "Neither"),
]
FOLLOWUP_STATES = [
    ("due", "Due"),
    ("done", "Done"),
    ("unreachable", "Not reachable"),
]
# Days after her exit within which the situation on leaving is recorded
# (EECR01-EECR04: "upon leaving", up to four weeks).
EXIT_DATA_DAYS = 28
FOLLOWUP_MONTHS = 6
# Long-term unemployed (EECO02): unemployed for more than 12 months, or more
# than 6 months when younger than 25.
LONG_TERM_MONTHS = 12
LONG_TERM_MONTHS_YOUNG = 6
# Fields a programme may require for the funder, and those it does by default.
ESF_FIELDS = (
    "gender",
    "birthdate",
    "labour_status",
    "registered_unemployed",
    "school_qualification_id",
    "vocational_qualification_id",
    "third_country",
    "foreign_background",
    "housing_exclusion",
)
ESF_FIELDS_DEFAULT = (
    "gender",
    "birthdate",
    "labour_status",
    "school_qualification_id",
    "third_country",
    "foreign_background",
    "housing_exclusion",
)


def age_on(birthdate, day):
    if not birthdate or not day:
        return None
    return relativedelta(day, birthdate).years


class IntegrationEsfRecord(models.Model):
    """A participant's ESF+ monitoring data (Regulation (EU) 2021/1057, Annex I):
    what she said at entry, her situation on leaving and six months later. One
    record per participant, kept apart so that the participant stays lean;
    disability and minority are special-category data in
    ``integration.esf.sensitive``."""

    _name = "integration.esf.record"
    _description = "ESF+ Participant Data"
    _inherit = ["integration.participant.record"]
    _rec_name = "participant_id"
    _order = "id desc"

    provider_id = fields.Many2one(related="participant_id.provider_id")
    coach_id = fields.Many2one(related="participant_id.coach_id")
    entry_date = fields.Date(related="participant_id.enrollment_date")
    exit_date = fields.Date(related="participant_id.exit_date", store=True)
    # Entry (Teilnehmendenstammblatt)
    gender = fields.Selection(GENDERS, required=True, default="female")
    birthdate = fields.Date(
        related="participant_id.birthdate", readonly=False, string="Date of Birth"
    )
    age_at_entry = fields.Integer(string="Age at Entry", compute="_compute_age_band")
    age_band = fields.Selection(
        [
            ("under_18", "Under 18"),
            ("18_29", "18–29"),
            ("30_54", "30–54"),
            ("55_plus", "55 and over"),
        ],
        string="Age Band at Entry",
        compute="_compute_age_band",
    )
    labour_status = fields.Selection(
        LABOUR_STATUSES, string="Labour-Market Status before Entry"
    )
    months_unemployed = fields.Integer()
    registered_unemployed = fields.Selection(
        YES_NO,
        string="Registered with Jobcenter/Agentur",
        help="Registered as unemployed or job-seeking with the Jobcenter or the "
        "Agentur für Arbeit.",
    )
    long_term_unemployed = fields.Boolean(
        string="Long-Term Unemployed",
        compute="_compute_long_term_unemployed",
        store=True,
    )
    school_qualification_id = fields.Many2one(
        "integration.esf.qualification",
        string="Highest School Qualification",
        domain="[('kind', '=', 'school')]",
        ondelete="restrict",
    )
    vocational_qualification_id = fields.Many2one(
        "integration.esf.qualification",
        string="Highest Vocational Qualification",
        domain="[('kind', '=', 'vocational')]",
        ondelete="restrict",
    )
    isced_group = fields.Selection(
        ISCED_GROUPS,
        string="Education (ISCED)",
        compute="_compute_isced_group",
        store=True,
        help="The higher of her school and vocational qualification.",
    )
    third_country = fields.Selection(
        YES_NO,
        string="Third-Country National",
        help="Citizen of a country outside the European Union.",
    )
    foreign_background = fields.Selection(
        YES_NO,
        help="Born abroad, or at least one parent born abroad.",
    )
    housing_exclusion = fields.Selection(
        YES_NO,
        string="Homeless or Excluded from Housing",
    )
    # Completeness for the funder
    is_complete = fields.Boolean(
        string="ESF+ Data Complete",
        compute="_compute_completeness",
        store=True,
        index=True,
    )
    # In the reader's language, hence not stored.
    missing_data = fields.Char(string="Missing", compute="_compute_missing_data")
    participation_hours = fields.Float(compute="_compute_participation_hours")
    # Exit
    exit_status = fields.Selection(EXIT_STATUSES, string="Situation on Leaving")
    exit_in_education = fields.Boolean(string="In Education or Training on Leaving")
    exit_qualification = fields.Boolean(string="Gained a Qualification")
    exit_recorded_on = fields.Date(
        string="Situation Recorded On",
        help="Day the situation on leaving was established: within "
        f"{EXIT_DATA_DAYS} days of her exit.",
    )
    # Six-month follow-up
    followup_due_date = fields.Date(
        string="Follow-up Due",
        compute="_compute_followup_due_date",
        store=True,
        index=True,
    )
    followup_state = fields.Selection(
        FOLLOWUP_STATES, string="Six-Month Follow-up", index=True, copy=False
    )
    followup_date = fields.Date(string="Followed Up On", copy=False)
    followup_employed = fields.Boolean(
        string="In Employment after Six Months",
        help="In employment, including self-employed, six months after leaving.",
    )
    followup_improved = fields.Boolean(
        string="Improved Labour-Market Situation",
        help="Employed at entry: six months after leaving in a better job "
        "(permanent instead of temporary, full-time instead of part-time, a "
        "higher qualified post or a promotion).",
    )

    _participant_uniq = models.Constraint(
        "UNIQUE(participant_id)",
        "A participant has one ESF+ record.",
    )

    @api.depends("birthdate", "entry_date")
    def _compute_age_band(self):
        for record in self:
            age = age_on(record.birthdate, record.entry_date)
            record.age_at_entry = age or 0
            if age is None:
                record.age_band = False
            elif age < 18:
                record.age_band = "under_18"
            elif age <= 29:
                record.age_band = "18_29"
            elif age >= 55:
                record.age_band = "55_plus"
            else:
                record.age_band = "30_54"

    @api.depends(
        "labour_status",
        "months_unemployed",
        "participant_id.birthdate",
        "participant_id.enrollment_date",
    )
    def _compute_long_term_unemployed(self):
        for record in self:
            age = age_on(
                record.participant_id.birthdate, record.participant_id.enrollment_date
            )
            limit = (
                LONG_TERM_MONTHS_YOUNG
                if age is not None and age < 25
                else LONG_TERM_MONTHS
            )
            record.long_term_unemployed = (
                record.labour_status == "unemployed"
                and record.months_unemployed > limit
            )

    @api.depends(
        "school_qualification_id.isced_level",
        "vocational_qualification_id.isced_level",
    )
    def _compute_isced_group(self):
        for record in self:
            levels = [
                int(q.isced_level)
                for q in (
                    record.school_qualification_id,
                    record.vocational_qualification_id,
                )
                if q.isced_level
            ]
            record.isced_group = isced_group(str(max(levels))) if levels else False

    @api.depends(
        "program_id.esf_field_ids",
        "participant_id.birthdate",
        *(name for name in ESF_FIELDS if name != "birthdate"),
    )
    def _compute_completeness(self):
        for record in self:
            record.is_complete = not record._missing_fields()

    @api.depends_context("lang")
    @api.depends("is_complete")
    def _compute_missing_data(self):
        for record in self:
            record.missing_data = ", ".join(record._missing_fields())

    def _missing_fields(self):
        """Labels of the data her programme requires that she lacks."""
        self.ensure_one()
        # sudo: the labels of her programme's settings; only managers may
        # read field definitions (ir.model.fields) themselves.
        missing = [
            field.field_description
            for field in self.program_id.sudo().esf_field_ids.sorted("id")
            if field.name in self._fields and not self[field.name]
        ]
        if self.labour_status == "unemployed" and not self.months_unemployed:
            missing.append(self.env._("Months Unemployed"))
        return missing

    def _compute_participation_hours(self):
        hours = self.env["integration.kpi"]._esf_hours(self.participant_id.ids)
        for record in self:
            record.participation_hours = hours.get(record.participant_id.id, 0.0)

    @api.depends("exit_date")
    def _compute_followup_due_date(self):
        for record in self:
            record.followup_due_date = record.exit_date and (
                record.exit_date + relativedelta(months=FOLLOWUP_MONTHS)
            )

    @api.constrains("months_unemployed")
    def _check_months_unemployed(self):
        for record in self:
            if record.months_unemployed < 0 or record.months_unemployed > 600:
                raise ValidationError(
                    self.env._("The months of unemployment must be between 0 and 600.")
                )

    # Checked when the answers are written, not when her exit date moves: an
    # answer outside the 28 days of a later exit simply no longer counts.
    @api.constrains(
        "exit_status",
        "exit_recorded_on",
        "exit_in_education",
        "exit_qualification",
    )
    def _check_exit_data(self):
        for record in self:
            if not (
                record.exit_status
                or record.exit_in_education
                or record.exit_qualification
            ):
                continue
            if not record.exit_date:
                raise ValidationError(
                    self.env._(
                        "%(name)s has not left the programme: her situation on "
                        "leaving is recorded with her exit.",
                        name=record.participant_id.name,
                    )
                )
            recorded = record.exit_recorded_on
            deadline = record.exit_date + relativedelta(days=EXIT_DATA_DAYS)
            if not recorded or recorded < record.exit_date or recorded > deadline:
                raise ValidationError(
                    self.env._(
                        "The situation on leaving of %(name)s is recorded between "
                        "her exit and %(days)s days later (%(exit)s to "
                        "%(deadline)s). Later answers do not count for the funder: "
                        "leave it empty.",
                        name=record.participant_id.name,
                        days=EXIT_DATA_DAYS,
                        exit=record.exit_date,
                        deadline=deadline,
                    )
                )

    @api.constrains("followup_state", "followup_date")
    def _check_followup(self):
        for record in self:
            if record.followup_state != "done":
                continue
            if not record.followup_due_date or not record.followup_date:
                raise ValidationError(
                    self.env._(
                        "The follow-up of %(name)s needs its date.",
                        name=record.participant_id.name,
                    )
                )
            if record.followup_date < record.followup_due_date:
                raise ValidationError(
                    self.env._(
                        "The six-month follow-up of %(name)s is answered from "
                        "%(due)s on, six months after her exit.",
                        name=record.participant_id.name,
                        due=record.followup_due_date,
                    )
                )

    # ------------------------------------------------------------------
    # Exit and follow-up
    # ------------------------------------------------------------------
    def _schedule_followup(self):
        """At her exit: the six-month follow-up falls due, an activity for her
        coach (or the staff member responsible) on its day. Once per exit."""
        for record in self.filtered(lambda r: r.exit_date and not r.followup_state):
            record.followup_state = "due"
            participant = record.participant_id
            participant.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=record.followup_due_date,
                summary=self.env._("ESF+ six-month follow-up"),
                note=self.env._(
                    "Ask her about her situation six months after leaving and "
                    "record it in her ESF+ data."
                ),
                user_id=(
                    participant.coach_id or participant.user_id or self.env.user
                ).id,
            )

    def action_followup_done(self):
        for record in self:
            record.write(
                {
                    "followup_state": "done",
                    "followup_date": record.followup_date
                    or fields.Date.context_today(self),
                }
            )
            record._close_followup_activities()

    def action_followup_unreachable(self):
        self.write({"followup_state": "unreachable"})
        self._close_followup_activities()

    def _close_followup_activities(self):
        summary = self.env._("ESF+ six-month follow-up")
        self.participant_id.activity_ids.filtered(
            lambda a: a.summary == summary
        ).action_feedback(feedback=self.env._("Follow-up recorded."))

    def action_open_sensitive(self):
        """Disability and minority (Art. 9 GDPR): her record, created on first
        use; the access rules decide who may open it."""
        self.ensure_one()
        sensitive = self.env["integration.esf.sensitive"].search(
            [("participant_id", "=", self.participant_id.id)], limit=1
        )
        if not sensitive:
            sensitive = self.env["integration.esf.sensitive"].create(
                {"participant_id": self.participant_id.id}
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Special-Category Data"),
            "res_model": "integration.esf.sensitive",
            "res_id": sensitive.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.model
    def _for_participants(self, participants):
        """The ESF+ records of ``participants``, created where missing."""
        records = self.search([("participant_id", "in", participants.ids)])
        missing = participants - records.participant_id
        if missing:
            records |= self.create([{"participant_id": p.id} for p in missing])
        return records
