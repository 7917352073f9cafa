from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .reader_lang import programme_lang, reader_env

CONSENT_PURPOSES = [
    ("data_sharing", "Share data with partner organisations"),
    ("coaching", "Coaching and case documentation"),
    ("publication", "Photos and success stories"),
]


class IntegrationConsent(models.Model):
    _name = "integration.consent"
    _description = "Consent of a Participant"
    _inherit = ["integration.input.mixin", "integration.organisation.access"]
    _order = "date_given desc, id desc"
    _organisation_access_fields = ("participant_id", "recipient_ids")
    _integration_max_lengths = {"note": 500, "document_name": 255}

    participant_id = fields.Many2one(
        "integration.participant",
        required=True,
        ondelete="cascade",
        index=True,
    )
    purpose = fields.Selection(CONSENT_PURPOSES, required=True, default="data_sharing")
    recipient_ids = fields.Many2many(
        "res.partner",
        "integration_consent_recipient_rel",
        "consent_id",
        "partner_id",
        string="Recipients",
        domain="[('is_company', '=', True)]",
        help="The organisations she allows to receive her data, e.g. her Jobcenter.",
    )
    date_given = fields.Date(
        string="Given On", required=True, default=fields.Date.context_today
    )
    document = fields.Binary(
        string="Signed Form", attachment=True, help="The signed consent form."
    )
    document_name = fields.Char()
    date_withdrawn = fields.Date(string="Withdrawn On", copy=False)
    to_confirm = fields.Boolean(
        string="To Be Confirmed",
        copy=False,
        help="Received with a referral: it takes effect once programme staff "
        "have checked the signed form and confirmed it.",
    )
    state = fields.Selection(
        [("pending", "To Confirm"), ("given", "Given"), ("withdrawn", "Withdrawn")],
        compute="_compute_state",
        store=True,
        index=True,
    )
    note = fields.Char()
    # Her signature on her portal, which gives a consent staff asked her for.
    signature = fields.Image(
        copy=False, attachment=True, max_width=1024, max_height=1024, readonly=True
    )
    signed_by = fields.Char(copy=False, readonly=True)
    signed_on = fields.Datetime(copy=False, readonly=True)

    @api.depends("date_withdrawn", "to_confirm")
    def _compute_state(self):
        for consent in self:
            if consent.date_withdrawn:
                consent.state = "withdrawn"
            elif consent.to_confirm:
                consent.state = "pending"
            else:
                consent.state = "given"

    @api.depends("purpose", "recipient_ids", "date_given")
    def _compute_display_name(self):
        purposes = dict(self._fields["purpose"]._description_selection(self.env))
        for consent in self:
            recipients = ", ".join(consent.recipient_ids.mapped("name"))
            consent.display_name = (
                f"{purposes.get(consent.purpose, '')}: {recipients}"
                if recipients
                else purposes.get(consent.purpose, "")
            )

    @api.constrains("date_given", "date_withdrawn")
    def _check_dates(self):
        # A day of leeway: whoever recorded it may live a timezone ahead.
        latest_today = fields.Date.context_today(self) + timedelta(days=1)
        for consent in self:
            if consent.date_given > latest_today:
                raise ValidationError(
                    self.env._("A consent cannot be dated in the future.")
                )
            if consent.date_withdrawn and consent.date_withdrawn < consent.date_given:
                raise ValidationError(
                    self.env._(
                        "A consent cannot be withdrawn before it was given "
                        "(given on %(given)s).",
                        given=consent.date_given,
                    )
                )

    @api.constrains("purpose", "to_confirm")
    def _check_confirmable(self):
        for consent in self:
            if consent.to_confirm and consent.purpose != "data_sharing":
                raise ValidationError(
                    self.env._(
                        "Only a consent to share data arrives with a referral and "
                        "waits for confirmation."
                    )
                )

    @api.constrains("purpose", "recipient_ids")
    def _check_recipients(self):
        for consent in self:
            if consent.purpose == "data_sharing" and not consent.recipient_ids:
                raise ValidationError(
                    self.env._("Name the organisations she allows to receive her data.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._integration_check_vals(vals)
        consents = super().create(vals_list)
        bodies = {}
        for consent in consents:
            # A note for the programme's staff: in their language.
            env = reader_env(self.env, programme_lang(consent))
            body = env._(
                "Consent recorded: %(consent)s (given on %(date)s).",
                consent=consent.with_env(env).display_name,
                date=format_date(env, consent.date_given),
            )
            if len(consents) < 20:
                consent.participant_id.sudo().message_post(
                    body=body, subtype_xmlid="mail.mt_note"
                )
            else:
                bodies.setdefault(consent.participant_id.id, []).append(body)
        if bodies:
            # Many at once (an imported file): the same notes, in one insert.
            self.env["integration.participant"].browse(list(bodies))._message_log_batch(
                {key: " ".join(texts) for key, texts in bodies.items()},
                message_type="comment",
            )
        return consents

    def write(self, vals):
        self._integration_check_vals(vals)
        reopening = "date_withdrawn" in vals and not vals["date_withdrawn"]
        if reopening and self.filtered("date_withdrawn"):
            raise UserError(
                self.env._(
                    "A withdrawn consent stays withdrawn. If she consents "
                    "again, record a new consent."
                )
            )
        return super().write(vals)

    def _sign(self, name, signature):
        """She gives a consent waiting for her on her portal by signing it: her
        signature is the signed form, and the consent counts from today."""
        self.ensure_one()
        name = (name or "").strip()
        if self.state != "pending" or self.signature:
            raise UserError(self.env._("This consent does not wait for a signature."))
        if not name or not signature:
            raise UserError(self.env._("Write your name and sign, please."))
        self.write(
            {
                "signature": signature,
                "signed_by": name[:120],
                "signed_on": fields.Datetime.now(),
                "date_given": fields.Date.context_today(self),
                "to_confirm": False,
            }
        )
        # A note for the programme's staff: in their language.
        staff_env = reader_env(self.env, programme_lang(self))
        self.participant_id.message_post(
            body=staff_env._(
                "Consent signed by %(name)s on her portal: %(consent)s.",
                name=self.signed_by,
                consent=self.with_env(staff_env).display_name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_confirm(self):
        """Programme staff confirm a consent received with a referral, once they
        have checked the signed form: from now on it counts."""
        not_pending = self.filtered(lambda consent: consent.state != "pending")
        if not_pending:
            raise UserError(
                self.env._("Only consents waiting for confirmation can be confirmed.")
            )
        for consent in self:
            if consent.purpose == "data_sharing" and not consent.document:
                raise UserError(
                    self.env._(
                        "Attach the signed consent form before confirming the consent."
                    )
                )
        self.to_confirm = False
        for consent in self:
            consent.participant_id.sudo().message_post(
                body=self.env._(
                    "Consent confirmed by %(user)s: %(consent)s.",
                    user=self.env.user.name,
                    consent=consent.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_withdraw(self):
        """Withdrawal takes effect at once: the portal pages of the recipients
        show participants whose ``shared_with_partner_ids`` name them, and their
        people stop following her and everything attached to her."""
        if self.filtered("date_withdrawn"):
            raise UserError(self.env._("This consent is already withdrawn."))
        today = fields.Date.context_today(self)
        for consent in self:
            consent.date_withdrawn = max(today, consent.date_given)
            participant = consent.participant_id.sudo()
            participant._unsubscribe_organisations(consent.recipient_ids)
            participant.message_post(
                body=self.env._(
                    "Consent withdrawn: %(consent)s. The recipients no longer "
                    "see her data.",
                    consent=consent.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
