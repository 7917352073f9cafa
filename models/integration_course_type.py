from odoo import fields, models


class IntegrationCourseType(models.Model):
    _name = "integration.course.type"
    _description = "Course Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    default_seats_max = fields.Integer(
        string="Default Seats", default=15, help="Seats of a new course of this type."
    )
