import uuid

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq

from .reader_lang import reader_env

RATINGS = [
    ("1", "Not at all satisfied"),
    ("2", "Not satisfied"),
    ("3", "Partly satisfied"),
    ("4", "Satisfied"),
    ("5", "Very satisfied"),
]


class IntegrationSatisfactionSurvey(models.Model):
    """A short satisfaction survey sent to a participant by a link: she answers
    it once, on the portal, with or without her portal login (the link's token
    is the key). Staff read the answers; nothing of her case is shown to her."""

    _name = "integration.satisfaction.survey"
    _description = "Satisfaction Survey of a Participant"
    _inherit = [
        "integration.input.mixin",
        "integration.participant.record",
        "integration.organisation.access",
    ]
    _order = "date_sent desc, id desc"
    _rec_name = "participant_id"
    _organisation_access_fields = ("participant_id",)
    _integration_max_lengths = {"comment": 2000}

    participant_id = fields.Many2one(readonly=True)
    access_token = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        groups="base.group_system",
        default=lambda self: str(uuid.uuid4()),
    )
    date_sent = fields.Date(
        string="Sent On", readonly=True, default=fields.Date.context_today
    )
    date_answered = fields.Date(string="Answered On", readonly=True, copy=False)
    state = fields.Selection(
        [("sent", "Sent"), ("answered", "Answered")],
        compute="_compute_state",
        store=True,
        index=True,
    )
    rating_overall = fields.Selection(
        RATINGS, string="The Programme Overall", readonly=True
    )
    rating_coaching = fields.Selection(RATINGS, string="Her Coaching", readonly=True)
    rating_courses = fields.Selection(RATINGS, string="The Courses", readonly=True)
    would_recommend = fields.Boolean(
        string="Would Recommend the Programme", readonly=True
    )
    comment = fields.Text(readonly=True)

    @api.depends("date_answered")
    def _compute_state(self):
        for survey in self:
            survey.state = "answered" if survey.date_answered else "sent"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._integration_check_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._integration_check_vals(vals)
        return super().write(vals)

    def _check_token(self, token):
        self.ensure_one()
        return bool(token) and consteq(self.sudo().access_token, str(token))

    def _portal_url(self):
        self.ensure_one()
        return (
            f"/my/integration/survey/{self.id}?access_token={self.sudo().access_token}"
        )

    def _send(self):
        """Mail her the link, in her own language."""
        for survey in self.sudo():
            participant = survey.participant_id
            lang = participant.partner_id.lang or self.env.lang
            env = reader_env(self.env, lang)
            url = participant.get_base_url() + survey._portal_url()
            body = Markup("<p>%s</p><p><a href='%s'>%s</a></p><p>%s</p>") % (
                env._("Dear %(name)s,", name=participant.name),
                url,
                env._("Tell us how satisfied you are with the programme"),
                env._(
                    "Five short questions, one minute. Your answers help us to "
                    "improve the programme. Thank you!"
                ),
            )
            self.env["mail.mail"].sudo().create(
                {
                    "subject": env._("How satisfied are you with the programme?"),
                    "body_html": body,
                    "email_to": participant.email,
                    "recipient_ids": [fields.Command.set(participant.partner_id.ids)],
                    "auto_delete": True,
                }
            )

    def _submit(self, values):
        """Her answers (checked by the portal route), once."""
        self.ensure_one()
        if self.date_answered:
            raise UserError(self.env._("This survey was answered already. Thank you!"))
        self.write({**values, "date_answered": fields.Date.context_today(self)})
