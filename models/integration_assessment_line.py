from odoo import api, fields, models

SCORES = [
    ("1", "1 - Major obstacle"),
    ("2", "2 - Obstacle"),
    ("3", "3 - Neutral"),
    ("4", "4 - Resource"),
    ("5", "5 - Strength"),
]


class IntegrationAssessmentLine(models.Model):
    _name = "integration.assessment.line"
    _description = "Assessment per Area"
    _inherit = ["integration.input.mixin", "integration.organisation.access"]
    _order = "date desc, sequence, id"
    _rec_name = "area_id"
    _organisation_access_fields = ("assessment_id",)
    _integration_max_lengths = {"note": 1000}

    assessment_id = fields.Many2one(
        "integration.assessment", required=True, index=True, ondelete="cascade"
    )
    participant_id = fields.Many2one(
        related="assessment_id.participant_id", store=True, index=True
    )
    date = fields.Date(related="assessment_id.date", store=True)
    area_id = fields.Many2one(
        "integration.assessment.area", required=True, ondelete="restrict"
    )
    sequence = fields.Integer(related="area_id.sequence", store=True)
    score = fields.Selection(
        SCORES,
        string="Rating",
        help="From 1 (a major obstacle to training or work) to 5 (a strength she "
        "can build on). Empty: not assessed this time.",
    )
    score_value = fields.Integer(
        string="Score",
        compute="_compute_score_value",
        store=True,
        aggregator="avg",
    )
    note = fields.Char()

    @api.depends("score")
    def _compute_score_value(self):
        for line in self:
            line.score_value = int(line.score) if line.score else 0

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._integration_check_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._integration_check_vals(vals)
        return super().write(vals)
