from odoo import fields, models


class IntegrationExitReason(models.Model):
    _name = "integration.exit.reason"
    _description = "Exit Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    outcome = fields.Selection(
        [
            ("completed", "Completed"),
            ("dropout", "Dropped out"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
        help="How funder reports count an exit with this reason.",
    )
