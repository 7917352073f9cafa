from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.integration_participant import (
    CUSTOMER_NUMBER_MAX,
    GERMAN_LEVELS,
    NAME_MAX,
)


class IntegrationReferralWizard(models.TransientModel):
    _name = "integration.referral.wizard"
    _description = "Refer a Participant"
    _inherit = ["integration.input.mixin"]
    _integration_max_lengths = {
        "name": NAME_MAX,
        "jobcenter_customer_number": CUSTOMER_NUMBER_MAX,
        "email": 254,
        "phone": 64,
        "referral_reason": 10_000,
    }

    program_id = fields.Many2one(
        "integration.program",
        string="Programme",
        required=True,
        default=lambda self: self.env["integration.program"].search([], limit=1),
    )
    name = fields.Char(required=True)
    birthdate = fields.Date(string="Date of Birth")
    email = fields.Char()
    phone = fields.Char()
    jobcenter_customer_number = fields.Char(string="Jobcenter Customer No.")
    german_level = fields.Selection(GERMAN_LEVELS)
    referral_reason = fields.Text(
        string="Reason for the Referral",
        help="Shared with the programme staff only.",
    )
    consent_given = fields.Boolean(
        string="She Consents to Share Her Data With Us",
        help="She signed the consent form allowing the programme to share her "
        "courses, placements and progress with your Jobcenter. Without it you "
        "cannot see her record after the referral.",
    )
    consent_date = fields.Date(
        string="Consent Given On", default=fields.Date.context_today
    )
    consent_document = fields.Binary(string="Signed Consent Form")
    consent_document_name = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._integration_check_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._integration_check_vals(vals)
        return super().write(vals)

    @api.model
    def _organisation(self):
        return self.env.user.partner_id.commercial_partner_id

    def action_refer(self):
        self.ensure_one()
        organisation = self._organisation()
        if not organisation.is_company:
            raise UserError(
                self.env._(
                    "Your login belongs to no organisation. Ask the programme "
                    "manager to link your contact to your Jobcenter."
                )
            )
        if self.consent_given and not self.consent_document:
            raise UserError(
                self.env._(
                    "Attach the signed consent form, or refer her without consent."
                )
            )
        vals = {
            "program_id": self.program_id.id,
            "name": self.name,
            "birthdate": self.birthdate,
            "email": self.email,
            "phone": self.phone,
            "jobcenter_customer_number": self.jobcenter_customer_number,
            "german_level": self.german_level,
            "referrer_id": organisation.id,
        }
        if self.consent_given:
            vals["consent_ids"] = [
                fields.Command.create(
                    {
                        "purpose": "data_sharing",
                        "recipient_ids": [fields.Command.set(organisation.ids)],
                        "date_given": self.consent_date,
                        "document": self.consent_document,
                        "document_name": self.consent_document_name,
                    }
                )
            ]
        participant = self.env["integration.participant"].create(vals)
        participant.sudo().message_post(
            body=self.env._(
                "Referred by %(user)s (%(organisation)s). %(reason)s",
                user=self.env.user.name,
                organisation=organisation.name,
                reason=self.referral_reason or "",
            ),
            subtype_xmlid="mail.mt_note",
        )
        if self.consent_given:
            return {
                "type": "ir.actions.act_window",
                "res_model": "integration.participant",
                "res_id": participant.id,
                "view_mode": "form",
                "target": "current",
            }
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(name)s was referred to the programme. Without her consent "
                    "to share data with you, you will not see her record.",
                    name=self.name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
