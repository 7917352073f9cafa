"""What goes back to a Jobcenter: its monthly status report (XLSX) and the events
it must know at once (exit, start of training or employment, three unexcused
absences in a row). Only ever about women whose consent to share data names
that Jobcenter (``shared_with_partner_ids``)."""

import io
import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Domain

from .exchange_tools import xlsx_write_text

_logger = logging.getLogger(__name__)

ABSENCE_STREAK = 3
# From this many participants on, the duplicate rule is checked in bulk.
BULK_CHECK_MIN = 20


class IntegrationConsent(models.Model):
    _inherit = "integration.consent"

    form_reference = fields.Char(
        help="Reference of the signed form kept by the organisation that "
        "collected it, e.g. the Jobcenter's form number.",
    )


class IntegrationParticipant(models.Model):
    _inherit = "integration.participant"

    @api.constrains("jobcenter_customer_number", "name", "birthdate")
    def _check_duplicate(self):
        """The duplicate rule for many women at once (an imported file): two
        queries find whom the rule may concern, and only those are checked one
        by one, with the rule's own messages."""
        if len(self) < BULK_CHECK_MIN:
            return super()._check_duplicate()
        participants = self.with_context(active_test=False).sudo()
        numbers = defaultdict(int)
        people = defaultdict(int)
        for participant in participants:
            if participant.jobcenter_customer_number:
                numbers[participant.jobcenter_customer_number] += 1
            if participant.birthdate:
                people[participant.name.strip().lower(), participant.birthdate] += 1
        others = Domain("id", "not in", self.ids)
        existing_numbers = set(
            participants.search(
                others & Domain("jobcenter_customer_number", "in", list(numbers))
            ).mapped("jobcenter_customer_number")
        )
        existing_people = {
            (name.strip().lower(), birthdate)
            for name, birthdate in participants.search(
                others & Domain("birthdate", "in", list({key[1] for key in people}))
            ).mapped(lambda p: (p.name, p.birthdate))
        }
        suspects = participants.filtered(
            lambda p: (
                (
                    p.jobcenter_customer_number
                    and (
                        numbers[p.jobcenter_customer_number] > 1
                        or p.jobcenter_customer_number in existing_numbers
                    )
                )
                or (
                    p.birthdate
                    and (
                        people[p.name.strip().lower(), p.birthdate] > 1
                        or (p.name.strip().lower(), p.birthdate) in existing_people
                        # =ilike treats % and _ as wildcards: left to the rule.
                        or "%" in p.name
                        or "_" in p.name
                    )
                )
            )
        )
        return super(
            IntegrationParticipant, self.browse(suspects.ids)
        )._check_duplicate()

    def write(self, vals):
        if "stage_id" not in vals:
            return super().write(vals)
        before = {participant.id: participant.milestone for participant in self}
        result = super().write(vals)
        for participant in self:
            milestone = participant.milestone
            if milestone != before[participant.id] and milestone in (
                "exited",
                "training",
                "employment",
            ):
                participant._notify_jobcenters(participant._event_message(milestone))
        return result

    def _event_message(self, milestone):
        self.ensure_one()
        participant = self.sudo()
        if milestone == "exited":
            return self.env._(
                "%(name)s left the programme on %(date)s. Reason: %(reason)s.",
                name=participant.name,
                date=participant.exit_date or fields.Date.context_today(self),
                reason=participant.exit_reason_id.name or "—",
            )
        if milestone == "training":
            return self.env._(
                "%(name)s started vocational training.", name=participant.name
            )
        return self.env._("%(name)s started insured employment.", name=participant.name)

    def _notify_jobcenters(self, body):
        """Post ``body`` on her referrals, to their followers (the Jobcenter's
        case workers), for each Jobcenter she shares her data with. The body is
        built here, from her record, never from what a user sent."""
        self.ensure_one()
        referrals = (
            self.env["integration.referral"]
            .sudo()
            .search([("participant_id", "=", self.id)])
        )
        for referral in referrals:
            if referral._is_shared_with_jobcenter():
                referral.message_post(
                    body=body,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )


