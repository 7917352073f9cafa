"""Referrals imported from a Jobcenter's file (CSV or XLSX), matched against the
women already registered before anything is written.

draft (file uploaded) → preview (one line per row: new, duplicate, fuzzy or
invalid, with a decision per line) → done (participants, consents and referrals
created in one transaction, a report attached) or cancelled (nothing written).
"""

import base64
import logging
import uuid
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .exchange_tools import (
    ExchangeFileError,
    csv_bytes,
    is_formula,
    neutralize,
    parse_date,
    plain_name,
    read_table,
    similar_names,
)
from .reader_lang import reader_env

_logger = logging.getLogger(__name__)

MAX_ROWS = 20000
# Column of the documented layout → accepted headers (English and German).
COLUMNS = {
    "customer_number": ("customer_number", "kundennummer"),
    "last_name": ("last_name", "nachname"),
    "first_name": ("first_name", "vorname"),
    "birthdate": ("birthdate", "geburtsdatum"),
    "email": ("email", "e-mail"),
    "phone": ("phone", "telefon"),
    "referral_date": ("referral_date", "zuweisungsdatum"),
    "reason": ("reason", "grund"),
    "consent": ("consent", "einwilligung"),
    "consent_reference": ("consent_reference", "formular"),
}
REQUIRED_COLUMNS = ("last_name", "first_name", "birthdate")
MAX_LENGTH = {
    "customer_number": 40,
    "last_name": 60,
    "first_name": 60,
    "email": 120,
    "phone": 40,
    "reason": 4000,
    "consent_reference": 64,
}
YES = {"ja", "yes", "j", "y", "1", "x", "true", "wahr"}
NO = {"nein", "no", "n", "0", "", "false", "falsch"}

IMPORT_LINE_PERSONAL_FIELDS = (
    "customer_number",
    "first_name",
    "last_name",
    "name",
    "birthdate",
    "email",
    "phone",
    "reason",
    "consent_reference",
)
LINE_STATUSES = [
    ("new", "New"),
    ("duplicate", "Already Registered"),
    ("fuzzy", "Possibly Registered"),
    ("invalid", "Invalid"),
]
DECISIONS = [
    ("create", "Register Her"),
    ("link", "Link to the Registered Woman"),
    ("skip", "Skip"),
]


