from odoo import fields, models


class IntegrationTag(models.Model):
    _name = "integration.tag"
    _description = "Participant Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()

    _name_uniq = models.Constraint("UNIQUE(name)", "This tag already exists.")
