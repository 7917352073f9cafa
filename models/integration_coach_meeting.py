from odoo import api, fields, models

from .surface_access import checked_activity_ids, checked_message_ids


class IntegrationCoachMeeting(models.Model):
    _name = "integration.coach.meeting"
    _description = "Coach Meeting"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    message_ids = checked_message_ids()
    activity_ids = checked_activity_ids()
    _order = "date desc, id desc"

    name = fields.Char(required=True, tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    program_id = fields.Many2one("integration.program", string="Programme")
    attendee_ids = fields.Many2many(
        "res.users",
        "integration_coach_meeting_attendee_rel",
        "meeting_id",
        "user_id",
        string="Attendees",
    )
    provider_ids = fields.Many2many(
        "res.partner",
        "integration_coach_meeting_provider_rel",
        "meeting_id",
        "provider_id",
        string="Coaching Providers",
        compute="_compute_provider_ids",
        store=True,
    )
    obstacle_ids = fields.Many2many(
        "integration.obstacle",
        "integration_coach_meeting_obstacle_rel",
        "meeting_id",
        "obstacle_id",
        string="Obstacles Raised",
    )
    solution_ids = fields.One2many(
        "integration.coach.meeting.solution", "meeting_id", string="Agreed Solutions"
    )
    notes = fields.Html(string="Minutes")

    @api.depends("attendee_ids.integration_provider_id")
    def _compute_provider_ids(self):
        for meeting in self:
            meeting.provider_ids = meeting.attendee_ids.integration_provider_id
