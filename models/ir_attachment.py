from odoo import fields, models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    integration_private = fields.Boolean(
        string="Private to Requester",
        help="A file generated for one user (a funder workbook, a personal data "
        "export): only she and the programme managers may open it.",
    )