class IntegrationEnrollment(models.Model):
    _inherit = "integration.enrollment"

    absence_streak_date = fields.Date(
        string="Reported Absences Since",
        copy=False,
        readonly=True,
        help="First day of the run of unexcused absences last reported to her "
        "Jobcenter: each run is reported once.",
    )

    def _check_absence_streak(self):
        for enrollment in self.sudo():
            streak = []
            for attendance in enrollment.attendance_ids.sorted("date", reverse=True):
                if attendance.state != "absent":
                    break
                streak.append(attendance)
            if len(streak) < ABSENCE_STREAK:
                continue
            start = streak[-1].date
            if enrollment.absence_streak_date == start:
                continue
            enrollment.absence_streak_date = start
            enrollment.participant_id._notify_jobcenters(
                self.env._(
                    "%(name)s missed %(count)s course days in a row without "
                    "excuse in %(course)s (since %(date)s).",
                    name=enrollment.participant_id.name,
                    count=len(streak),
                    course=enrollment.course_id.display_name,
                    date=start,
                )
            )


class IntegrationAttendance(models.Model):
    _inherit = "integration.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        attendances.filtered(
            lambda a: a.state == "absent"
        ).enrollment_id._check_absence_streak()
        return attendances

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "absent":
            self.enrollment_id._check_absence_streak()
        return result


