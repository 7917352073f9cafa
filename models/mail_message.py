from collections import defaultdict

from odoo import models

from odoo.addons.mail.tools.discuss import Store


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _notify_message_notification_update(self):
        """Who may not read a participant's record gets no news of its messages.

        When a mail fails, Odoo pushes the message's new status to the user
        sending the queue and to its author, rendering it (with the record's
        name) as each of them. Its access check runs in the queue's environment:
        in sudo, as in crons and Odoo's tests, it passes for a user who may not
        read the record, the rendering raises an AccessError and the rest of the
        queue, other apps' mails included, is never sent. For the addon's records
        the status goes only to those of them who may read the record."""
        ours = self.sudo().filtered(
            lambda message: (
                (message.model or "").startswith("integration.") and message.res_id
            )
        )
        result = super(MailMessage, self - ours)._notify_message_notification_update()
        # sudo: reads only each message's record and author, to decide who may be
        # told; nothing is rendered in sudo (with_user below drops it).
        messages_per_user = defaultdict(lambda: self.env["mail.message"])
        for message, record in ours._record_by_message().items():
            users = message.author_id.main_user_id
            if not self.env.user._is_public():
                users |= self.env.user
            for user in users:
                if not user._is_public() and record.with_user(user).has_access("read"):
                    messages_per_user[user] |= message
        for user, messages in messages_per_user.items():
            store = Store(bus_channel=user)
            messages.with_user(user)._message_notifications_to_store(store)
            store.bus_send()
        return result
