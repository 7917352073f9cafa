from odoo import api, models
from odoo.fields import Domain

from odoo.addons.base.models.ir_attachment import condition_values

from .surface_access import is_partner_login


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        """Coaches see the followers of the records they may read only, not who
        follows every participant of the programme."""
        if not kwargs.get("bypass_access") and is_partner_login(self.env):
            domain = Domain(domain)
            domain &= self._integration_readable_records_domain(domain)
        return super()._search(domain, offset, limit, order, **kwargs)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or not self or not is_partner_login(self.env):
            return result
        visible = self.browse(self._search(Domain("id", "in", self.ids)))
        forbidden = self - visible
        if forbidden:
            return forbidden, lambda: self.env["ir.rule"]._make_access_error(
                operation, forbidden
            )
        return None

    @api.model
    def _integration_readable_records_domain(self, domain):
        """(res_model, res_id) of the records the user may read, for the models
        the domain asks for (every followable model if it does not say)."""
        names = condition_values(self, "res_model", domain)
        if names is None:
            names = self.env.registry.descendants(["mail.thread"], "_inherit")
        readable = [Domain.FALSE]
        for name in names:
            model = self.env.get(name)
            if model is None or model._abstract or not model.has_access("read"):
                continue
            records = model.with_context(active_test=False)._search([])
            readable.append(
                Domain("res_model", "=", name) & Domain("res_id", "in", records)
            )
        return Domain.OR(readable)
