"""19.0.1.2.0: the Jobcenter and training-partner logins are portal users now."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    roles = env.ref("integration_program.group_jobcenter") | env.ref(
        "integration_program.group_training_partner"
    )
    users = (
        env["res.users"]
        .with_context(active_test=False)
        .search([("group_ids", "in", roles.ids)])
    )
    users._compute_share()