class IntegrationReferralImport(models.Model):
    _name = "integration.referral.import"
    _description = "Import of Referrals from a Jobcenter File"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("preview", "Preview"),
            ("done", "Imported"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        readonly=True,
    )
    jobcenter_id = fields.Many2one(
        "res.partner",
        required=True,
        domain="[('is_company', '=', True)]",
        help="The Jobcenter that sent the file: the referrals are its referrals, "
        "and consents given in the file name it as the recipient.",
    )
    program_id = fields.Many2one(
        "integration.program",
        string="Programme",
        required=True,
        default=lambda self: self.env["integration.participant"]._default_program(),
        help="The programme the newly registered women join.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Case Worker",
        help="A Jobcenter case worker who uploaded the file on the portal.",
        readonly=True,
    )
    file = fields.Binary(attachment=True)
    filename = fields.Char()
    line_ids = fields.One2many(
        "integration.referral.import.line", "import_id", string="Rows"
    )
    line_count = fields.Integer(compute="_compute_counts")
    new_count = fields.Integer(compute="_compute_counts")
    duplicate_count = fields.Integer(compute="_compute_counts")
    fuzzy_count = fields.Integer(compute="_compute_counts")
    invalid_count = fields.Integer(compute="_compute_counts")

    @api.depends("jobcenter_id", "create_date")
    def _compute_name(self):
        for record in self:
            record.name = self.env._(
                "Referrals of %(jobcenter)s, %(date)s",
                jobcenter=record.jobcenter_id.name or "",
                date=fields.Date.to_string(
                    (record.create_date or fields.Datetime.now()).date()
                ),
            )

    @api.depends("line_ids.status")
    def _compute_counts(self):
        groups = defaultdict(int)
        if self.ids:
            for record, status, count in self.env[
                "integration.referral.import.line"
            ]._read_group(
                [("import_id", "in", self.ids)], ["import_id", "status"], ["__count"]
            ):
                groups[record.id, status] = count
        for record in self:
            record.new_count = groups[record.id, "new"]
            record.duplicate_count = groups[record.id, "duplicate"]
            record.fuzzy_count = groups[record.id, "fuzzy"]
            record.invalid_count = groups[record.id, "invalid"]
            record.line_count = sum(
                groups[record.id, status] for status, _label in LINE_STATUSES
            )

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------
    def action_preview(self):
        """Read the file, check every row and match it against the registered
        women. Writes only the import's own lines."""
        self.ensure_one()
        if self.state not in ("draft", "preview"):
            raise UserError(self.env._("This import is closed."))
        if not self.file:
            raise UserError(self.env._("Upload the Jobcenter's file first."))
        rows = self._read_rows(self._raw_file())
        line_vals = self._classify(rows)
        self.line_ids.unlink()
        for vals in line_vals:
            vals["import_id"] = self.id
        self.env["integration.referral.import.line"].create(line_vals)
        self.state = "preview"
        return True

    def _raw_file(self):
        self.ensure_one()
        data = self.with_context(bin_size=False).file
        return base64.b64decode(data) if data else b""

    def _read_rows(self, content):
        """The file's rows as dicts of the layout's columns (row number in
        ``row``). A file that cannot be read is one clear error."""
        try:
            table = read_table(content, self.filename)
        except ExchangeFileError as error:
            if error.args[0] == "encoding":
                raise UserError(
                    self.env._(
                        "The file is not in UTF-8 encoding. Save it again as "
                        '"CSV UTF-8" (in Excel: Save As, CSV UTF-8) or as an '
                        "Excel workbook and upload it again."
                    )
                ) from error
            raise UserError(
                self.env._(
                    "The file cannot be read. Upload a CSV file or an Excel "
                    "workbook (.xlsx) in the layout described in the manual."
                )
            ) from error
        table = [row for row in table if any(str(cell).strip() for cell in row)]
        if not table:
            raise UserError(self.env._("The file is empty."))
        aliases = {
            alias: column for column, names in COLUMNS.items() for alias in names
        }
        header = [
            aliases.get(str(cell).strip().lower().replace(" ", "_"))
            for cell in table[0]
        ]
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            raise UserError(
                self.env._(
                    "The first row of the file must name the columns. Missing: "
                    "%(columns)s.",
                    columns=", ".join(missing),
                )
            )
        if len(table) - 1 > MAX_ROWS:
            raise UserError(
                self.env._(
                    "A file may hold at most %(max)s rows. Split it into "
                    "several files.",
                    max=MAX_ROWS,
                )
            )
        rows = []
        for number, cells in enumerate(table[1:], start=2):
            row = {"row": number}
            for column, cell in zip(header, cells, strict=False):
                if column:
                    row[column] = cell
            rows.append(row)
        return rows

    def _parse_row(self, row):
        """The values of one row and the reasons why it cannot be imported."""
        errors = []
        labels = {
            "customer_number": self.env._("Customer number"),
            "last_name": self.env._("Last name"),
            "first_name": self.env._("First name"),
            "email": self.env._("E-mail"),
            "phone": self.env._("Phone"),
            "reason": self.env._("Reason"),
            "consent_reference": self.env._("Form reference"),
        }
        texts = {}
        for key, maximum in MAX_LENGTH.items():
            value = row.get(key) or ""
            value = value if isinstance(value, str) else str(value)
            value = value.strip() if key == "reason" else " ".join(value.split())
            if len(value) > maximum:
                errors.append(
                    self.env._(
                        "%(field)s has more than %(max)s characters.",
                        field=labels[key],
                        max=maximum,
                    )
                )
                value = value[:maximum]
            if key != "reason" and is_formula(value):
                errors.append(
                    self.env._(
                        "%(field)s looks like a spreadsheet formula.",
                        field=labels[key],
                    )
                )
            texts[key] = value
        if not texts["last_name"] or not texts["first_name"]:
            errors.append(self.env._("First and last name are required."))
        if texts["customer_number"]:
            texts["customer_number"] = "".join(texts["customer_number"].split()).upper()
        if texts["email"] and "@" not in texts["email"]:
            errors.append(self.env._("The e-mail address is not valid."))
        today = fields.Date.context_today(self)
        birthdate = parse_date(row.get("birthdate"))
        if not birthdate:
            errors.append(
                self.env._("The date of birth is missing or not a date (DD.MM.YYYY).")
            )
        elif birthdate > today or birthdate.year < 1900:
            errors.append(self.env._("The date of birth is not plausible."))
            birthdate = False
        referral_date = today
        if row.get("referral_date"):
            referral_date = parse_date(row["referral_date"])
            if not referral_date or referral_date > today:
                errors.append(
                    self.env._(
                        "The referral date is not a date in the past (DD.MM.YYYY)."
                    )
                )
                referral_date = False
        consent = str(row.get("consent") or "").strip().lower()
        if consent not in YES | NO:
            errors.append(self.env._("Consent must be yes or no."))
        consent_given = consent in YES
        if consent_given and not texts["consent_reference"]:
            errors.append(
                self.env._("A given consent needs the reference of its signed form.")
            )
        name = " ".join(f"{texts['first_name']} {texts['last_name']}".split())
        return {
            "sequence": row["row"],
            "customer_number": texts["customer_number"] or False,
            "first_name": texts["first_name"],
            "last_name": texts["last_name"],
            "name": name,
            "birthdate": birthdate or False,
            "email": texts["email"] or False,
            "phone": texts["phone"] or False,
            "referral_date": referral_date or False,
            # Free text is kept as written, neutralised for spreadsheets.
            "reason": neutralize(texts["reason"]) or False,
            "consent_given": consent_given,
            "consent_reference": texts["consent_reference"] or False,
        }, errors

    def _classify(self, rows):
        """Line values for all rows: two queries find every registered woman
        the file may name (by customer number, by date of birth)."""
        parsed = [self._parse_row(row) for row in rows]
        participants = (
            self.env["integration.participant"].sudo().with_context(active_test=False)
        )
        numbers = {vals["customer_number"] for vals, _e in parsed} - {False}
        birthdates = {vals["birthdate"] for vals, _e in parsed} - {False}
        by_number = {}
        for record in participants.search_fetch(
            [("jobcenter_customer_number", "in", list(numbers))],
            ["jobcenter_customer_number"],
        ):
            by_number[record.jobcenter_customer_number] = record.id
        by_birthdate = defaultdict(list)
        for record in participants.search_fetch(
            [("birthdate", "in", list(birthdates))], ["name", "birthdate"]
        ):
            by_birthdate[record.birthdate].append((record.id, record.name))
        seen_numbers, seen_people = {}, {}
        line_vals = []
        for vals, errors in parsed:
            number, birthdate = vals["customer_number"], vals["birthdate"]
            if not errors and number and number in seen_numbers:
                errors.append(
                    self.env._(
                        "Row %(row)s has the same customer number.",
                        row=seen_numbers[number],
                    )
                )
            person = (" ".join(sorted(plain_name(vals["name"]).split())), birthdate)
            if not errors and birthdate and person in seen_people:
                errors.append(
                    self.env._(
                        "Row %(row)s names the same woman.", row=seen_people[person]
                    )
                )
            if errors:
                vals.update(status="invalid", note=" ".join(errors), decision="skip")
                line_vals.append(vals)
                continue
            if number:
                seen_numbers[number] = vals["sequence"]
            seen_people[person] = vals["sequence"]
            status, match = "new", False
            if number and number in by_number:
                status, match = "duplicate", by_number[number]
            else:
                plain = plain_name(vals["name"])
                for record_id, registered in by_birthdate.get(birthdate, ()):
                    if plain_name(registered) == plain:
                        status, match = "duplicate", record_id
                        break
                    if status == "new" and similar_names(registered, vals["name"]):
                        status, match = "fuzzy", record_id
            vals.update(
                status=status,
                participant_id=match,
                # A possible match may be someone else: linking her would share
                # another woman's record with the Jobcenter. Staff decide.
                decision="link" if status == "duplicate" else "create",
            )
            line_vals.append(vals)
        return line_vals

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------
    def action_import(self):
        """Write what the preview shows, as decided per line, in this one
        transaction: any error leaves nothing behind."""
        self.ensure_one()
        if self.state != "preview":
            raise UserError(self.env._("Preview the file before importing it."))
        lines = self.line_ids.sorted("sequence")
        for line in lines:
            if line.status == "invalid" and line.decision != "skip":
                raise UserError(
                    self.env._(
                        "Row %(row)s cannot be imported: %(reason)s",
                        row=line.sequence,
                        reason=line.note,
                    )
                )
            if line.decision == "link" and not line.participant_id:
                raise UserError(
                    self.env._(
                        "Row %(row)s: choose whom to link her to, or register her.",
                        row=line.sequence,
                    )
                )
            if line.status == "duplicate" and line.decision == "create":
                raise UserError(
                    self.env._(
                        "Row %(row)s: she is already registered. Link the row to "
                        "her record or skip it.",
                        row=line.sequence,
                    )
                )
        # One note on the import tells where they came from: no "created"
        # message and no creator following each new contact.
        quiet = {"mail_create_nolog": True, "mail_create_nosubscribe": True}
        to_create = lines.filtered(lambda line: line.decision == "create")
        participant_model = self.env["integration.participant"].with_context(**quiet)
        # Everyone starts in the programme's first stage: looked up once.
        first_stage = participant_model._first_stage(self.program_id)
        participants = self._create_audited(
            participant_model,
            [
                dict(line._participant_vals(), stage_id=first_stage.id)
                for line in to_create
            ],
        )
        participant_of = {line.id: line.participant_id.id for line in lines}
        participant_of.update(zip(to_create.ids, participants.ids, strict=True))
        to_refer = lines.filtered(lambda line: line.decision in ("create", "link"))
        with_consent = to_refer.filtered("consent_given")
        consents = self._create_audited(
            self.env["integration.consent"],
            [line._consent_vals(participant_of[line.id]) for line in with_consent],
        )
        consent_of = dict(zip(with_consent.ids, consents.ids, strict=True))
        # Referrals are written by the programme for the Jobcenter (staff may
        # not create them by hand): only the values of the checked lines.
        referrals = (
            self.env["integration.referral"]
            .sudo()
            .with_context(**quiet)
            .create(
                [
                    {
                        "participant_id": participant_of[line.id],
                        "jobcenter_id": self.jobcenter_id.id,
                        "user_id": self.user_id.id,
                        "date": line.referral_date or fields.Date.context_today(self),
                        "reason": line.reason,
                        "consent_id": consent_of.get(line.id, False),
                        # Each its own token, without a write per referral.
                        "access_token": str(uuid.uuid4()),
                    }
                    for line in to_refer
                ]
            )
        )
        referral_of = dict(zip(to_refer.ids, referrals.ids, strict=True))
        if self.user_id:
            referrals.message_subscribe(partner_ids=self.user_id.partner_id.ids)
        self._write_results(lines, participant_of, referral_of)
        self.write({"state": "done", "file": False})
        self._attach_report()
        # Rows that became nothing keep nothing personal.
        lines.filtered(lambda line: line.decision == "skip").write(
            dict.fromkeys(IMPORT_LINE_PERSONAL_FIELDS, False)
        )
        return True

    @api.model
    def _create_audited(self, model, vals_list):
        """``model.create(vals_list)`` with its audit trail written in bulk.

        OCA auditlog logs each created record with one ORM create of a log and
        its lines (some 30 ms per woman: five minutes for a file of 10 000).
        Here the records are created by the model's own create (every override,
        constraint and rule of the model applies) and the same trail - who
        created which record, when, with which values - is written with two
        INSERTs: one log per record, one line per value given."""
        create = type(model).create
        origin = getattr(create, "origin", None)
        if origin is None or not vals_list:
            return model.create(vals_list)
        records = origin(model, vals_list)
        records.flush_recordset()
        cr = self.env.cr
        model_id = self.env["ir.model"]._get_id(model._name)
        cr.execute(
            SQL(
                """INSERT INTO auditlog_log
                       (name, model_id, model_name, model_model, res_id, user_id,
                        method, log_type, create_uid, write_uid, create_date,
                        write_date)
                   SELECT left(data.name, 64), %s, %s, %s, data.res_id, %s,
                          'create', 'full', %s, %s, now() AT TIME ZONE 'UTC',
                          now() AT TIME ZONE 'UTC'
                     FROM (VALUES %s) AS data(res_id, name)
                RETURNING id""",
                model_id,
                model._description,
                model._name,
                self.env.uid,
                self.env.uid,
                self.env.uid,
                SQL(", ").join(
                    SQL("(%s::int, %s)", record.id, record.sudo().display_name or "")
                    for record in records
                ),
            )
        )
        log_ids = [row[0] for row in cr.fetchall()]
        fields_info = {}
        for name in {key for vals in vals_list for key in vals}:
            field = model._fields.get(name)
            if field and field.type not in ("binary", "one2many", "many2many"):
                fields_info[name] = (
                    self.env["ir.model.fields"]._get(model._name, name),
                    field,
                )
        line_rows = []
        for log_id, vals, record in zip(log_ids, vals_list, records, strict=True):
            for name, (field_record, field) in fields_info.items():
                value = vals.get(name)
                if value in (None, False, ""):
                    continue
                text = value
                if field.type == "many2one":
                    text = record.sudo()[name].display_name
                line_rows.append(
                    SQL(
                        "(%s, %s, %s, %s, %s, %s)",
                        log_id,
                        field_record.id,
                        name,
                        field_record.field_description,
                        str(value),
                        str(text),
                    )
                )
        for start in range(0, len(line_rows), 5000):
            cr.execute(
                SQL(
                    """INSERT INTO auditlog_log_line
                           (log_id, field_id, field_name, field_description,
                            new_value, new_value_text, create_uid, write_uid,
                            create_date, write_date)
                       SELECT data.*, %s, %s, now() AT TIME ZONE 'UTC',
                              now() AT TIME ZONE 'UTC'
                         FROM (VALUES %s) AS data""",
                    self.env.uid,
                    self.env.uid,
                    SQL(", ").join(line_rows[start : start + 5000]),
                )
            )
        return records

    def _write_results(self, lines, participant_of, referral_of):
        """What became of each line, in one UPDATE (not one per line)."""
        self.env.flush_all()
        values = [
            (
                line.id,
                participant_of[line.id] or None,
                referral_of.get(line.id),
                {"create": "created", "link": "linked"}.get(line.decision, "skipped"),
            )
            for line in lines
        ]
        for start in range(0, len(values), 5000):
            chunk = values[start : start + 5000]
            self.env.cr.execute(
                SQL(
                    """UPDATE integration_referral_import_line AS line
                          SET participant_id = data.participant_id,
                              referral_id = data.referral_id,
                              result = data.result
                         FROM (VALUES %s) AS data(id, participant_id, referral_id,
                                                  result)
                        WHERE line.id = data.id""",
                    SQL(", ").join(
                        SQL("(%s, %s::int, %s::int, %s)", *row) for row in chunk
                    ),
                )
            )
        lines.invalidate_recordset(["participant_id", "referral_id", "result"])

    def action_cancel(self):
        for record in self:
            if record.state == "done":
                raise UserError(self.env._("An import that is done stays done."))
        self.line_ids.unlink()
        self.write({"state": "cancelled", "file": False})
        return True

    def _notify_programme_staff(self):
        """A Jobcenter's file is news for the programme's manager: an activity
        to check the consent forms that came with it."""
        self.ensure_one()
        managers = self.program_id.manager_ids.filtered("active")
        pending = self.line_ids.filtered(lambda line: line.consent_given)
        if managers and pending:
            env = reader_env(self.env, managers[0].lang)
            self.activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                summary=env._("Check and confirm the consent forms"),
                note=env._(
                    "%(jobcenter)s sent %(count)s referrals with consents to "
                    "share data. Check their signed forms and confirm them.",
                    jobcenter=self.jobcenter_id.name,
                    count=len(pending),
                ),
                user_id=managers[0].id,
            )

    def _report_rows(self):
        results = dict(
            self.env["integration.referral.import.line"]
            ._fields["result"]
            ._description_selection(self.env)
        )
        statuses = dict(
            self.env["integration.referral.import.line"]
            ._fields["status"]
            ._description_selection(self.env)
        )
        return [
            (
                line.sequence,
                statuses.get(line.status),
                results.get(line.result),
                line.participant_id.id if line.decision != "skip" else "",
                line.note,
            )
            for line in self.line_ids.sorted("sequence")
        ]

    def _attach_report(self):
        """What was done, row by row, as a CSV in the import's chatter: row
        numbers and record ids, no names (the report stays; her personal data
        goes when she is anonymised). The uploaded file is not kept."""
        header = (
            self.env._("Row"),
            self.env._("Check"),
            self.env._("Result"),
            self.env._("Participant ID"),
            self.env._("Note"),
        )
        content = csv_bytes(header, self._report_rows())
        counts = defaultdict(int)
        for line in self.line_ids:
            counts[line.result] += 1
        self.message_post(
            body=self.env._(
                "Imported: %(created)s women registered, %(linked)s linked to their "
                "records, %(skipped)s rows skipped.",
                created=counts["created"],
                linked=counts["linked"],
                skipped=counts["skipped"],
            ),
            attachments=[(f"import-report-{self.id}.csv", content)],
            subtype_xmlid="mail.mt_note",
        )


