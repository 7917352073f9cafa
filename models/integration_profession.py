from odoo import fields, models


class IntegrationProfession(models.Model):
    _name = "integration.profession"
    _description = "Profession"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    color = fields.Integer()

    _name_uniq = models.Constraint("UNIQUE(name)", "This profession already exists.")
