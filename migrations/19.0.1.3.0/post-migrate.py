"""19.0.1.3.0: ESF+ monitoring. Programmes of an existing database start from the
usual mandatory entry data, as new ones do; otherwise every woman of a programme
later marked co-funded would count as complete."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    programs = (
        env["integration.program"]
        .with_context(active_test=False)
        .search([("esf_field_ids", "=", False)])
    )
    if programs:
        programs.write({"esf_field_ids": [(6, 0, programs._default_esf_fields().ids)]})
