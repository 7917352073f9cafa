from odoo import fields, models


class IntegrationDocumentType(models.Model):
    _name = "integration.document.type"
    _description = "Document Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(
        translate=True,
        help="What counts: which document, original or copy, how recent.",
    )

    _name_uniq = models.Constraint(
        "UNIQUE(name)", "A document type of this name exists already."
    )
