from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import format_date

from .integration_program import STALE_DAYS_DEFAULT, STALE_DAYS_PARAM

# Rows of the waiting-list and over-capacity lists on the home.
LIST_ROWS = 6
# Programmes offered in the home's programme choice (a city runs a handful).
PROGRAM_LIMIT = 100


class IntegrationManagerHome(models.AbstractModel):
    """The figures of the staff's and managers' home (the client action
    ``integration_program.manager_home``). Everything is counted as the user
    who asks, under her access rules, and every figure comes with the list of
    women behind it (``action_open_figure``)."""

    _name = "integration.manager.home"
    _description = "Programme Manager's Home"

    @api.model
    def _check_staff(self):
        if not self.env.user.has_group("integration_program.group_user"):
            raise AccessError(
                self.env._("The programme overview is for programme staff.")
            )

    @api.model
    def _program(self, program_id=None):
        """The programme asked for, or the one with the most women."""
        programs = self.env["integration.program"].search([], limit=PROGRAM_LIMIT)
        if program_id and program_id in programs.ids:
            return programs.browse(program_id)
        counts = programs.get_milestone_counts()
        return programs.sorted(
            lambda program: (-sum(counts[program.id].values()), program.id)
        )[:1]

    @api.model
    def _stale_days(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(STALE_DAYS_PARAM, STALE_DAYS_DEFAULT)
        )

    @api.model
    def _figure_domain(self, program, key, record_id=None):
        """The women behind a figure of the home, as a domain."""
        today = fields.Date.context_today(self)
        in_programme = Domain("program_id", "=", program.id) & Domain(
            "milestone", "!=", "exited"
        )
        if key == "in_programme":
            return in_programme
        if key == "no_contact":
            # As the cron that reminds coaches counts them (see
            # integration.participant._cron_schedule_stale_contact_activities).
            limit = today - timedelta(days=self._stale_days())
            return (
                in_programme
                & Domain("is_paused", "=", False)
                & (
                    Domain("last_contact_date", "<", fields.Date.to_string(limit))
                    | (
                        Domain("last_contact_date", "=", False)
                        & Domain("enrollment_date", "<", fields.Date.to_string(limit))
                    )
                )
            )
        if key == "waitlist":
            waiting = Domain("state", "=", "waitlist")
            if record_id:
                waiting &= Domain("course_id", "=", record_id)
            return Domain("program_id", "=", program.id) & Domain(
                "enrollment_ids", "any", waiting
            )
        if key == "over_capacity":
            coaches = (
                self.env["res.users"].browse(record_id)
                if record_id
                else self._coaches_over_capacity()
            )
            return in_programme & Domain("coach_id", "in", coaches.ids)
        if key == "due_activities":
            return Domain("program_id", "=", program.id) & Domain(
                "activity_ids",
                "any",
                Domain("date_deadline", "<=", fields.Date.to_string(today)),
            )
        if key == "target":
            target = self.env["integration.target"].browse(record_id)
            if target.program_id != program:
                raise AccessError(
                    self.env._("This target belongs to another programme.")
                )
            return Domain(
                "id", "in", target._counted_participant_ids(target._reference_date())
            ) & Domain("active", "in", (True, False))
        raise ValueError(key)

    @api.model
    def _coaches_over_capacity(self):
        # The caseload report is an SQL view over participants and users.
        self.env.flush_all()
        return (
            self.env["integration.caseload.report"]
            .search([("capacity", ">", 0), ("free_capacity", "<", 0)])
            .coach_id
        )

    @api.model
    def _figure_titles(self):
        return {
            "in_programme": self.env._("In the Programme"),
            "no_contact": self.env._("Without Contact"),
            "waitlist": self.env._("On a Waiting List"),
            "over_capacity": self.env._("With Coaches over Capacity"),
            "due_activities": self.env._("With Due Activities"),
            "target": self.env._("Counted for the Target"),
        }

    @api.model
    def get_home_data(self, program_id=None):
        """Everything the home shows, for ``program_id`` (or the biggest
        programme the user may read)."""
        self._check_staff()
        program = self._program(program_id)
        programs = self.env["integration.program"].search([], limit=PROGRAM_LIMIT)
        data = {
            "programs": [{"id": p.id, "name": p.display_name} for p in programs],
            "program": program and {"id": program.id, "name": program.display_name},
            "stale_days": self._stale_days(),
            "figures": [],
            "targets": [],
            "waitlists": [],
            "coaches": [],
        }
        if not program:
            return data
        participants = self.env["integration.participant"]
        titles = self._figure_titles()
        for key, tone in (
            ("in_programme", "primary"),
            ("no_contact", "danger"),
            ("waitlist", "warning"),
            ("over_capacity", "danger"),
            ("due_activities", "warning"),
        ):
            data["figures"].append(
                {
                    "key": key,
                    "label": titles[key],
                    "tone": tone,
                    "value": participants.search_count(
                        self._figure_domain(program, key)
                    ),
                }
            )
        data["targets"] = self._targets_data(program)
        waiting = self.env["integration.enrollment"]._read_group(
            [("state", "=", "waitlist"), ("course_id.program_id", "=", program.id)],
            ["course_id"],
            ["__count"],
            order="__count desc",
            limit=LIST_ROWS,
        )
        data["waitlists"] = [
            {"id": course.id, "name": course.display_name, "count": count}
            for course, count in waiting
        ]
        coaches = self._coaches_over_capacity()
        loads = self.env["integration.caseload.report"].search(
            [("coach_id", "in", coaches.ids)], order="load_percent desc"
        )
        data["coaches"] = [
            {
                "id": load.coach_id.id,
                "name": load.coach_id.name,
                "caseload": load.active_count,
                "capacity": load.capacity,
            }
            for load in loads[:LIST_ROWS]
        ]
        return data

    @api.model
    def _targets_data(self, program):
        """The targets running today (else the programme's last ones), with
        their trend charts."""
        today = fields.Date.context_today(self)
        targets = (
            program.target_ids.filtered(
                lambda target: target.date_from <= today <= target.date_to
            )
            or program.target_ids.filtered(lambda target: target.date_to < today)[-2:]
        )
        status_labels = dict(targets._fields["status"]._description_selection(self.env))
        return [
            {
                "id": target.id,
                "name": target.name,
                "actual": target.actual_value,
                "target": target.target_value,
                "forecast": target.forecast_value,
                "progress": round(target.progress),
                "status": target.status,
                "status_label": status_labels[target.status],
                "period": f"{format_date(self.env, target.date_from)} – "
                f"{format_date(self.env, target.date_to)}",
                "chart": target._trend_chart(),
            }
            for target in targets
        ]

    @api.model
    def action_open_figure(self, program_id, key, record_id=None):
        """The list of the women behind a figure of the home."""
        self._check_staff()
        program = self._program(program_id)
        if program.id != program_id:
            raise AccessError(self.env._("You cannot read this programme."))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "integration_program.integration_participant_action"
        )
        title = self._figure_titles()[key]
        if key == "waitlist" and record_id:
            title = self.env["integration.course"].browse(record_id).display_name
        elif key == "over_capacity" and record_id:
            title = self.env["res.users"].browse(record_id).name
        elif key == "target":
            title = self.env["integration.target"].browse(record_id).name
        action.update(
            {
                "name": title,
                "domain": list(self._figure_domain(program, key, record_id)),
                "context": {"default_program_id": program.id},
                "views": [(False, "list"), (False, "kanban"), (False, "form")],
                "view_mode": "list,kanban,form",
            }
        )
        action.pop("path", None)
        action.pop("display_name", None)
        return action
