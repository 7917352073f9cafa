import re
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from .integration_input import clean_text
from .integration_program import STALE_DAYS_DEFAULT, STALE_DAYS_PARAM
from .reader_lang import programme_lang, reader_env
from .surface_access import checked_activity_ids, checked_message_ids

GERMAN_LEVELS = [
    ("a0", "A0 (no German)"),
    ("a1", "A1"),
    ("a2", "A2"),
    ("b1", "B1"),
    ("b2", "B2"),
    ("c1", "C1"),
    ("c2", "C2"),
]

SCHOOL_EDUCATION = [
    ("none", "No school education"),
    ("primary", "Primary school"),
    ("lower_secondary", "Lower secondary (Hauptschule level)"),
    ("secondary", "Secondary (Realschule level)"),
    ("upper_secondary", "Upper secondary (Abitur level)"),
    ("higher", "University degree"),
]

RECOGNITION_STATES = [
    ("not_applied", "Not applied for"),
    ("pending", "Recognition pending"),
    ("partial", "Partially recognised"),
    ("recognised", "Recognised"),
    ("refused", "Not recognised"),
]

# Who sees what of a participant (SGB X §§ 67 ff.) in the back end is decided by
# two technical groups (security/integration_program_security.xml), both implied by
# staff and coaches: the casework tier (stage, courses, placements, dates) and the
# confidential tier (notes, health, sessions, contact). Jobcenters and training
# partners are portal users without access to this model: the portal controllers
# show them the fields listed there.
CONFIDENTIAL = "integration_program.group_participant_confidential"
CASEWORK = "integration_program.group_participant_casework"

# Long enough for any name and number, short enough for an index and a letter.
NAME_MAX = 128
CUSTOMER_NUMBER_MAX = 30

# Contact data lives on the linked res.partner.
PARTNER_FIELDS = ("email", "phone", "street", "zip", "city")


