"""19.0.1.2.0: Jobcenter and training-partner logins become portal users.

Their roles implied internal user rights; Odoo refuses a user who is both internal
and portal, so those implications (and any explicit internal group of such users)
go before the role records are updated to imply the portal."""

PORTAL_ROLES = ("group_jobcenter", "group_training_partner")


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        WITH roles AS (
            SELECT res_id FROM ir_model_data
             WHERE module = 'integration_program' AND model = 'res.groups'
               AND name IN %(roles)s
        ), internal AS (
            SELECT res_id FROM ir_model_data
             WHERE model = 'res.groups'
               AND ((module = 'base' AND name = 'group_user')
                 OR (module = 'integration_program' AND name = 'group_partner_login'))
        ), dropped_implications AS (
            DELETE FROM res_groups_implied_rel
             WHERE gid IN (SELECT res_id FROM roles)
               AND hid IN (SELECT res_id FROM internal)
        )
        DELETE FROM res_groups_users_rel
         WHERE gid IN (SELECT res_id FROM internal)
           AND uid IN (SELECT uid FROM res_groups_users_rel
                        WHERE gid IN (SELECT res_id FROM roles))
        """,
        {"roles": PORTAL_ROLES},
    )