class IntegrationJobcenterReport(models.AbstractModel):
    """The status report of one Jobcenter: its referrals of women who share
    their data with it, and their attendance per course and month."""

    _name = "integration.jobcenter.report"
    _description = "Status Report for a Jobcenter"

    @api.model
    def _referrals(self, jobcenter, as_of):
        return (
            self.env["integration.referral"]
            .sudo()
            .with_context(active_test=False)
            .search(
                Domain("jobcenter_id", "=", jobcenter.id)
                & Domain("date", "<=", as_of)
                & Domain(
                    "participant_id",
                    "any",
                    Domain("shared_with_partner_ids", "in", jobcenter.ids),
                ),
                order="date, id",
            )
        )

    @api.model
    def _referral_headers(self):
        return [
            self.env._("Customer number"),
            self.env._("Name"),
            self.env._("Date of birth"),
            self.env._("Referred on"),
            self.env._("Start of participation"),
            self.env._("Current milestone"),
            self.env._("Paused"),
            self.env._("Paused since"),
            self.env._("Pause until"),
            self.env._("Exit date"),
            self.env._("Exit reason"),
            self.env._("Destination"),
            self.env._("Destination since"),
        ]

    @api.model
    def _referral_rows(self, jobcenter, as_of):
        """One row per referral, as of the given day."""
        milestones = dict(
            self.env["integration.participant"]
            ._fields["milestone"]
            ._description_selection(self.env)
        )
        placement_types = dict(
            self.env["integration.placement"]
            ._fields["placement_type"]
            ._description_selection(self.env)
        )
        yes, no = self.env._("yes"), self.env._("no")
        rows = []
        for referral in self._referrals(jobcenter, as_of):
            woman = referral.participant_id
            exited = woman.exit_date and woman.exit_date <= as_of
            destination = woman.placement_ids.filtered(
                lambda p: (
                    p.placement_type in ("training", "employment")
                    and p.date_start <= as_of
                    and p.state != "dropped"
                )
            ).sorted("date_start")[-1:]
            rows.append(
                [
                    woman.jobcenter_customer_number or "",
                    woman.name,
                    woman.birthdate,
                    referral.date,
                    woman.enrollment_date,
                    milestones.get(woman.milestone, ""),
                    yes if woman.is_paused else no,
                    woman.pause_date_start if woman.is_paused else None,
                    woman.pause_date_end if woman.is_paused else None,
                    woman.exit_date if exited else None,
                    woman.exit_reason_id.name or "" if exited else "",
                    placement_types.get(destination.placement_type, ""),
                    destination.date_start or None,
                ]
            )
        return rows

    @api.model
    def _attendance_headers(self):
        return [
            self.env._("Customer number"),
            self.env._("Name"),
            self.env._("Course"),
            self.env._("Month"),
            self.env._("Present"),
            self.env._("Excused"),
            self.env._("Unexcused absences"),
        ]

    @api.model
    def _attendance_rows(self, jobcenter, as_of):
        """Attendance per woman, course and month (from the registers)."""
        women = self._referrals(jobcenter, as_of).participant_id
        counts = defaultdict(lambda: {"present": 0, "excused": 0, "absent": 0})
        for participant, course, month, state, count in (
            self.env["integration.attendance"]
            .sudo()
            ._read_group(
                [("participant_id", "in", women.ids), ("date", "<=", as_of)],
                ["participant_id", "course_id", "date:month", "state"],
                ["__count"],
            )
        ):
            counts[participant, course, month][state] += count
        rows = []
        for (participant, course, month), states in sorted(
            counts.items(),
            key=lambda item: (item[0][0].name or "", item[0][1].id, item[0][2]),
        ):
            rows.append(
                [
                    participant.jobcenter_customer_number or "",
                    participant.name,
                    course.display_name,
                    month.strftime("%Y-%m"),
                    states["present"],
                    states["excused"],
                    states["absent"],
                ]
            )
        return rows

    @api.model
    def _build_xlsx(self, jobcenter, as_of):
        import xlsxwriter  # noqa: PLC0415

        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
        for title, headers, rows in (
            (
                self.env._("Referrals"),
                self._referral_headers(),
                self._referral_rows(jobcenter, as_of),
            ),
            (
                self.env._("Attendance"),
                self._attendance_headers(),
                self._attendance_rows(jobcenter, as_of),
            ),
        ):
            sheet = workbook.add_worksheet(title)
            for column, header in enumerate(headers):
                xlsx_write_text(sheet, 0, column, header, bold)
                sheet.set_column(column, column, 18)
            for number, row in enumerate(rows, start=1):
                for column, value in enumerate(row):
                    if value is None or value == "":
                        continue
                    if isinstance(value, int):
                        sheet.write_number(number, column, value)
                    elif hasattr(value, "isoformat"):
                        sheet.write_datetime(number, column, value, date_format)
                    else:
                        xlsx_write_text(sheet, number, column, value)
        workbook.close()
        return output.getvalue()

    @api.model
    def _filename(self, jobcenter, as_of):
        return f"status-report-{jobcenter.id}-{as_of.isoformat()}.xlsx"

    @api.model
    def _send(self, jobcenter, as_of):
        """Mail the report to the Jobcenter organisation's address."""
        if not jobcenter.email:
            _logger.info(
                "Status report of Jobcenter %s not sent: it has no e-mail address.",
                jobcenter.id,
            )
            return False
        content = self._build_xlsx(jobcenter, as_of)
        subject = self.env._(
            "Status report of your referrals as of %(date)s",
            date=as_of.strftime("%d.%m.%Y"),
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self._filename(jobcenter, as_of),
                    "raw": content,
                    "mimetype": "application/vnd.openxmlformats-officedocument"
                    ".spreadsheetml.sheet",
                }
            )
        )
        mail = (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": subject,
                    "email_to": jobcenter.email,
                    "recipient_ids": [],
                    "body_html": self.env._(
                        "<p>Attached is the status report of the women your "
                        "Jobcenter referred who share their data with it.</p>"
                    ),
                    "attachment_ids": [fields.Command.set(attachment.ids)],
                    "auto_delete": True,
                }
            )
        )
        # Bound to the mail's message: deleted with it once the mail is sent.
        attachment.write(
            {"res_model": "mail.message", "res_id": mail.mail_message_id.id}
        )
        return mail

    @api.model
    def _jobcenters(self):
        return (
            self.env["integration.referral"]
            .sudo()
            ._read_group([], ["jobcenter_id"], [])
        )

    @api.model
    def _cron_send_monthly(self):
        """On the first of a month: the report as of the last day of the past
        month, to every Jobcenter that referred someone."""
        as_of = fields.Date.context_today(self).replace(day=1) - relativedelta(days=1)
        for (jobcenter,) in self._jobcenters():
            # Written for the Jobcenter: in its language, not the cron's.
            lang = jobcenter.sudo().lang
            self.with_context(lang=lang or self.env.lang)._send(jobcenter, as_of)
