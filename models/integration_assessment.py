from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .surface_access import checked_message_ids

ASSESSMENT_KINDS = [
    ("entry", "At Entry"),
    ("review", "Review"),
    ("exit", "At Exit"),
]


class IntegrationAssessment(models.Model):
    """Strengths and obstacles of a participant per area, on a scale from 1
    (major obstacle) to 5 (strength): at her entry, then whenever her coach
    reviews them. The lines of all her assessments show the change over time."""

    _name = "integration.assessment"
    _description = "Assessment"
    _inherit = [
        "integration.input.mixin",
        "integration.participant.record",
        "integration.organisation.access",
        "mail.thread",
    ]
    message_ids = checked_message_ids()
    _order = "date desc, id desc"
    _organisation_access_fields = ("participant_id",)
    _integration_max_lengths = {"note": 5000}

    participant_id = fields.Many2one(tracking=True)
    date = fields.Date(
        required=True, default=fields.Date.context_today, index=True, tracking=True
    )
    kind = fields.Selection(
        ASSESSMENT_KINDS,
        required=True,
        default=lambda self: self._default_kind(),
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assessed By",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    line_ids = fields.One2many(
        "integration.assessment.line",
        "assessment_id",
        string="Areas",
        copy=True,
        default=lambda self: self._default_line_ids(),
    )
    note = fields.Text(
        string="Overall Picture",
        help="Her situation in a few sentences: what carries her, what holds her back.",
    )
    score_avg = fields.Float(
        string="Average Score",
        compute="_compute_scores",
        store=True,
        aggregator="avg",
        digits=(3, 1),
    )
    obstacle_count = fields.Integer(
        string="Obstacles",
        compute="_compute_scores",
        store=True,
        help="Areas scored 1 or 2.",
    )

    @api.model
    def _default_participant(self):
        participant_id = self.env.context.get("default_participant_id")
        return self.env["integration.participant"].browse(participant_id or [])

    @api.model
    def _default_kind(self):
        participant = self._default_participant()
        if participant and self.search_count(
            [("participant_id", "=", participant.id)], limit=1
        ):
            return "review"
        return "entry"

    @api.model
    def _default_line_ids(self):
        """One line per area of the catalogue, scored as in her last assessment:
        a review starts from where she stood."""
        previous = self._last_scores(self._default_participant())
        return [
            fields.Command.create(
                {
                    "area_id": area.id,
                    "score": previous.get(area.id, False),
                }
            )
            for area in self.env["integration.assessment.area"].search([])
        ]

    @api.model
    def _last_scores(self, participant):
        if not participant:
            return {}
        last = self.search([("participant_id", "=", participant.id)], limit=1)
        return {line.area_id.id: line.score for line in last.line_ids if line.score}

    @api.depends("line_ids.score")
    def _compute_scores(self):
        for assessment in self:
            values = [int(line.score) for line in assessment.line_ids if line.score]
            assessment.score_avg = sum(values) / len(values) if values else 0.0
            assessment.obstacle_count = len([v for v in values if v <= 2])

    @api.depends("participant_id", "kind", "date")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for assessment in self:
            assessment.display_name = self.env._(
                "%(kind)s assessment of %(date)s",
                kind=kinds.get(assessment.kind, ""),
                date=assessment.date or "",
            )

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for assessment in self:
            if assessment.date > today:
                raise ValidationError(
                    self.env._(
                        "An assessment cannot be dated in the future (%(date)s): "
                        "record it on the day you talk with her.",
                        date=assessment.date,
                    )
                )

    @api.constrains("line_ids")
    def _check_areas_once(self):
        for assessment in self:
            areas = assessment.line_ids.area_id
            if len(areas) != len(assessment.line_ids):
                raise ValidationError(
                    self.env._("Each area is assessed only once per assessment.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._integration_check_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._integration_check_vals(vals)
        return super().write(vals)
