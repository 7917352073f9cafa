from odoo import fields, models


class IntegrationObstacle(models.Model):
    _name = "integration.obstacle"
    _description = "Obstacle"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _name_uniq = models.Constraint("UNIQUE(name)", "This obstacle already exists.")
