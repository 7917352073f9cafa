from odoo import fields, models


class IntegrationServiceType(models.Model):
    _name = "integration.service.type"
    _description = "Type of Outside Service"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    followup_days = fields.Integer(
        string="Follow Up After (Days)",
        default=14,
        help="A referral to a service of this type is followed up this many days "
        "after it was made, unless a date is set on it.",
    )

    _name_uniq = models.Constraint(
        "UNIQUE(name)", "A service type of this name exists already."
    )
    _followup_days_positive = models.Constraint(
        "CHECK(followup_days >= 0)", "The follow-up delay cannot be negative."
    )
