from odoo import api, models
from odoo.exceptions import ValidationError

from .integration_input import attachment_max_bytes


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._integration_check_size(vals, vals.get("res_model"))
        return super().create(vals_list)

    def write(self, vals):
        if "raw" in vals or "datas" in vals:
            for res_model in set(self.mapped("res_model")):
                self._integration_check_size(vals, vals.get("res_model", res_model))
        return super().write(vals)

    @api.model
    def _integration_check_size(self, vals, res_model):
        """Files on the programme's records stay below the size of the settings."""
        if not res_model or not res_model.startswith("integration."):
            return
        if vals.get("raw"):
            size = len(vals["raw"])
        elif vals.get("datas"):
            datas = vals["datas"]
            size = len(datas) * 3 // 4 if isinstance(datas, str | bytes) else 0
        else:
            return
        limit = attachment_max_bytes(self.env)
        if size > limit:
            raise ValidationError(
                self.env._(
                    "The file is larger than %(size)s MB. Please attach a smaller "
                    "file (e.g. scanned in lower resolution).",
                    size=round(limit / 1024 / 1024, 1),
                )
            )
