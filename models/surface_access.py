"""Odoo's internal surface as seen by the internal users of partner
organisations (coaches): what base.group_user opens beyond the addon's models."""

from odoo import fields
from odoo.fields import Domain

STAFF_GROUP = "integration_program.group_user"
PARTNER_LOGIN_GROUP = "integration_program.group_partner_login"


def is_partner_login(env):
    """Whether the environment's user is a restricted login of a partner
    organisation (a coach): never the superuser, programme staff or users
    outside the addon, for whom nothing changes."""
    if env.su:
        return False
    user = env.user
    return user.has_group(PARTNER_LOGIN_GROUP) and not user.has_group(STAFF_GROUP)


class PartnerLoginSearchOne2many(fields.One2many):
    """A One2many to messages or activities that searches its comodel with the
    user's own access for the logins of partner organisations.

    ``message_ids`` and ``activity_ids`` bypass the comodel's search access, so
    ``[('message_ids.body', 'ilike', word)]`` counts records by messages (and
    activities) the user may not read. For a coach the condition only matches
    what she may read; staff and everybody else keep Odoo's fast search."""

    # The framework's signature, overridden as it is.
    def condition_to_sql(self, field_expr, operator, value, model, alias, query):  # noqa: PLR0917
        # Odoo turns 'any' into 'any!' (no access check on the comodel) for a
        # field bypassing search access: for a coach, search with her access.
        if (
            operator in ("any!", "not any!")
            and isinstance(value, Domain)
            and is_partner_login(model.env)
        ):
            comodel = model.env[self.comodel_name].with_context(**self.context)
            coquery = comodel._search(value & self.get_comodel_domain(model))
            return self._condition_to_sql_relational(
                model, alias, operator == "any!", coquery, query
            )
        return super().condition_to_sql(
            field_expr, operator, value, model, alias, query
        )


def checked_message_ids():
    """``message_ids`` of mail.thread, searched with the user's access."""
    return PartnerLoginSearchOne2many()


def checked_activity_ids():
    """``activity_ids`` of mail.activity.mixin, searched with the user's access."""
    return PartnerLoginSearchOne2many()