class IntegrationParticipant(models.Model):
    _name = "integration.participant"
    _description = "Participant"
    _inherit = [
        "integration.input.mixin",
        "integration.organisation.access",
        "mail.activity.mixin",
        "mail.tracking.duration.mixin",
    ]
    message_ids = checked_message_ids()
    activity_ids = checked_activity_ids()
    _order = "priority desc, date_last_stage_update desc, id desc"
    _track_duration_field = "stage_id"
    _rec_names_search = ["name", "jobcenter_customer_number"]
    _organisation_access_fields = ("coach_id", "provider_id", "referrer_id")
    _integration_filled_later = ("partner_id",)
    _integration_max_lengths = {
        "name": NAME_MAX,
        "jobcenter_customer_number": CUSTOMER_NUMBER_MAX,
        "email": 254,
        "phone": 64,
        "street": 200,
        "zip": 20,
        "city": 100,
    }

    name = fields.Char(required=True, tracking=True, index="trigram")
    active = fields.Boolean(default=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        required=True,
        ondelete="restrict",
        index=True,
        help="Contact record holding the address and communication data.",
        groups=CONFIDENTIAL,
    )
    email = fields.Char(
        related="partner_id.email",
        readonly=False,
        groups=CASEWORK,
    )
    phone = fields.Char(
        related="partner_id.phone",
        readonly=False,
        groups=CASEWORK,
    )
    street = fields.Char(
        related="partner_id.street",
        readonly=False,
        groups=CASEWORK,
    )
    zip = fields.Char(
        related="partner_id.zip",
        readonly=False,
        groups=CASEWORK,
    )
    city = fields.Char(
        related="partner_id.city",
        readonly=False,
        groups=CASEWORK,
    )
    program_id = fields.Many2one(
        "integration.program",
        string="Programme",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self._default_program(),
    )
    stage_id = fields.Many2one(
        "integration.stage",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        domain="['|', ('program_ids', '=', False), ('program_ids', 'in', program_id)]",
        compute="_compute_stage_id",
        store=True,
        readonly=False,
        precompute=True,
        groups=CASEWORK,
    )
    milestone = fields.Selection(
        related="stage_id.milestone",
        store=True,
        index=True,
        string="Milestone",
    )
    date_last_stage_update = fields.Datetime(
        string="In Stage Since",
        default=fields.Datetime.now,
        copy=False,
        readonly=True,
    )
    days_in_stage = fields.Integer(
        compute="_compute_days_in_stage",
        groups=CASEWORK,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
        index=True,
        help="Member of the programme staff looking after this participant.",
        groups=CASEWORK,
    )
    coach_id = fields.Many2one(
        "res.users",
        tracking=True,
        index=True,
        domain="[('integration_provider_id', '!=', False)]",
        help="Personal coach accompanying the participant for her whole time "
        "in the programme.",
        groups=CASEWORK,
    )
    provider_id = fields.Many2one(
        "res.partner",
        string="Coaching Provider",
        compute="_compute_provider_id",
        store=True,
        index=True,
        help="The provider employing her coach.",
        groups=CASEWORK,
    )
    in_my_programmes = fields.Boolean(
        compute="_compute_in_my_programmes",
        search="_search_in_my_programmes",
        help="Participants of the programmes you manage.",
    )
    assignment_ids = fields.One2many(
        "integration.coaching.assignment",
        "participant_id",
        string="Coaching History",
        groups=CONFIDENTIAL,
    )
    session_ids = fields.One2many(
        "integration.coaching.session",
        "participant_id",
        string="Coaching Sessions",
        groups=CONFIDENTIAL,
    )
    session_count = fields.Integer(
        compute="_compute_related_counts",
        groups=CONFIDENTIAL,
    )
    assignment_count = fields.Integer(
        string="Coaching History Count",
        compute="_compute_related_counts",
        groups=CONFIDENTIAL,
    )
    enrollment_ids = fields.One2many(
        "integration.enrollment",
        "participant_id",
        string="Course Enrolments",
        groups=CASEWORK,
    )
    enrollment_count = fields.Integer(
        compute="_compute_related_counts",
        groups=CASEWORK,
    )
    appointment_ids = fields.One2many(
        "integration.appointment",
        "participant_id",
        groups=CASEWORK,
    )
    appointment_count = fields.Integer(
        compute="_compute_related_counts",
        groups=CASEWORK,
    )
    no_reminders = fields.Boolean(
        tracking=True,
        groups=CASEWORK,
        help="She does not want reminders of her appointments and course days.",
    )
    reminder_lang = fields.Selection(
        related="partner_id.lang",
        string="Preferred Language",
        readonly=False,
        groups=CASEWORK,
        help="Her mails and her reminders by e-mail and SMS are written in this "
        "language.",
    )
    placement_ids = fields.One2many(
        "integration.placement",
        "participant_id",
        string="Placements",
        groups=CASEWORK,
    )
    placement_count = fields.Integer(
        compute="_compute_related_counts",
        groups=CASEWORK,
    )
    last_contact_date = fields.Date(
        compute="_compute_last_contact_date",
        store=True,
        index=True,
        help="Date of the last coaching session.",
        groups=CONFIDENTIAL,
    )
    enrollment_date = fields.Date(
        string="Enrolment Date",
        default=fields.Date.context_today,
        required=True,
        tracking=True,
        help="Day the participant entered the programme.",
        groups=CASEWORK,
    )
    exit_date = fields.Date(
        tracking=True,
        copy=False,
        groups=CASEWORK,
    )
    exit_reason_id = fields.Many2one(
        "integration.exit.reason",
        tracking=True,
        copy=False,
        ondelete="restrict",
        groups=CASEWORK,
    )
    exit_note = fields.Text(
        copy=False,
        groups=CONFIDENTIAL,
    )
    birthdate = fields.Date(
        string="Date of Birth",
        groups=CASEWORK,
    )
    age = fields.Integer(
        compute="_compute_age",
        groups=CASEWORK,
    )
    country_id = fields.Many2one(
        "res.country",
        string="Country of Origin",
        index=True,
        groups=CASEWORK,
    )
    language_ids = fields.Many2many("integration.language", string="Languages")
    german_level = fields.Selection(
        GERMAN_LEVELS,
        tracking=True,
        help="Level of German according to the Common European Framework (CEFR).",
    )
    school_education = fields.Selection(
        SCHOOL_EDUCATION,
        groups=CASEWORK,
    )
    foreign_qualification = fields.Char(
        string="Foreign Qualifications",
        help="Vocational or academic qualifications obtained abroad.",
        groups=CASEWORK,
    )
    recognition_state = fields.Selection(
        RECOGNITION_STATES,
        string="Recognition",
        help="Whether the foreign qualifications are recognised in Germany.",
        groups=CASEWORK,
    )
    target_profession_ids = fields.Many2many(
        "integration.profession",
        string="Target Professions",
        groups=CASEWORK,
    )
    childcare_needed = fields.Boolean(
        string="Needs Childcare",
        help="The participant needs childcare to attend courses or work.",
        groups=CONFIDENTIAL,
    )
    jobcenter_customer_number = fields.Char(
        string="Jobcenter Customer No.",
        # Trigram: the name search looks for it with ilike (and = is served too).
        index="trigram",
        copy=False,
        help="Number under which the Jobcenter knows the participant.",
        groups=CASEWORK,
    )
    referrer_id = fields.Many2one(
        "res.partner",
        string="Referred By",
        index=True,
        domain="[('is_company', '=', True)]",
        help="Organisation that referred the participant, e.g. the Jobcenter.",
        groups=CASEWORK,
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Important"), ("2", "Urgent")],
        default="0",
        index=True,
    )
    esf_cofunded = fields.Boolean(related="program_id.esf_cofunded")
    tag_ids = fields.Many2many(
        "integration.tag",
        string="Tags",
        groups=CONFIDENTIAL,
    )
    color = fields.Integer()
    kanban_state = fields.Selection(
        [
            ("normal", "In Progress"),
            ("done", "Ready for Next Stage"),
            ("blocked", "Blocked"),
        ],
        default="normal",
        required=True,
        copy=False,
    )
    is_paused = fields.Boolean(
        string="Paused",
        tracking=True,
        copy=False,
        index=True,
    )
    pause_reason = fields.Char(
        tracking=True,
        copy=False,
        groups=CONFIDENTIAL,
    )
    pause_date_start = fields.Date(
        string="Paused Since",
        copy=False,
        groups=CASEWORK,
    )
    pause_date_end = fields.Date(
        string="Pause Until",
        copy=False,
        help="Planned end of the pause; the day she resumed once resumed.",
        groups=CASEWORK,
    )
    note = fields.Html(string="Notes", groups=CONFIDENTIAL)
    health_note = fields.Text(
        string="Health",
        groups=CONFIDENTIAL,
        help="Health restrictions relevant to courses or work. Confidential: "
        "visible to programme staff and her coach only.",
    )
    consent_ids = fields.One2many(
        "integration.consent",
        "participant_id",
        string="Consents",
        groups=CASEWORK,
    )
    consent_count = fields.Integer(
        compute="_compute_related_counts",
        groups=CASEWORK,
    )
    shared_with_partner_ids = fields.Many2many(
        "res.partner",
        "integration_participant_shared_with_rel",
        "participant_id",
        "partner_id",
        string="Data Shared With",
        compute="_compute_shared_with_partner_ids",
        store=True,
        help="Organisations she allows to receive her data: the recipients of her "
        "given (and confirmed) consents to share data. Every access that depends "
        "on her consent reads this one field.",
        groups=CASEWORK,
    )
    referral_ids = fields.One2many(
        "integration.referral",
        "participant_id",
        string="Referrals",
        groups="integration_program.group_user",
    )

    # The pipeline reads each column and the list in this order: index it, so that
    # the first cards come from the index instead of sorting every participant.
    _stage_order_idx = models.Index(
        "(stage_id, priority DESC, date_last_stage_update DESC, id DESC)"
    )
    _order_idx = models.Index("(priority DESC, date_last_stage_update DESC, id DESC)")
    # Staff open the pipeline on their programme: its columns in the same order.
    _program_stage_order_idx = models.Index(
        "(program_id, stage_id, priority DESC, date_last_stage_update DESC, id DESC)"
    )
    # One participant per customer number, also when two referrals of her arrive
    # at the same moment (the check below cannot see the other's transaction).
    _customer_number_uniq = models.UniqueIndex(
        "(jobcenter_customer_number) WHERE jobcenter_customer_number IS NOT NULL",
        lambda env, diag: env["integration.participant"]._duplicate_number_message(
            diag
        ),
    )

    @api.model
    def _default_program(self):
        """The programme she most likely registers for (a ``default_program_id``
        of the context comes first): the one the user manages, else the one with
        the most participants she sees (a coach's own, all for the staff)."""
        programs = self.env["integration.program"].search([("active", "=", True)])
        if len(programs) <= 1:
            return programs
        managed = programs.filtered(lambda p: self.env.user in p.manager_ids)
        if len(managed) == 1:
            return managed
        counts = dict(
            self._read_group(
                [("program_id", "in", programs.ids), ("milestone", "!=", "exited")],
                ["program_id"],
                ["__count"],
            )
        )
        return max(managed or programs, key=lambda p: counts.get(p, 0))

    @api.depends("program_id")
    def _compute_stage_id(self):
        for participant in self:
            if participant.program_id and (
                not participant.stage_id
                or (
                    participant.stage_id.program_ids
                    and participant.program_id not in participant.stage_id.program_ids
                )
            ):
                participant.stage_id = participant._first_stage(participant.program_id)

    def _first_stage(self, program):
        return self.env["integration.stage"].search(
            self._stage_domain(program), order="sequence, id", limit=1
        )

    @api.model
    def _stage_domain(self, program):
        return Domain("program_ids", "=", False) | Domain(
            "program_ids", "in", program.ids
        )

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        program_id = self.env.context.get("default_program_id")
        search_domain = (
            self._stage_domain(self.env["integration.program"].browse(program_id))
            if program_id
            else Domain.TRUE
        )
        return stages.search(
            Domain(search_domain) | Domain("id", "in", stages.ids),
            order=stages._order,
        )

    @api.depends(
        "consent_ids.purpose", "consent_ids.state", "consent_ids.recipient_ids"
    )
    def _compute_shared_with_partner_ids(self):
        for participant in self:
            participant.shared_with_partner_ids = participant.consent_ids.filtered(
                lambda consent: (
                    consent.purpose == "data_sharing" and consent.state == "given"
                )
            ).recipient_ids

    @api.depends("program_id.manager_ids")
    @api.depends_context("uid")
    def _compute_in_my_programmes(self):
        for participant in self:
            participant.in_my_programmes = (
                self.env.user in participant.program_id.manager_ids
            )

    def _search_in_my_programmes(self, operator, value):
        # The programme ids themselves, not a sub-query: the pipeline's columns
        # then come from the (programme, stage, order) index.
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        # Looked up once per transaction: the kanban compiles the domain once
        # per column.
        key = ("integration_my_programmes", self.env.uid)
        if key not in self.env.cr.cache:
            self.env.cr.cache[key] = (
                self.env["integration.program"]
                .sudo()
                .with_context(active_test=False)
                .search([("manager_ids", "in", self.env.uid)])
                .ids
            )
        positive = (operator == "=") == value
        return [("program_id", "in" if positive else "not in", self.env.cr.cache[key])]

    @api.depends("coach_id.integration_provider_id")
    def _compute_provider_id(self):
        for participant in self:
            participant.provider_id = participant.coach_id.integration_provider_id

    # The form's smart buttons: (count field, list field), counted in one query.
    RELATED_COUNTS = (
        ("session_count", "session_ids"),
        ("assignment_count", "assignment_ids"),
        ("enrollment_count", "enrollment_ids"),
        ("placement_count", "placement_ids"),
        ("consent_count", "consent_ids"),
        ("appointment_count", "appointment_ids"),
    )

    @api.depends(
        "session_ids",
        "assignment_ids",
        "enrollment_ids",
        "placement_ids",
        "consent_ids",
        "appointment_ids",
    )
    @api.depends_context("uid")
    def _compute_related_counts(self):
        # The form shows these lists behind counted smart buttons, not embedded:
        # one query counts the lists (each as its reader may see it: record
        # rules apply) for the whole batch. Lists she may not see (sessions for a
        # Jobcenter) count nothing; the count is hidden too.
        # A record being edited in the form (a new id) counts its saved lists.
        ids = [participant._origin.id for participant in self if participant._origin.id]
        counts = {}
        selects = self._related_count_selects(ids) if ids else []
        if selects:
            self.env.cr.execute(SQL(" UNION ALL ").join(selects))
            for count_field, participant_id, count in self.env.cr.fetchall():
                counts[count_field, participant_id] = count
        for participant in self:
            for count_field in self._related_count_fields():
                participant[count_field] = counts.get(
                    (count_field, participant._origin.id), 0
                )

    def _related_count_fields(self):
        """The fields _compute_related_counts sets (extensions add theirs)."""
        return [count_field for count_field, _list_field in self.RELATED_COUNTS]

    def _related_count_selects(self, ids):
        """The parts of the one counting query: each selects (field name,
        participant id, value) rows for the participants ``ids``. Extensions
        append their own figures, to be read in the same query."""
        selects = []
        for count_field, list_field in self.RELATED_COUNTS:
            field = self._fields[list_field]
            comodel = self.env[field.comodel_name]
            if not (
                self._has_field_access(field, "read") and comodel.has_access("read")
            ):
                continue
            query = comodel._search([(field.inverse_name, "in", ids)], order="")
            if query.is_empty():
                continue
            inverse = SQL.identifier(query.table, field.inverse_name)
            query.groupby = inverse
            selects.append(
                SQL("(%s)", query.select(SQL("%s", count_field), inverse, "COUNT(*)"))
            )
        return selects

    # ------------------------------------------------------------------
    # The form's read: people and tags fetched in shared batches
    # ------------------------------------------------------------------
    # Many2many fields shown as tags, whose relations are read in one query.
    TAG_FIELDS = ("tag_ids", "language_ids", "target_profession_ids")

    def web_read(self, specification):
        records = self.filtered("id")
        if records:
            records._prefetch_people(specification)
            records._prefetch_tags(specification)
        return super().web_read(specification)

    def _readable_fields(self, specification, names):
        return [
            self._fields[name]
            for name in names
            if name in specification
            and name in self._fields
            and self._has_field_access(self._fields[name], "read")
        ]

    def _prefetch_people(self, specification):
        """Every user and contact the form shows (her coach, the staff member in
        charge, the provider, the referrer, her contact and its address) in one
        read of users and one of contacts, instead of two reads per field."""
        people = [
            field
            for field in self._readable_fields(specification, list(specification))
            if field.type == "many2one"
            and field.comodel_name in ("res.users", "res.partner")
        ]
        if not people:
            return
        users = self.env["res.users"]
        partners = self.env["res.partner"]
        for field in people:
            if field.comodel_name == "res.users":
                users |= self[field.name]
            else:
                partners |= self[field.name]
        users = users.sudo()
        partners = (partners.sudo() | users.partner_id).with_prefetch()
        partners.mapped("display_name")
        users.mapped("display_name")

    def _prefetch_tags(self, specification):
        """The relations of the tag fields (tags, languages, target professions)
        in one query, read as each field reads them (its comodel's rules)."""
        fields_ = [
            field
            for field in self._readable_fields(specification, self.TAG_FIELDS)
            if not field.bypass_search_access
        ]
        if len(fields_) < 2:
            return
        selects = []
        for field in fields_:
            comodel = self.env[field.comodel_name].with_context(
                active_test=False, **field.context
            )
            query = comodel._search(
                field.get_comodel_domain(self), order=comodel._order
            )
            relation_id1 = SQL.identifier(field.relation, field.column1)
            relation_id2 = SQL.identifier(field.relation, field.column2)
            query.add_join(
                "JOIN",
                field.relation,
                None,
                SQL("%s = %s", relation_id2, SQL.identifier(comodel._table, "id")),
            )
            query.add_where(SQL("%s IN %s", relation_id1, tuple(self.ids)))
            selects.append(
                SQL(
                    "(%s)",
                    query.select(SQL("%s", field.name), relation_id1, relation_id2),
                )
            )
        lines = {field.name: {id_: [] for id_ in self.ids} for field in fields_}
        for name, record_id, line_id in self.env.execute_query(
            SQL(" UNION ALL ").join(selects)
        ):
            lines[name][record_id].append(line_id)
        for field in fields_:
            field._insert_cache(
                self, [tuple(lines[field.name][id_]) for id_ in self._ids]
            )

    @api.depends("session_ids.date")
    def _compute_last_contact_date(self):
        last_dates = dict(
            self.env["integration.coaching.session"]
            .sudo()
            ._read_group(
                [("participant_id", "in", self.ids)], ["participant_id"], ["date:max"]
            )
        )
        for participant in self:
            participant.last_contact_date = last_dates.get(participant._origin)

    @api.depends("date_last_stage_update")
    def _compute_days_in_stage(self):
        today = fields.Date.context_today(self)
        for participant in self:
            since = participant.date_last_stage_update
            participant.days_in_stage = (today - since.date()).days if since else 0

    @api.depends("birthdate")
    def _compute_age(self):
        today = fields.Date.context_today(self)
        for participant in self:
            born = participant.birthdate
            participant.age = (
                today.year
                - born.year
                - ((today.month, today.day) < (born.month, born.day))
                if born
                else 0
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("jobcenter_customer_number", "name", "birthdate")
    def _check_duplicate(self):
        participants = self.with_context(active_test=False).sudo()
        # Checked on the user, also when she registers through sudo (referrals).
        staff = self.env.uid == SUPERUSER_ID or self.env.user.has_group(
            "integration_program.group_user"
        )
        for participant in self:
            others = Domain("id", "!=", participant.id)
            if participant.jobcenter_customer_number:
                existing = participants.search(
                    others
                    & Domain(
                        "jobcenter_customer_number",
                        "=",
                        participant.jobcenter_customer_number,
                    ),
                    limit=1,
                )
                if existing:
                    raise ValidationError(
                        self._duplicate_number_message(existing=existing)
                    )
            if participant.birthdate:
                existing = participants.search(
                    others
                    & Domain("name", "=ilike", participant.name.strip())
                    & Domain("birthdate", "=", participant.birthdate),
                    limit=1,
                )
                if existing and not staff:
                    raise ValidationError(self._duplicate_message_external())
                if existing:
                    raise ValidationError(
                        self.env._(
                            "%(existing)s, born on %(birthdate)s, is already "
                            "registered (%(program)s). Open her record instead of "
                            "registering her again.",
                            existing=existing.name,
                            birthdate=existing.birthdate,
                            program=existing.program_id.name,
                        )
                    )

    @api.model
    def _duplicate_number_message(self, diag=None, existing=None):
        """The message of a second participant with one customer number, from
        the check or from the unique index (``diag`` of the database error)."""
        staff = self.env.uid == SUPERUSER_ID or self.env.user.has_group(
            "integration_program.group_user"
        )
        if not staff:
            return self._duplicate_message_external()
        if existing is None:
            match = re.search(r"=\((.*)\)", (diag and diag.message_detail) or "")
            existing = (
                self.sudo()
                .with_context(active_test=False)
                .search([("jobcenter_customer_number", "=", match.group(1))], limit=1)
                if match
                else self.browse()
            )
        if not existing:
            return self.env._(
                "A participant with this Jobcenter customer number already exists. "
                "Open her record instead of registering her again."
            )
        existing = existing.sudo()
        return self.env._(
            "A participant with Jobcenter customer number %(number)s "
            "already exists: %(existing)s (%(program)s). Open her "
            "record instead of registering her again.",
            number=existing.jobcenter_customer_number,
            existing=existing.name,
            program=existing.program_id.name,
        )

    def _duplicate_message_external(self):
        # Partner organisations must not learn who else is registered.
        return self.env._(
            "This person may already be registered in the programme. Please "
            "contact the programme staff instead of registering her again."
        )

    @api.constrains("enrollment_date", "exit_date", "birthdate")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for participant in self:
            if participant.birthdate and participant.birthdate > today:
                raise ValidationError(
                    self.env._(
                        "The date of birth of %(name)s lies in the future.",
                        name=participant.name,
                    )
                )
            if (
                participant.exit_date
                and participant.exit_date < participant.enrollment_date
            ):
                raise ValidationError(
                    self.env._(
                        "%(name)s cannot leave the programme (%(exit)s) before she "
                        "enrolled (%(enrolled)s).",
                        name=participant.name,
                        exit=participant.exit_date,
                        enrolled=participant.enrollment_date,
                    )
                )

    @api.constrains("pause_date_start", "pause_date_end")
    def _check_pause_dates(self):
        for participant in self:
            if (
                participant.pause_date_start
                and participant.pause_date_end
                and participant.pause_date_end < participant.pause_date_start
            ):
                raise ValidationError(
                    self.env._(
                        "The pause of %(name)s cannot end (%(end)s) before it starts "
                        "(%(start)s).",
                        name=participant.name,
                        end=participant.pause_date_end,
                        start=participant.pause_date_start,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def _normalize_vals(self, vals):
        """Checked and tidied values: her name without blanks or invisible
        characters, the customer number without spaces, in capitals."""
        self._integration_check_vals(vals)
        if vals.get("jobcenter_customer_number"):
            vals["jobcenter_customer_number"] = (
                "".join(clean_text(vals["jobcenter_customer_number"]).split()).upper()
                or False
            )
            self._check_customer_number_free(vals["jobcenter_customer_number"])
        if "name" in vals:
            vals["name"] = clean_text(vals["name"] or "")
            if not vals["name"]:
                raise ValidationError(
                    self.env._("Please enter the name of the participant.")
                )
        if vals.get("coach_id"):
            self._check_is_coach(self.env["res.users"].browse(vals["coach_id"]))
        return vals

    @api.model
    def _find_registered(self, name, birthdate, customer_number):
        """The participant the duplicate rule finds for these values (same
        customer number, or same name and date of birth), archived ones included;
        an empty recordset when she is new. Read as superuser: the caller decides
        what, if anything, the user learns of her."""
        participants = self.sudo().with_context(active_test=False)
        number = "".join(clean_text(customer_number or "").split()).upper()
        if number:
            found = participants.search(
                [("jobcenter_customer_number", "=", number)], limit=1
            )
            if found:
                return found
        if name and birthdate:
            return participants.search(
                [("name", "=ilike", clean_text(name)), ("birthdate", "=", birthdate)],
                limit=1,
            )
        return participants.browse()

    def _check_customer_number_free(self, number):
        """Before the row is written: the unique index would refuse it with a
        database error (which the web client shows as the same message)."""
        if not number:
            return
        existing = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("jobcenter_customer_number", "=", number),
                    ("id", "not in", self.ids),
                ],
                limit=1,
            )
        )
        if existing:
            raise ValidationError(self._duplicate_number_message(existing=existing))

    @api.model
    def _check_is_coach(self, user):
        if not user.sudo().integration_provider_id:
            raise ValidationError(
                self.env._(
                    "%(name)s is not a coach of a coaching provider. Choose one of "
                    "the coaches proposed (Assign Coach lists those with free "
                    "capacity).",
                    name=user.sudo().name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_vals(vals)
            # Her contact is created with her: nobody but the system links her to
            # an existing contact (it could be anybody's, a login's included).
            if vals.get("partner_id") and not self.env.su:
                raise UserError(
                    self.env._(
                        "A participant's contact is created with her; it cannot be "
                        "chosen among the existing contacts."
                    )
                )
        # Her contact belongs to her participant record: whoever may register a
        # participant may record her contact data, without rights on all Contacts.
        partner_model = self.env["res.partner"].sudo()
        contact_updates = []
        new_contacts = []
        for vals in vals_list:
            partner_vals = self._pop_contact_vals(vals)
            if vals.get("partner_id"):
                contact_updates.append((vals["partner_id"], partner_vals))
            else:
                partner_vals["name"] = vals.get("name")
                # Mails to her are written in the programme's language.
                program = self.env["integration.program"].browse(vals.get("program_id"))
                if program.sudo().lang and not partner_vals.get("lang"):
                    partner_vals["lang"] = program.sudo().lang
                new_contacts.append((vals, partner_vals))
        # One create for all new contacts (an imported file registers thousands).
        partners = partner_model.create([contact for _vals, contact in new_contacts])
        for (vals, _contact), partner in zip(new_contacts, partners, strict=True):
            vals["partner_id"] = partner.id
        for partner_id, partner_vals in contact_updates:
            if partner_vals:
                partner_model.browse(partner_id).write(partner_vals)
        coaches = self.env["res.users"].browse(
            {vals["coach_id"] for vals in vals_list if vals.get("coach_id")}
        )
        coaches._integration_lock_caseload()
        participants = super().create(vals_list)
        participants.filtered(
            lambda p: p.milestone == "exited" and not p.exit_date
        ).write({"exit_date": fields.Date.context_today(self)})
        with_coach = participants.filtered("coach_id")
        if with_coach:
            with_coach._check_coach_capacity()
            with_coach._start_coaching(initial=True)
        return participants

    def write(self, vals):
        vals = self._normalize_vals(dict(vals))
        if (
            "partner_id" in vals
            and not self.env.su
            and any(p.sudo().partner_id.id != vals["partner_id"] for p in self)
        ):
            raise UserError(
                self.env._(
                    "A participant's contact belongs to her and cannot be replaced "
                    "by another contact. Change her e-mail, phone or address instead."
                )
            )
        self._write_contact(vals)
        coach_changed = self.browse()
        if "coach_id" in vals:
            coach_changed = self.filtered(lambda p: p.coach_id.id != vals["coach_id"])
            if coach_changed:
                new_coach = self.env["res.users"].browse(vals["coach_id"])
                new_coach._integration_lock_caseload()
                coach_changed._end_coaching()
        exiting_without_date, reentering = self._prepare_stage_change(vals)
        result = super().write(vals)
        if exiting_without_date:
            super(IntegrationParticipant, exiting_without_date).write(
                {"exit_date": fields.Date.context_today(self)}
            )
        if coach_changed and vals["coach_id"]:
            coach_changed._check_coach_capacity()
            coach_changed._start_coaching()
        # Back from an exit with her coach: the coaching starts again.
        restarting = reentering.filtered("coach_id") - coach_changed
        if restarting:
            restarting._check_coach_capacity()
            restarting._start_coaching()
        if "stage_id" in vals or "exit_date" in vals:
            exited = self.filtered(lambda p: p.milestone == "exited")
            exited._end_coaching()
            exited._schedule_esf_followups()
        return result

    def _schedule_esf_followups(self):
        """However she left (the exit wizard or a card dragged into an exit
        stage), a co-funded programme's six-month follow-up falls due."""
        cofunded = self.filtered("program_id.esf_cofunded")
        if cofunded:
            records = self.env["integration.esf.record"]._for_participants(cofunded)
            records._schedule_followup()

    @staticmethod
    def _pop_contact_vals(vals):
        """The values of her contact (popped from ``vals``): the contact fields,
        and her preferred language (the contact's ``lang``) when one is given."""
        partner_vals = {key: vals.pop(key) for key in PARTNER_FIELDS if key in vals}
        if vals.get("reminder_lang"):
            partner_vals["lang"] = vals["reminder_lang"]
        vals.pop("reminder_lang", None)
        return partner_vals

    def _write_contact(self, vals):
        """Her contact data goes to her own partner (popped from ``vals``), which
        nobody but the system can replace (see write)."""
        partner_vals = self._pop_contact_vals(vals)
        if vals.get("name"):
            partner_vals["name"] = vals["name"]
        if partner_vals:
            self.check_access("write")
            self.partner_id.sudo().write(partner_vals)

    def _prepare_stage_change(self, vals):
        """Stage bookkeeping before a write: returns the participants whose exit
        is to be dated, and those coming back from an exit (already re-opened)."""
        exiting_without_date = reentering = self.browse()
        if "stage_id" not in vals:
            return exiting_without_date, reentering
        new_stage = self.env["integration.stage"].browse(vals["stage_id"])
        vals.setdefault("date_last_stage_update", fields.Datetime.now())
        vals.setdefault("kanban_state", "normal")
        if new_stage.milestone == "exited":
            # Moving into an exit stage (e.g. by drag and drop) dates the exit.
            if "exit_date" not in vals:
                exiting_without_date = self.filtered(lambda p: not p.exit_date)
        else:
            reentering = self.filtered(lambda p: p.milestone == "exited")
            reentering.write({"exit_date": False, "exit_reason_id": False})
        return exiting_without_date, reentering

    # ------------------------------------------------------------------
    # Coaching
    # ------------------------------------------------------------------
    def _check_coach_capacity(self):
        """Refuse a coach over capacity, unless a programme manager overrides."""
        if self.env.context.get(
            "integration_capacity_override"
        ) and self.env.user.has_group("integration_program.group_manager"):
            return
        caseloads = self.coach_id._integration_caseloads()
        for coach in self.coach_id:
            if caseloads.get(coach.id, 0) > coach.integration_capacity:
                raise ValidationError(
                    self.env._(
                        "%(coach)s has a caseload capacity of %(capacity)s "
                        "participants, and all places are taken. Choose a coach "
                        "with free capacity (Assign Coach proposes them), or ask a "
                        "programme manager to override the capacity.",
                        coach=coach.name,
                        capacity=coach.integration_capacity,
                    )
                )

    def _start_coaching(self, initial=False):
        today = fields.Date.context_today(self)
        assignment_vals = []
        for participant in self:
            start = today
            if initial and participant.enrollment_date < today:
                # Registered with her coach: the coaching runs from her enrolment.
                start = participant.enrollment_date
            exited = participant.milestone == "exited"
            assignment_vals.append(
                {
                    "participant_id": participant.id,
                    "coach_id": participant.coach_id.id,
                    "provider_id": participant.coach_id.integration_provider_id.id,
                    "date_from": start,
                    "date_to": participant.exit_date if exited else False,
                }
            )
            participant.message_subscribe(
                partner_ids=participant.coach_id.partner_id.ids
            )
        self.env["integration.coaching.assignment"].sudo().create(assignment_vals)

    def _end_coaching(self):
        today = fields.Date.context_today(self)
        open_assignments = (
            self.env["integration.coaching.assignment"]
            .sudo()
            .search([("participant_id", "in", self.ids), ("date_to", "=", False)])
        )
        for assignment in open_assignments:
            participant = assignment.participant_id
            end = participant.exit_date if participant.milestone == "exited" else today
            assignment.date_to = max(end or today, assignment.date_from)
            # Her former coach (maybe at another provider) gets no more news of her.
            participant.message_unsubscribe(
                partner_ids=assignment.coach_id.partner_id.ids
            )

    def _close_stale_contact_activities(self):
        activity_type = self.env.ref(
            "integration_program.mail_activity_type_stale_contact",
            raise_if_not_found=False,
        )
        if not activity_type:
            return
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )
        # The note in her chatter is read by the programme's staff.
        by_lang = {}
        for activity in activities:
            lang = programme_lang(self.browse(activity.res_id))
            by_lang[lang] = by_lang.get(lang, activities.browse()) | activity
        for lang, done in by_lang.items():
            done.action_feedback(
                feedback=reader_env(self.env, lang)._(
                    "Contact logged in a coaching session."
                )
            )

    @api.model
    def _cron_schedule_stale_contact_activities(self):
        """One activity for her coach per participant without contact for N days."""
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(STALE_DAYS_PARAM, STALE_DAYS_DEFAULT)
        )
        today = fields.Date.context_today(self)
        limit = today - timedelta(days=days)
        activity_type = self.env.ref(
            "integration_program.mail_activity_type_stale_contact"
        )
        stale = self.search(
            [
                ("coach_id", "!=", False),
                ("milestone", "!=", "exited"),
                ("is_paused", "=", False),
                "|",
                ("last_contact_date", "<", limit),
                "&",
                ("last_contact_date", "=", False),
                ("enrollment_date", "<", limit),
                (
                    "activity_ids",
                    "not any",
                    [("activity_type_id", "=", activity_type.id)],
                ),
            ]
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        summaries = {}
        values = []
        for participant in stale:
            # Her coach reads it: in her language, not the cron's.
            coach = participant.coach_id
            if coach.lang not in summaries:
                summaries[coach.lang] = reader_env(self.env, coach.lang)._(
                    "No contact for more than %(days)s days", days=days
                )
            # Due the day her contact lapsed: the first run after a pause (or
            # after the install) does not make them all due today.
            lapsed = (participant.last_contact_date or participant.enrollment_date) + (
                timedelta(days=days + 1)
            )
            values.append(
                {
                    "res_model_id": model_id,
                    "res_id": participant.id,
                    "activity_type_id": activity_type.id,
                    "user_id": coach.id,
                    "date_deadline": min(lapsed, today),
                    "summary": summaries[coach.lang],
                }
            )
        self.env["mail.activity"].create(values)
        return stale

    @api.ondelete(at_uninstall=False)
    def _unlink_except_active_case(self):
        if any(p.milestone not in ("intake", "exited") for p in self):
            raise UserError(
                self.env._(
                    "Only participants still in intake or who have left the programme "
                    "can be deleted. Archive the others or record their exit."
                )
            )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for participant, vals in zip(self, vals_list, strict=True):
            vals.setdefault("name", self.env._("%s (copy)", participant.name))
            vals.pop("partner_id", None)
        return vals_list

    def onchange(self, values, field_names, fields_spec):
        # Her contact is hers: an onchange naming another contact shows nothing
        # of it (its e-mail, phone, address), whatever the client sends.
        if "partner_id" in values and not self.env.su:
            values = dict(values, partner_id=self[:1].sudo().partner_id.id or False)
        return super().onchange(values, field_names, fields_spec)

    @api.model
    def _search_display_name(self, operator, value):
        # No name is longer: a huge term would only cost a long scan.
        if isinstance(value, str) and len(value) > NAME_MAX:
            return (
                Domain.FALSE
                if operator not in Domain.NEGATIVE_OPERATORS
                else (Domain.TRUE)
            )
        # Training partners may not search on the Jobcenter customer number;
        # a term without a digit is no part of a number (123D456789), so only
        # her name is searched (one index instead of two).
        if not self._has_field_access(
            self._fields["jobcenter_customer_number"], "read"
        ) or (isinstance(value, str) and not any(char.isdigit() for char in value)):
            return Domain("name", operator, value)
        return super()._search_display_name(operator, value)

    def _mail_get_partner_fields(self, introspect_fields=False):
        # Her contact is suggested as recipient only to those who may see it.
        if not self._has_field_access(self._fields["partner_id"], "read"):
            return []
        return super()._mail_get_partner_fields(introspect_fields=introspect_fields)

    def _mail_get_primary_email_field(self):
        if not self._has_field_access(self._fields["email"], "read"):
            return None
        return super()._mail_get_primary_email_field()

    def _message_add_default_recipients(self):
        # Training partners see her chatter, never her e-mail address.
        if not self._has_field_access(self._fields["email"], "read"):
            nobody = self.env["res.partner"]
            return {
                participant.id: {
                    "email_cc_lst": [],
                    "email_to_lst": [],
                    "partners": nobody,
                }
                for participant in self
            }
        return super()._message_add_default_recipients()

    def _message_subscribe(self, partner_ids=None, subtype_ids=None, customer_ids=None):
        """Only people who may see her record follow it: a follower gets her news
        by mail whatever the record rules say, so the others are left out."""
        if partner_ids and len(self) == 1:
            users = (
                self.env["res.users"]
                .sudo()
                .search(
                    [("partner_id", "in", list(partner_ids)), ("share", "=", False)]
                )
            )
            blind = users.filtered(
                lambda user: (
                    not self.with_user(user)
                    .with_context(active_test=False)
                    .has_access("read")
                )
            )
            partner_ids = [
                pid for pid in partner_ids if pid not in blind.partner_id.ids
            ]
        elif partner_ids:
            for participant in self:
                participant._message_subscribe(partner_ids, subtype_ids, customer_ids)
            return True
        return super()._message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids, customer_ids=customer_ids
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_exit_wizard(self):
        return self._action_dialog(
            "integration.participant.exit.wizard",
            self.env._("Record Exit"),
            {"default_participant_ids": self.ids},
        )

    def action_open_assign_wizard(self):
        self.ensure_one()
        return self._action_dialog(
            "integration.coach.assign.wizard",
            self.env._("Assign Coach"),
            {"default_participant_ids": self.ids},
        )

    def action_log_session(self):
        self.ensure_one()
        return self._action_dialog(
            "integration.coaching.session",
            self.env._("Log Coaching Session"),
            {
                "default_participant_id": self.id,
                "default_coach_id": (self.coach_id or self.env.user).id,
            },
        )

    @api.readonly
    def action_view_sessions(self):
        return self._action_related(
            "integration_program.integration_coaching_session_action"
        )

    def action_view_appointments(self):
        return self._action_related(
            "integration_program.integration_appointment_action"
        )

    def _action_dialog(self, res_model, name, context):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": res_model,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def _action_related(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("participant_id", "=", self.id)]
        action["context"] = {"default_participant_id": self.id}
        return action

    @api.readonly
    def action_view_assignments(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Coaching History"),
            "res_model": "integration.coaching.assignment",
            "view_mode": "list",
            "views": [
                (
                    self.env.ref(
                        "integration_program.integration_coaching_assignment_view_list"
                    ).id,
                    "list",
                )
            ],
            "domain": [("participant_id", "=", self.id)],
            "context": {"default_participant_id": self.id},
        }

    @api.readonly
    def action_view_consents(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Consents"),
            "res_model": "integration.consent",
            "view_mode": "list",
            "views": [
                (
                    self.env.ref(
                        "integration_program.integration_consent_view_list_participant"
                    ).id,
                    "list",
                )
            ],
            "domain": [("participant_id", "=", self.id)],
            "context": {"default_participant_id": self.id},
        }

    @api.readonly
    def action_view_enrollments(self):
        return self._action_related("integration_program.integration_enrollment_action")

    @api.readonly
    def action_view_placements(self):
        return self._action_related("integration_program.integration_placement_action")

    def action_open_esf_record(self):
        """Her ESF+ data (co-funded programmes), created on first opening."""
        self.ensure_one()
        if not self.program_id.esf_cofunded:
            raise UserError(
                self.env._(
                    "The programme %(program)s is not co-funded by the ESF+.",
                    program=self.program_id.display_name,
                )
            )
        record = self.env["integration.esf.record"]._for_participants(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("ESF+ Data"),
            "res_model": "integration.esf.record",
            "res_id": record.id,
            "view_mode": "form",
        }

    def action_open_pause_wizard(self):
        return self._action_dialog(
            "integration.participant.pause.wizard",
            self.env._("Pause Participation"),
            {"default_participant_ids": self.ids},
        )

    def action_resume(self):
        not_paused = self.filtered(lambda p: not p.is_paused)
        if not_paused:
            raise UserError(
                self.env._(
                    "%(names)s is not paused.",
                    names=", ".join(not_paused.mapped("name")),
                )
            )
        today = fields.Date.context_today(self)
        for participant in self:
            participant.write({"is_paused": False, "pause_date_end": today})
            participant.message_post(
                body=self.env._(
                    "Participation resumed after the pause since %(start)s "
                    "(%(reason)s).",
                    start=participant.pause_date_start,
                    reason=participant.pause_reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
