from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .integration_input import attachment_max_bytes


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    integration_private = fields.Boolean(
        string="Private to Requester",
        help="A file generated for one user (a funder workbook, a personal data "
        "export): only she and the programme managers may open it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if self._integration_limited(vals.get("res_model")):
                self._integration_check_size(self._integration_vals_size(vals))
        return super().create(vals_list)

    def write(self, vals):
        """Also a file uploaded in the chatter, which is attached to the record
        after the upload (its model written then)."""
        if not {"res_model", "raw", "datas"} & set(vals):
            return super().write(vals)
        for attachment in self:
            if self._integration_limited(vals.get("res_model", attachment.res_model)):
                size = self._integration_vals_size(vals)
                if size is None:
                    size = attachment.sudo().file_size
                self._integration_check_size(size)
        return super().write(vals)

    @api.model
    def _integration_limited(self, res_model):
        return bool(res_model) and res_model.startswith("integration.")

    @api.model
    def _integration_vals_size(self, vals):
        if vals.get("raw"):
            return len(vals["raw"])
        datas = vals.get("datas")
        if datas and isinstance(datas, str | bytes):
            # Base64 holds 3 bytes in 4 characters.
            return len(datas) * 3 // 4
        return None

    @api.model
    def _integration_check_size(self, size):
        """Files on the programme's records stay below the size of the settings."""
        limit = attachment_max_bytes(self.env)
        if size and size > limit:
            raise ValidationError(
                self.env._(
                    "The file is larger than %(size)s MB. Please attach a smaller "
                    "file (e.g. scanned in lower resolution).",
                    size=round(limit / 1024 / 1024, 1),
                )
            )
