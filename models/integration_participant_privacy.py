"""Data protection of a participant: retention and anonymisation, the data subject's
access export, and the audit of who opened her record."""

import io
import json
import logging
import zipfile

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from odoo.addons.queue_job.job import identity_exact

from .integration_organisation_access import PARTICIPANT_RECORDS
from .reader_lang import programme_lang, reader_env

_logger = logging.getLogger(__name__)

RETENTION_MONTHS_PARAM = "integration_program.retention_months"
RETENTION_MONTHS_DEFAULT = 36
ANONYMIZE_BATCH = 200

# What anonymisation wipes (set to False) on each record; the statistical fields
# funder reports need (programme, stages, dates, country, placements) stay.
PARTICIPANT_PERSONAL_FIELDS = (
    "jobcenter_customer_number",
    "foreign_qualification",
    "note",
    "exit_note",
    "pause_reason",
    "health_note",
)
PARTNER_PERSONAL_FIELDS = (
    "email",
    "phone",
    "street",
    "street2",
    "zip",
    "city",
    "website",
    "comment",
    "function",
    "image_1920",
)
RELATED_PERSONAL_FIELDS = {
    "integration.coaching.session": ("topics", "notes", "next_steps"),
    "integration.enrollment": ("drop_reason",),
    "integration.placement": ("drop_reason",),
    "integration.consent": ("document", "document_name", "note"),
    "integration.referral": ("reason",),
    "integration.assessment": ("note",),
    "integration.assessment.line": ("note",),
    "integration.plan": ("note",),
    "integration.plan.goal": ("description",),
    "integration.service.referral": ("reason", "outcome"),
    "integration.participant.document": ("file", "file_name", "note"),
    "integration.appointment": ("location",),
}
# Everything stored about her, for the export and for anonymisation.
RELATED_MODELS = PARTICIPANT_RECORDS


def _documents_domain(records, model_field):
    """Rows (messages, attachments, activities, audit logs) attached to any of
    ``records``, a dict of recordsets by model, through (model_field, res_id)."""
    return Domain.OR(
        [(model_field, "=", model), ("res_id", "in", recs.ids)]
        for model, recs in records.items()
        if recs
    )


