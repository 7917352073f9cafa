from odoo import models

from .surface_access import PARTNER_LOGIN_GROUP, STAFF_GROUP


class DiscussChannel(models.Model):
    _inherit = "discuss.channel"

    def _subscribe_users_automatically_get_members(self):
        """Logins of partner organisations join no channel for all employees
        (#general): its members and messages are the city's, and every coach of
        every provider would meet there. A channel that names their group in its
        auto-subscription still gets them."""
        members = super()._subscribe_users_automatically_get_members()
        partner_login = self.env.ref(PARTNER_LOGIN_GROUP, raise_if_not_found=False)
        if not partner_login:
            return members
        restricted = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("all_group_ids", "in", partner_login.ids),
                    ("all_group_ids", "not in", self.env.ref(STAFF_GROUP).ids),
                ]
            )
            .partner_id
        )
        for channel in self:
            if channel.group_ids.all_implied_ids & partner_login:
                continue
            members[channel.id] = [
                pid for pid in members.get(channel.id, []) if pid not in restricted.ids
            ]
        return members
