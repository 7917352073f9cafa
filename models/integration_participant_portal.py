"""Her own portal login: invited by staff (optional per woman), a portal user
with no access right on the addon's models. Every page of
controllers/participant_portal.py finds her record through
``_portal_participant_for_user``, the one place that says whose record a login
may see."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .integration_reminder import DEFAULT_TZ
from .reader_lang import programme_lang, reader_env

CASEWORK = "integration_program.group_participant_casework"
PORTAL_GROUP = "integration_program.group_participant_portal"
STAFF = "integration_program.group_user"


class IntegrationParticipant(models.Model):
    _inherit = "integration.participant"

    portal_user_id = fields.Many2one(
        "res.users",
        string="Portal Login",
        readonly=True,
        copy=False,
        index="btree_not_null",
        # Staff only: coaches see no logins of portal users.
        groups=STAFF,
        help="Her own login to the portal (/my/integration), if staff invited her.",
    )
    satisfaction_survey_ids = fields.One2many(
        "integration.satisfaction.survey",
        "participant_id",
        string="Satisfaction Surveys",
        groups=CASEWORK,
    )

    @api.model
    def _portal_participant_for_user(self, user):
        """The participant record (as superuser) of a participant's portal login,
        or an empty recordset: the login must be her invited portal login, with
        her own contact, on a record still in the programme's care. Every page of
        her portal starts from here; no id sent by a browser replaces it."""
        participants = self.sudo().browse()
        if not user or user._is_public() or not user.share:
            return participants
        if not user.has_group(PORTAL_GROUP):
            return participants
        return participants.search(
            [
                ("portal_user_id", "=", user.id),
                ("partner_id", "=", user.partner_id.id),
                ("is_anonymized", "=", False),
            ],
            limit=1,
        )

    def action_invite_portal(self):
        """Staff give her a portal login: an invitation to choose her password
        goes to her e-mail address."""
        self.ensure_one()
        self._check_staff()
        if self.portal_user_id.active:
            raise UserError(
                self.env._("%(name)s already has a portal login.", name=self.name)
            )
        email = (self.email or "").strip().lower()
        if "@" not in email:
            raise UserError(
                self.env._(
                    "Enter her e-mail address first: the invitation to her portal "
                    "goes there."
                )
            )
        group = self.env.ref(PORTAL_GROUP)
        # Creating logins is beyond staff's rights; this one is a portal login
        # for her own contact only, with no access right on the addon's models.
        users = self.env["res.users"].sudo().with_context(active_test=False)
        user = self.portal_user_id or users.search(
            [("partner_id", "=", self.partner_id.id)], limit=1
        )
        if user and not user.share:
            raise UserError(
                self.env._(
                    "Her contact belongs to an internal user: she cannot get a "
                    "portal login of her own."
                )
            )
        if users.search_count([("login", "=", email), ("id", "!=", user.id)]):
            raise UserError(
                self.env._(
                    "There already is a login %(email)s. Check her e-mail address.",
                    email=email,
                )
            )
        if user:
            user.write(
                {
                    "active": True,
                    "login": email,
                    "group_ids": [fields.Command.set(group.ids)],
                }
            )
            user.action_reset_password()
        else:
            # auth_signup mails her an invitation to choose her password.
            user = users.create(
                {
                    "name": self.name,
                    "login": email,
                    "email": email,
                    "partner_id": self.partner_id.id,
                    "group_ids": [fields.Command.set(group.ids)],
                    # Her portal's "today" (a plan signed after midnight) is the
                    # programme's, not UTC's.
                    "tz": self.partner_id.tz or self.env.user.tz or DEFAULT_TZ,
                }
            )
        self.sudo().portal_user_id = user
        # A note for the programme's staff: in their language.
        self.message_post(
            body=reader_env(self.env, programme_lang(self))._(
                "Invited to her portal by %(user)s (%(email)s).",
                user=self.env.user.name,
                email=email,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return self._notify(
            self.env._(
                "%(name)s is invited to her portal: the invitation went to %(email)s.",
                name=self.name,
                email=email,
            )
        )

    def _check_staff(self):
        # The logins are created as superuser: only the programme's staff decide.
        if not self.env.su and not self.env.user.has_group(STAFF):
            raise AccessError(
                self.env._("Only the programme's staff open or close her portal login.")
            )

    def _notify(self, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": message,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_revoke_portal(self):
        """Her portal login is closed at once (she can be invited again)."""
        self._check_staff()
        if not self.filtered("portal_user_id"):
            raise UserError(self.env._("She has no portal login."))
        for participant in self.filtered("portal_user_id"):
            participant.portal_user_id.sudo().active = False
            participant.sudo().portal_user_id = False
            participant.message_post(
                body=reader_env(self.env, programme_lang(participant))._(
                    "Portal login closed by %(user)s.", user=self.env.user.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return self._notify(self.env._("Her portal login is closed."))

    def action_send_satisfaction_survey(self):
        """A short satisfaction survey, sent to her by a link."""
        self.ensure_one()
        if not self.email:
            raise UserError(
                self.env._(
                    "Enter her e-mail address first: the survey link goes there."
                )
            )
        survey = (
            self.env["integration.satisfaction.survey"]
            .sudo()
            .create({"participant_id": self.id})
        )
        survey._send()
        self.message_post(
            body=reader_env(self.env, programme_lang(self))._(
                "Satisfaction survey sent by %(user)s.", user=self.env.user.name
            ),
            subtype_xmlid="mail.mt_note",
        )
        return self._notify(
            self.env._("The satisfaction survey went to %(email)s.", email=self.email)
        )
