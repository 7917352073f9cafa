from odoo import fields, models


class IntegrationAssessmentArea(models.Model):
    _name = "integration.assessment.area"
    _description = "Assessment Area"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(
        translate=True,
        help="What the coach looks at in this area, shown as a hint in the assessment.",
    )

    _name_uniq = models.Constraint(
        "UNIQUE(name)", "An assessment area of this name exists already."
    )