class IntegrationParticipant(models.Model):
    _inherit = "integration.participant"

    is_anonymized = fields.Boolean(
        string="Anonymised", readonly=True, copy=False, index=True
    )
    anonymized_date = fields.Date(string="Anonymised On", readonly=True, copy=False)
    anonymization_due = fields.Boolean(
        string="Due for Anonymisation",
        compute="_compute_anonymization_due",
        search="_search_anonymization_due",
        help="She left the programme longer ago than the retention period.",
    )

    # ------------------------------------------------------------------
    # Retention
    # ------------------------------------------------------------------
    @api.model
    def _retention_limit(self):
        months = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(RETENTION_MONTHS_PARAM, RETENTION_MONTHS_DEFAULT)
        )
        return fields.Date.context_today(self) - relativedelta(months=months)

    @api.model
    def _anonymization_due_domain(self):
        return Domain(
            [
                ("is_anonymized", "=", False),
                ("exit_date", "!=", False),
                ("exit_date", "<=", self._retention_limit()),
                ("stage_id.milestone", "=", "exited"),
            ]
        )

    def _compute_anonymization_due(self):
        due = (
            self.sudo()
            .with_context(active_test=False)
            .filtered_domain(self._anonymization_due_domain())
        )
        for participant in self:
            participant.anonymization_due = participant in due

    def _search_anonymization_due(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        domain = self._anonymization_due_domain()
        return domain if (operator == "=") == value else ~domain

    @api.model
    def _cron_anonymize_expired(self):
        """Queue a background job per batch of participants whose retention
        period has ended: thousands are due at once after a roll-out, more than
        one cron run can do. Returns the participants queued."""
        due = (
            self.sudo()
            .with_context(active_test=False)
            .search(self._anonymization_due_domain(), order="id")
        )
        batches = range(0, len(due), ANONYMIZE_BATCH)
        for number, start in enumerate(batches, start=1):
            due[start : start + ANONYMIZE_BATCH].with_delay(
                description=self.env._(
                    "Anonymise participants after the retention period "
                    "(batch %(number)s of %(count)s)",
                    number=number,
                    count=len(batches),
                ),
                identity_key=identity_exact,
            )._job_anonymize_due()
        return due

    def _job_anonymize_due(self):
        """Job: anonymise those of the batch still due when it runs (one may
        have come back to the programme since it was queued)."""
        due = (
            self.sudo()
            .with_context(active_test=False)
            .filtered_domain(self._anonymization_due_domain())
        )
        due._anonymize()
        return self.env._("%(count)s participants anonymised", count=len(due))

    # ------------------------------------------------------------------
    # Anonymisation
    # ------------------------------------------------------------------
    def _check_privacy_manager(self):
        if not self.env.is_superuser() and not self.env.user.has_group(
            "integration_program.group_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only programme managers may export or anonymise a "
                    "participant's personal data."
                )
            )

    def action_anonymize(self):
        self._check_privacy_manager()
        not_exited = self.sudo().filtered(lambda p: p.milestone != "exited")
        if not_exited:
            raise UserError(
                self.env._(
                    "Only participants who have left the programme can be "
                    "anonymised. Still in the programme: %(names)s.",
                    names=", ".join(not_exited.mapped("name")),
                )
            )
        self.sudo()._anonymize()
        return True

    def _pseudonym(self):
        self.ensure_one()
        # Her name from now on, read by the programme's staff: in their language.
        return reader_env(self.env, programme_lang(self))._(
            "Anonymised participant %(ref)s", ref=f"P-{self.id:06d}"
        )

    def _personal_records(self):
        """Her records on every model that can carry personal data."""
        records = {self._name: self, "res.partner": self.partner_id}
        for model, field_name in RELATED_MODELS.items():
            records[model] = self.with_context(active_test=False)[field_name]
        return records

    def _unsubscribe_organisations(self, organisations):
        """People of these organisations stop following her and everything
        attached to her (enrolments, placements, referrals, …): no more news of
        her by mail. One search over all of her records' followers."""
        records = self.sudo()._personal_records()
        self.env["mail.followers"].sudo().search(
            _documents_domain(records, "res_model")
            & Domain("partner_id.commercial_partner_id", "in", organisations.ids)
        ).unlink()

    def _anonymize(self):
        # Her agreed plans are frozen for everybody, but not against erasure.
        return self.with_context(
            active_test=False,
            tracking_disable=True,
            mail_notrack=True,
            integration_plan_unfreeze=True,
        )._anonymize_quietly()

    def _anonymize_quietly(self):
        """Irreversibly remove everything personal, keep the statistics.

        Runs as superuser; names, contact data, free text, notes, attachments,
        chatter bodies and tracked values, activities, queued mails, audit values
        and the linked contact are wiped. The record, its programme, stages,
        dates, country, courses and placements stay for the funder's figures."""
        for participant in self.filtered(lambda p: not p.is_anonymized):
            pseudonym = participant._pseudonym()
            records = participant._personal_records()
            messages = self.env["mail.message"].search(
                _documents_domain(records, "model")
            )
            attachments = self.env["ir.attachment"].search(
                _documents_domain(records, "res_model")
            )
            attachments |= messages.attachment_ids
            self.env["mail.mail"].search(
                [("mail_message_id", "in", messages.ids)]
            ).unlink()
            # Tracked text (her name, free text) goes; tracked stages, dates,
            # reasons and states stay: the funder's figures are computed from them.
            messages.tracking_value_ids.filtered(
                lambda value: (
                    value.field_id.ttype in ("char", "text", "html")
                    or value.field_id.name in PARTICIPANT_PERSONAL_FIELDS
                )
            ).unlink()
            messages.write(
                {
                    "body": False,
                    "subject": False,
                    "record_name": False,
                    "email_from": False,
                    "reply_to": False,
                    "attachment_ids": [fields.Command.clear()],
                }
            )
            attachments.unlink()
            self.env["mail.activity"].search(
                _documents_domain(records, "res_model")
            ).unlink()
            for model, field_names in RELATED_PERSONAL_FIELDS.items():
                if records[model]:
                    records[model].write(dict.fromkeys(field_names, False))
            participant._anonymize_audit_trail(records, pseudonym)
            participant.partner_id.write(
                dict.fromkeys(PARTNER_PERSONAL_FIELDS, False)
                | {"name": pseudonym, "active": False}
            )
            birthdate = participant.birthdate
            vals = dict.fromkeys(PARTICIPANT_PERSONAL_FIELDS, False) | {
                "name": pseudonym,
                # Her age group stays reportable; the day of birth does not.
                "birthdate": birthdate and birthdate.replace(month=7, day=1),
                "tag_ids": [fields.Command.clear()],
                "is_anonymized": True,
                "anonymized_date": fields.Date.context_today(self),
            }
            models.Model.write(participant, vals)
            participant.message_post(
                body=reader_env(self.env, programme_lang(participant))._(
                    "Personal data anonymised by %(user)s: the retention period "
                    "ended. Only the statistical data is kept.",
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            _logger.info(
                "Participant %s anonymised by user %s", participant.id, self.env.uid
            )
        return True

    def _anonymize_audit_trail(self, records, pseudonym):
        """The audit trail keeps who did what and when, not her former values."""
        logs = self.env["auditlog.log"].search(
            _documents_domain(records, "model_model")
        )
        logs.line_ids.write(
            {
                "old_value": False,
                "new_value": False,
                "old_value_text": False,
                "new_value_text": False,
            }
        )
        logs.write({"name": pseudonym})

    # ------------------------------------------------------------------
    # Data subject access (GDPR Art. 15)
    # ------------------------------------------------------------------
    def action_export_personal_data(self):
        self.ensure_one()
        self._check_privacy_manager()
        attachment = self.sudo()._personal_data_archive()
        self.sudo().message_post(
            body=self.env._(
                "Data export (access request) created by %(user)s.",
                user=self.env.user.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._audit("export_data")
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def _personal_data_archive(self):
        """One ZIP with everything stored about her: her records as JSON, her
        messages with their tracked changes, and the attached documents."""
        self.ensure_one()
        records = self.with_context(active_test=False)._personal_records()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for model, recs in records.items():
                archive.writestr(
                    f"{model}.json",
                    json.dumps(self._export_records(recs), indent=2, default=str),
                )
            messages = self.env["mail.message"].search(
                _documents_domain(records, "model"),
                order="date, id",
            )
            archive.writestr(
                "messages.json",
                json.dumps(
                    [
                        {
                            "date": message.date,
                            "model": message.model,
                            "record": message.res_id,
                            "author": message.author_id.name,
                            "subject": message.subject,
                            "body": message.body,
                            "changes": [
                                {
                                    "field": value.field_id.field_description,
                                    "old": value.old_value_char
                                    or value.old_value_text
                                    or value.old_value_datetime,
                                    "new": value.new_value_char
                                    or value.new_value_text
                                    or value.new_value_datetime,
                                }
                                for value in message.tracking_value_ids
                            ],
                        }
                        for message in messages
                    ],
                    indent=2,
                    default=str,
                ),
            )
            attachments = self.env["ir.attachment"].search(
                _documents_domain(records, "res_model")
            )
            for attachment in attachments | messages.attachment_ids:
                archive.writestr(
                    f"documents/{attachment.id}_{attachment.name}",
                    attachment.raw or b"",
                )
        return self.env["ir.attachment"].create(
            {
                "name": self.env._(
                    "Personal data %(ref)s %(date)s.zip",
                    ref=f"P-{self.id:06d}",
                    date=fields.Date.context_today(self),
                ),
                "raw": buffer.getvalue(),
                "mimetype": "application/zip",
                "integration_private": True,
                "res_model": self._name,
                "res_id": self.id,
            }
        )

    @api.model
    def _export_records(self, records):
        names = [
            name
            for name, field in records._fields.items()
            if field.store and field.type not in ("binary", "one2many")
        ]
        rows = records.read(names) if records else []
        binaries = [
            name
            for name, field in records._fields.items()
            if field.type == "binary" and field.store
        ]
        for row, record in zip(rows, records, strict=True):
            for name in binaries:
                # Binary fields read as base64 already.
                row[name] = record[name].decode() if record[name] else False
        return rows

    # ------------------------------------------------------------------
    # Audit of reads: who opened her record (writes, creations, deletions and
    # exports are logged by OCA's auditlog rules, see data/auditlog_rule_data.xml)
    # ------------------------------------------------------------------
    def web_read(self, specification):
        result = super().web_read(specification)
        # One saved record opened (not a list, not a record still being edited).
        if len(self) == 1 and isinstance(self.id, int) and not self.env.su:
            self._audit("read")
        return result

    def _audit(self, method):
        """Who opened (``read``) or exported her record, and when: one INSERT,
        since reads are on the form's hot path (auditlog's ORM create would add
        its HTTP request and session rows)."""
        self.ensure_one()
        self.env.cr.execute(
            """INSERT INTO auditlog_log
                   (name, model_id, model_name, model_model, res_id, user_id,
                    method, log_type, create_uid, write_uid, create_date, write_date)
               VALUES (%s, %s, %s, %s, %s, %s, %s, 'fast', %s, %s,
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')""",
            [
                self.sudo().display_name,
                self.env["ir.model"]._get_id(self._name),
                self._description,
                self._name,
                self.id,
                self.env.uid,
                method,
                self.env.uid,
                self.env.uid,
            ],
        )

    @api.readonly
    def action_view_audit_log(self):
        self.ensure_one()
        self._check_privacy_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Audit Trail"),
            "res_model": "auditlog.log",
            "view_mode": "list,form",
            "domain": [("model_model", "=", self._name), ("res_id", "=", self.id)],
            "context": {"create": False},
        }
