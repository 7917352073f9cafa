from odoo import api, fields, models

from .reader_lang import programme_lang, reader_env
from .surface_access import checked_message_ids


class IntegrationReferral(models.Model):
    """A Jobcenter's referral of a woman to the programme, made on the portal.

    It is the Jobcenter's side of her case: what it sent (the reason, the signed
    consent form) and the conversation between its case workers and programme
    staff. The participant's own record, notes and chatter stay in the back end."""

    _name = "integration.referral"
    _description = "Referral by a Jobcenter"
    _inherit = ["portal.mixin", "mail.thread"]
    message_ids = checked_message_ids()
    _order = "date desc, id desc"

    participant_id = fields.Many2one(
        "integration.participant",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    jobcenter_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        domain="[('is_company', '=', True)]",
    )
    user_id = fields.Many2one(
        "res.users", string="Case Worker", help="Who referred her at the Jobcenter."
    )
    date = fields.Date(string="Referred On", required=True, default=fields.Date.today)
    reason = fields.Text(string="Reason for the Referral")
    consent_id = fields.Many2one(
        "integration.consent",
        string="Consent Received",
        ondelete="set null",
        help="The consent to share data that came with the referral; programme "
        "staff confirm it after checking the signed form.",
    )
    consent_state = fields.Selection(related="consent_id.state", string="Consent")

    @api.model_create_multi
    def create(self, vals_list):
        referrals = super().create(vals_list)
        # The portal chatter signs its links with the record's token: every
        # referral has its own, or one signature would open them all.
        for referral in referrals:
            referral._portal_ensure_token()
        return referrals

    @api.depends("participant_id.name", "jobcenter_id.name", "date")
    def _compute_display_name(self):
        for referral in self:
            referral.display_name = self.env._(
                "Referral of %(name)s by %(jobcenter)s",
                name=referral.participant_id.name,
                jobcenter=referral.jobcenter_id.name,
            )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for referral in self:
            referral.access_url = f"/my/referrals/{referral.id}"
        return result

    @api.model
    def _get_thread_with_access(self, thread_id, *, mode="read", **kwargs):
        """The portal chatter of a referral opens to a portal login only while she
        belongs to its Jobcenter and the woman shares her data with it: a hash
        kept from before a withdrawal (or given to someone else) opens nothing."""
        thread = super()._get_thread_with_access(thread_id, mode=mode, **kwargs)
        user = self.env.user
        if thread and user.share:
            referral = thread.sudo()
            if (
                user.partner_id.commercial_partner_id != referral.jobcenter_id
                or not referral._is_shared_with_jobcenter()
            ):
                return self.browse()
        return thread

    def _get_access_action(self, access_uid=None, force_website=False):
        """The Jobcenter's people open the referral on their portal page: they
        have no access right on the model, the page checks their organisation."""
        self.ensure_one()
        user = self.env["res.users"].sudo().browse(access_uid or self.env.uid)
        if user.share and user.partner_id.commercial_partner_id == self.jobcenter_id:
            return {
                "type": "ir.actions.act_url",
                "url": self.access_url,
                "target": "self",
                "res_id": self.id,
            }
        return super()._get_access_action(
            access_uid=access_uid, force_website=force_website
        )

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=False):
        """Mails to the Jobcenter's case workers link to the referral's portal
        page (behind their login), not to a back-end form they cannot open."""
        groups = super()._notify_get_recipients_groups(
            message, model_description, msg_vals=msg_vals
        )
        if not self:
            return groups
        self.ensure_one()
        for group_name, _group_func, group_data in groups:
            if group_name == "portal":
                group_data["button_access"] = {
                    "url": f"{self.get_base_url()}{self.access_url}",
                    "title": self.env._("View the Referral"),
                }
        return groups

    def _is_shared_with_jobcenter(self):
        """Her record (stage, courses, placements) shows only while she consents
        to share her data with the referring Jobcenter."""
        self.ensure_one()
        participant = self.sudo().participant_id
        return self.jobcenter_id in participant.shared_with_partner_ids

    def _notify_programme_staff(self):
        """A new referral is news for the programme's managers: a message on her
        record and, where a consent form came with it, an activity to check and
        confirm it."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        for referral in self.sudo():
            participant = referral.participant_id
            env = reader_env(self.env, programme_lang(participant))
            participant.message_post(
                body=env._(
                    "Referred by %(user)s (%(jobcenter)s) on the portal. "
                    "Reason: %(reason)s",
                    user=referral.user_id.name or "",
                    jobcenter=referral.jobcenter_id.name,
                    reason=referral.reason or "—",
                ),
                subtype_xmlid="mail.mt_note",
            )
            managers = participant.program_id.manager_ids.filtered("active")
            if referral.consent_id and managers:
                manager_env = reader_env(self.env, managers[0].lang)
                participant.activity_schedule(
                    activity_type_id=todo.id,
                    summary=manager_env._("Check and confirm the consent form"),
                    note=manager_env._(
                        "%(jobcenter)s sent her signed consent to share data. "
                        "Check the form on the Consents tab and confirm it.",
                        jobcenter=referral.jobcenter_id.name,
                    ),
                    user_id=managers[0].id,
                )
