"""The demo tells the programme's story as the city reported it in mid-2020 (the
seed, ``tools/make_demo_data.py``). At install every date of that story moves by
the same number of days, so that the day of the report becomes the day the demo
is installed: the funder's figures hold as of today, days in stage and last
contacts read as they did then, and the retention period ends for a few women
only. Deterministic: the same install day gives the same dates."""

import re
from datetime import date, datetime, time, timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

# The day the city reported its figures; tools/make_demo_data.py writes the
# demo as of this day.
DEMO_SEED_DAY = date(2020, 7, 31)
DEMO_DAY_PARAM = "integration_program.demo_day"
# Days as the texts written while the demo loads quote them (German, ISO, US).
QUOTED_DAYS = [
    (re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b"), "%d.%m.%Y"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "%Y-%m-%d"),
    (re.compile(r"\b\d{2}/\d{2}/\d{4}\b"), "%m/%d/%Y"),
]


def move_quoted_days(text, shift):
    """``text`` with every day it quotes moved by ``shift``."""
    if not text:
        return text

    def move(match, day_format):
        try:
            day = datetime.strptime(match.group(0), day_format)
        except ValueError:
            return match.group(0)
        return (day + shift).strftime(day_format)

    for pattern, day_format in QUOTED_DAYS:
        text = pattern.sub(lambda match, f=day_format: move(match, f), text)
    return text


class IntegrationProgram(models.Model):
    _inherit = "integration.program"

    @api.model
    def _demo_day(self):
        """The day the demo's story ends: the day of its install (today when
        the demo was not installed)."""
        value = self.env["ir.config_parameter"].sudo().get_param(DEMO_DAY_PARAM)
        return fields.Date.to_date(value) if value else fields.Date.today()

    @api.model
    def _demo_move_to_today(self):
        """Move the demo records of this install to today. The demo records are
        those created in the current transaction: Odoo installs a module, its
        demo data included, in one transaction."""
        today = fields.Date.context_today(self)
        # The day the seed's 31 July 2020 became (tests and tools read it).
        self.env["ir.config_parameter"].sudo().set_param(DEMO_DAY_PARAM, today)
        shift = today - DEMO_SEED_DAY
        if not shift.days:
            return False
        self.env.flush_all()
        created_now = SQL("create_date = %s", self.env.cr.now())
        for model in self._demo_models():
            date_fields = [
                field
                for field in model._fields.values()
                if field.type in ("date", "datetime")
                and field.store
                and not field.compute
                and field.name not in models.LOG_ACCESS_COLUMNS
            ]
            if not date_fields:
                continue
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s WHERE %s RETURNING id",
                    SQL.identifier(model._table),
                    SQL(", ").join(
                        SQL(
                            "%s = %s + %s",
                            SQL.identifier(field.name),
                            SQL.identifier(field.name),
                            shift,
                        )
                        for field in date_fields
                    ),
                    created_now,
                )
            )
            records = model.browse(row[0] for row in self.env.cr.fetchall())
            names = [field.name for field in date_fields]
            records.invalidate_recordset(names)
            # Stored fields computed from these dates (last contact, the
            # attendance's day, …) follow.
            records.modified(names)
        self.env.flush_all()
        self._demo_date_history(created_now)
        self._demo_move_quoted_days(shift)
        return shift.days

    @api.model
    def _demo_models(self):
        return [
            self.env[name]
            for name, model in self.env.registry.items()
            if name.startswith("integration.")
            and not model._abstract
            and not model._transient
            and model._auto
            and model._table_query is None
        ]

    @api.model
    def _demo_date_history(self, created_now):
        """Her chatter and her time in stage start when she enrolled and entered
        her stage, not at the install; the coach meetings' activities are due on
        their solutions' deadlines."""
        participants = self.env["integration.participant"].with_context(
            active_test=False
        )
        self.env.cr.execute(
            SQL(
                "SELECT id FROM integration_participant WHERE %s",
                created_now,
            )
        )
        participants = participants.browse(row[0] for row in self.env.cr.fetchall())
        for participant in participants:
            enrolled = fields.Datetime.to_datetime(participant.enrollment_date)
            self.env.cr.execute(
                SQL(
                    """UPDATE mail_message SET date = %s
                        WHERE model = %s AND res_id = %s AND %s""",
                    enrolled + timedelta(hours=8),
                    participants._name,
                    participant.id,
                    created_now,
                )
            )
            # The status bar's time in stage counts from her creation when no
            # stage change was tracked yet.
            self.env.cr.execute(
                SQL(
                    "UPDATE integration_participant SET create_date = %s WHERE id = %s",
                    participant.date_last_stage_update,
                    participant.id,
                )
            )
        self.env.cr.execute(
            SQL(
                """UPDATE mail_message m SET date = s.date + %s::time
                     FROM integration_coaching_session s
                    WHERE m.model = 'integration.coaching.session'
                      AND m.res_id = s.id AND m.create_date = %s""",
                time(hour=8).isoformat(),
                self.env.cr.now(),
            )
        )
        solutions = self.env["integration.coach.meeting.solution"].search(
            [("activity_id", "!=", False)]
        )
        for solution in solutions:
            solution.activity_id.date_deadline = solution.deadline
        self.env.invalidate_all()

    @api.model
    def _demo_move_quoted_days(self, shift):
        """Notes, activities and mails written while the demo loaded quote the
        seed's days (a consent given on …, a course starting on …): they move
        too."""
        now = self.env.cr.now()
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=like", "integration.%"), ("create_date", "=", now)])
        )
        for message in messages:
            body = move_quoted_days(str(message.body or ""), shift)
            if body != str(message.body or ""):
                message.body = Markup(body)
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [("res_model", "=like", "integration.%"), ("create_date", "=", now)]
            )
        )
        for activity in activities:
            note = move_quoted_days(str(activity.note or ""), shift)
            summary = move_quoted_days(activity.summary or "", shift)
            if (note, summary) != (str(activity.note or ""), activity.summary or ""):
                activity.write({"note": Markup(note), "summary": summary})
        mails = self.env["mail.mail"].sudo().search([("create_date", "=", now)])
        for mail in mails.filtered(
            lambda m: (m.model or "").startswith("integration.")
        ):
            body = move_quoted_days(mail.body_html or "", shift)
            if body != (mail.body_html or ""):
                mail.body_html = body