class IntegrationReferralImportLine(models.Model):
    _name = "integration.referral.import.line"
    _description = "Row of a Referral Import"
    _order = "import_id, sequence"

    import_id = fields.Many2one(
        "integration.referral.import", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(string="Row", readonly=True)
    customer_number = fields.Char(readonly=True)
    first_name = fields.Char(readonly=True)
    last_name = fields.Char(readonly=True)
    name = fields.Char(readonly=True)
    birthdate = fields.Date(string="Date of Birth", readonly=True)
    email = fields.Char(readonly=True)
    phone = fields.Char(readonly=True)
    referral_date = fields.Date(string="Referred On", readonly=True)
    reason = fields.Text(readonly=True)
    consent_given = fields.Boolean(readonly=True)
    consent_reference = fields.Char(string="Form Reference", readonly=True)
    status = fields.Selection(LINE_STATUSES, string="Check", readonly=True, index=True)
    note = fields.Char(string="Why", readonly=True)
    participant_id = fields.Many2one(
        "integration.participant", string="Registered Woman", readonly=True
    )
    decision = fields.Selection(DECISIONS, default="create", required=True)
    result = fields.Selection(
        [("created", "Registered"), ("linked", "Linked"), ("skipped", "Skipped")],
        readonly=True,
    )
    referral_id = fields.Many2one("integration.referral", readonly=True)

    def _participant_vals(self):
        self.ensure_one()
        record = self.import_id
        return {
            "program_id": record.program_id.id,
            "name": self.name,
            "birthdate": self.birthdate,
            "email": self.email,
            "phone": self.phone,
            "jobcenter_customer_number": self.customer_number,
            "referrer_id": record.jobcenter_id.id,
            "user_id": False,
        }

    def _consent_vals(self, participant_id):
        """Given on paper with the referral: a staff import records it as given
        (the form is with the Jobcenter under its reference); one uploaded by a
        Jobcenter waits for programme staff like a portal referral."""
        self.ensure_one()
        record = self.import_id
        return {
            "participant_id": participant_id,
            "purpose": "data_sharing",
            "recipient_ids": [fields.Command.set(record.jobcenter_id.ids)],
            "date_given": self.referral_date or fields.Date.context_today(self),
            "to_confirm": bool(record.user_id),
            "form_reference": self.consent_reference,
            "note": self.env._("Received with the Jobcenter's referral file."),
        }


class IntegrationParticipant(models.Model):
    _inherit = "integration.participant"

    def _anonymize_quietly(self):
        """The rows of imported files that named her lose what they said about
        her; the row, its check and its result stay."""
        lines = (
            self.env["integration.referral.import.line"]
            .sudo()
            .search([("participant_id", "in", self.ids)])
        )
        lines.write(dict.fromkeys(IMPORT_LINE_PERSONAL_FIELDS, False))
        return super()._anonymize_quietly()
