from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from .surface_access import checked_activity_ids, checked_message_ids

REFERRAL_STATUSES = [
    ("referred", "Referred"),
    ("in_contact", "In Contact"),
    ("done", "Completed"),
    ("cancelled", "Cancelled"),
]
OPEN_STATUSES = ("referred", "in_contact")


class IntegrationServiceReferral(models.Model):
    """A participant referred to an outside service (childcare, debt or addiction
    counselling, psychosocial care, a language school, the immigration office):
    followed up on a date until its outcome is known."""

    _name = "integration.service.referral"
    _description = "Referral to an Outside Service"
    _inherit = [
        "integration.input.mixin",
        "integration.participant.record",
        "integration.organisation.access",
        "mail.thread",
        "mail.activity.mixin",
    ]
    message_ids = checked_message_ids()
    activity_ids = checked_activity_ids()
    _order = "date desc, id desc"
    _organisation_access_fields = ("participant_id",)
    _integration_max_lengths = {"reason": 5000, "outcome": 5000}

    participant_id = fields.Many2one(tracking=True)
    service_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain="[('is_integration_service', '=', True)]",
    )
    service_type_id = fields.Many2one(
        related="service_id.integration_service_type_id",
        store=True,
        index=True,
        string="Type of Service",
    )
    date = fields.Date(
        string="Date of Referral",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    status = fields.Selection(
        REFERRAL_STATUSES,
        required=True,
        default="referred",
        tracking=True,
        index=True,
    )
    reason = fields.Text(help="Why she was referred, as far as she agreed to tell.")
    outcome = fields.Text(help="What came of it: a place, an appointment, advice...")
    followup_date = fields.Date(
        string="Follow Up On",
        compute="_compute_followup_date",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="When to check with her or the service how it went.",
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Still open and its follow-up date has passed.",
    )

    @api.depends("date", "service_id")
    def _compute_followup_date(self):
        for referral in self:
            if referral.followup_date or not referral.date:
                continue
            days = referral.service_id.integration_service_type_id.followup_days
            referral.followup_date = referral.date + timedelta(days=days or 14)

    @api.model
    def _overdue_domain(self):
        return Domain(
            [
                ("status", "in", OPEN_STATUSES),
                ("followup_date", "<", fields.Date.context_today(self)),
            ]
        )

    @api.depends("status", "followup_date")
    def _compute_is_overdue(self):
        overdue = self.filtered_domain(self._overdue_domain())
        for referral in self:
            referral.is_overdue = referral in overdue

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        domain = self._overdue_domain()
        return domain if (operator == "=") == value else ~domain

    @api.depends("participant_id", "service_id")
    def _compute_display_name(self):
        for referral in self:
            referral.display_name = self.env._(
                "%(name)s to %(service)s",
                name=referral.participant_id.name or "",
                service=referral.service_id.name or "",
            )

    @api.constrains("date", "followup_date")
    def _check_dates(self):
        latest_today = fields.Date.context_today(self) + timedelta(days=1)
        for referral in self:
            if referral.date > latest_today:
                raise ValidationError(
                    self.env._(
                        "A referral is recorded when it is made: it cannot be "
                        "dated in the future."
                    )
                )
            if referral.followup_date and referral.followup_date < referral.date:
                raise ValidationError(
                    self.env._(
                        "The follow-up cannot be before the referral (%(date)s).",
                        date=referral.date,
                    )
                )

    @api.constrains("service_id")
    def _check_service(self):
        for referral in self:
            if not referral.service_id.is_integration_service:
                raise ValidationError(
                    self.env._(
                        "%(name)s is not in the catalogue of outside services: "
                        "mark it as a service first.",
                        name=referral.service_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._integration_check_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._integration_check_vals(vals)
        return super().write(vals)

    def action_done(self):
        self.write({"status": "done"})

    def action_cancel(self):
        self.write({"status": "cancelled"})
