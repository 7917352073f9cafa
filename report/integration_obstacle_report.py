from odoo import fields, models, tools
from odoo.tools import SQL


class IntegrationObstacleReport(models.Model):
    _name = "integration.obstacle.report"
    _description = "Obstacle Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "obstacle_id"

    source = fields.Selection(
        [("session", "Coaching Session"), ("meeting", "Coach Meeting")],
        readonly=True,
    )
    date = fields.Date(readonly=True)
    obstacle_id = fields.Many2one("integration.obstacle", readonly=True)
    provider_id = fields.Many2one(
        "res.partner", string="Coaching Provider", readonly=True
    )
    program_id = fields.Many2one(
        "integration.program", string="Programme", readonly=True
    )
    participant_id = fields.Many2one("integration.participant", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
                SELECT row_number() OVER () AS id, rows.*
                  FROM (
                    SELECT 'session' AS source,
                           s.date,
                           rel.obstacle_id,
                           s.provider_id,
                           s.program_id,
                           s.participant_id
                      FROM integration_coaching_session s
                      JOIN integration_coaching_session_obstacle_rel rel
                        ON rel.session_id = s.id
                    UNION ALL
                    SELECT 'meeting' AS source,
                           m.date,
                           rel.obstacle_id,
                           prov.provider_id,
                           m.program_id,
                           NULL AS participant_id
                      FROM integration_coach_meeting m
                      JOIN integration_coach_meeting_obstacle_rel rel
                        ON rel.meeting_id = m.id
                 LEFT JOIN integration_coach_meeting_provider_rel prov
                        ON prov.meeting_id = m.id
                  ) rows
            )
            """,
                SQL.identifier(self._table),
            )
        )
