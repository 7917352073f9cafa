from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from .surface_access import checked_activity_ids, checked_message_ids

PLACEMENT_TYPES = [
    ("training", "Vocational Training"),
    ("employment", "Insured Employment"),
    ("internship", "Internship"),
    ("minijob", "Mini-job (not insured)"),
]
# Starting one of these placements moves her to the stage of the same milestone.
MILESTONE_OF_PLACEMENT = {"training": "training", "employment": "employment"}


class IntegrationPlacement(models.Model):
    _name = "integration.placement"
    _description = "Placement"
    _inherit = [
        "integration.input.mixin",
        "integration.participant.record",
        "integration.organisation.access",
        "mail.thread",
        "mail.activity.mixin",
    ]
    message_ids = checked_message_ids()
    activity_ids = checked_activity_ids()
    _order = "date_start desc, id desc"
    _rec_name = "participant_id"
    _organisation_access_fields = ("participant_id", "partner_id")
    _integration_max_lengths = {"drop_reason": 500}

    placement_type = fields.Selection(
        PLACEMENT_TYPES, string="Type", required=True, tracking=True, index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Organisation",
        required=True,
        index=True,
        tracking=True,
        help="Employer or school.",
    )
    profession_id = fields.Many2one("integration.profession", tracking=True)
    date_start = fields.Date(string="Start Date", required=True, tracking=True)
    date_end = fields.Date(string="End Date", tracking=True)
    weekly_hours = fields.Float()
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("active", "Active"),
            ("completed", "Completed"),
            ("dropped", "Dropped"),
        ],
        default="planned",
        required=True,
        tracking=True,
        index=True,
    )
    drop_reason = fields.Char(tracking=True)

    @api.constrains("date_start", "date_end", "weekly_hours")
    def _check_values(self):
        for placement in self:
            if placement.date_end and placement.date_end < placement.date_start:
                raise ValidationError(
                    self.env._(
                        "The placement of %(name)s cannot end (%(end)s) before it "
                        "starts (%(start)s).",
                        name=placement.participant_id.name,
                        end=placement.date_end,
                        start=placement.date_start,
                    )
                )
            if not 0 <= placement.weekly_hours <= 60:
                raise ValidationError(
                    self.env._("Weekly hours must lie between 0 and 60.")
                )

    @api.constrains("state", "drop_reason")
    def _check_drop_reason(self):
        for placement in self:
            if placement.state == "dropped" and not placement.drop_reason:
                raise ValidationError(
                    self.env._(
                        "Please give the reason why the placement of %(name)s was "
                        "dropped.",
                        name=placement.participant_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._integration_check_vals(vals)
        placements = super().create(vals_list)
        placements.filtered(lambda p: p.state == "active")._on_start()
        return placements

    def write(self, vals):
        self._integration_check_vals(vals)
        starting = self.browse()
        if vals.get("state") == "active":
            starting = self.filtered(lambda p: p.state != "active")
        result = super().write(vals)
        starting._on_start()
        return result

    def _on_start(self):
        """A started training or employment moves her to the matching stage."""
        stages = self.env["integration.stage"]
        for placement in self:
            participant = placement.participant_id
            milestone = MILESTONE_OF_PLACEMENT.get(placement.placement_type)
            if (
                not milestone
                or not participant.program_id.placement_moves_stage
                or participant.milestone in ("exited", milestone)
            ):
                continue
            stage = stages.search(
                Domain("milestone", "=", milestone)
                & participant._stage_domain(participant.program_id),
                order="sequence, id",
                limit=1,
            )
            if not stage:
                continue
            participant.stage_id = stage
            participant.message_post(
                body=self.env._(
                    "Started %(type)s at %(organisation)s on %(date)s.",
                    type=placement._fields["placement_type"].convert_to_export(
                        placement.placement_type, placement
                    ),
                    organisation=placement.partner_id.name,
                    date=placement.date_start,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_start(self):
        self.write({"state": "active"})

    def action_complete(self):
        self.write({"state": "completed"})
