from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.integration_program import STALE_DAYS_DEFAULT, STALE_DAYS_PARAM


class IntegrationCaseloadReport(models.Model):
    _name = "integration.caseload.report"
    _description = "Coach Caseload"
    _auto = False
    _order = "provider_id, coach_id"
    _rec_name = "coach_id"

    coach_id = fields.Many2one("res.users", readonly=True)
    provider_id = fields.Many2one(
        "res.partner", string="Coaching Provider", readonly=True
    )
    capacity = fields.Integer(readonly=True)
    active_count = fields.Integer(string="Active Participants", readonly=True)
    free_capacity = fields.Integer(readonly=True)
    load_percent = fields.Float(string="Load (%)", readonly=True, aggregator="avg")
    sessions_this_month = fields.Integer(readonly=True)
    stale_count = fields.Integer(
        string="Without Recent Contact",
        readonly=True,
        help="Active participants without a session for longer than the configured "
        "number of days.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(view)s AS (
                WITH params AS (
                    SELECT COALESCE(
                        (SELECT value FROM ir_config_parameter
                          WHERE key = %(param)s),
                        %(default)s)::int AS stale_days
                ), caseload AS (
                    SELECT p.coach_id,
                           count(*) AS active_count,
                           count(*) FILTER (
                               WHERE COALESCE(p.last_contact_date, p.enrollment_date)
                                     < CURRENT_DATE - params.stale_days
                           ) AS stale_count
                      FROM integration_participant p, params
                     WHERE p.active AND p.coach_id IS NOT NULL
                       AND p.milestone != 'exited'
                  GROUP BY p.coach_id
                ), sessions AS (
                    SELECT s.coach_id, count(*) AS sessions_this_month
                      FROM integration_coaching_session s
                     WHERE s.date >= date_trunc('month', CURRENT_DATE)
                  GROUP BY s.coach_id
                )
                SELECT u.id AS id,
                       u.id AS coach_id,
                       u.integration_provider_id AS provider_id,
                       u.integration_capacity AS capacity,
                       COALESCE(c.active_count, 0) AS active_count,
                       u.integration_capacity - COALESCE(c.active_count, 0)
                           AS free_capacity,
                       CASE WHEN u.integration_capacity > 0
                            THEN 100.0 * COALESCE(c.active_count, 0)
                                 / u.integration_capacity
                            ELSE 0 END AS load_percent,
                       COALESCE(s.sessions_this_month, 0) AS sessions_this_month,
                       COALESCE(c.stale_count, 0) AS stale_count
                  FROM res_users u
             LEFT JOIN caseload c ON c.coach_id = u.id
             LEFT JOIN sessions s ON s.coach_id = u.id
                 WHERE u.active AND u.integration_provider_id IS NOT NULL
            )
            """,
                view=SQL.identifier(self._table),
                param=STALE_DAYS_PARAM,
                default=str(STALE_DAYS_DEFAULT),
            )
        )
