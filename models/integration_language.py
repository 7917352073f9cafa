from odoo import fields, models


class IntegrationLanguage(models.Model):
    _name = "integration.language"
    _description = "Spoken Language"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="ISO 639 code of the language.")
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint(
        "UNIQUE(code)", "Another language already uses this code."
    )
