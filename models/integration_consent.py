from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

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
    state = fields.Selection(
        [("given", "Given"), ("withdrawn", "Withdrawn")],
        compute="_compute_state",
        store=True,
        index=True,
    )
    note = fields.Char()

    @api.depends("date_withdrawn")
    def _compute_state(self):
        for consent in self:
            consent.state = "withdrawn" if consent.date_withdrawn else "given"

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
        for consent in consents:
            consent.participant_id.sudo().message_post(
                body=self.env._(
                    "Consent recorded: %(consent)s (given on %(date)s).",
                    consent=consent.display_name,
                    date=consent.date_given,
                ),
                subtype_xmlid="mail.mt_note",
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

    def action_withdraw(self):
        """Withdrawal takes effect at once: the record rules of the recipients
        require a consent in state "given", and their staff stop following her."""
        if self.filtered("date_withdrawn"):
            raise UserError(self.env._("This consent is already withdrawn."))
        today = fields.Date.context_today(self)
        for consent in self:
            consent.date_withdrawn = max(today, consent.date_given)
            participant = consent.participant_id.sudo()
            followers = participant.message_partner_ids.filtered(
                lambda partner, orgs=consent.recipient_ids: (
                    partner.commercial_partner_id in orgs
                )
            )
            participant.message_unsubscribe(partner_ids=followers.ids)
            participant.message_post(
                body=self.env._(
                    "Consent withdrawn: %(consent)s. The recipients no longer "
                    "see her data.",
                    consent=consent.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
