"""ESF+ monitoring (Regulation (EU) 2021/1057, Annex I): entry, exit and
six-month data, completeness, hours, the indicators by gender and the files."""

import io
from datetime import date

import openpyxl

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import IntegrationCase, OrganisationsCase

PERIOD = ("2025-01-01", "2025-12-31")


class EsfCase(IntegrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.write({"esf_cofunded": True, "esf_min_hours": 8})
        cls.q = {
            key: cls.env.ref(f"integration_program.esf_qualification_{key}")
            for key in (
                "school_hauptschule",
                "school_abitur",
                "school_foreign_lower",
                "vocational_dual",
                "vocational_bachelor",
            )
        }

    @classmethod
    def esf_participant(
        cls, name, *, entry, birth, hours=10, sensitive=None, **esf_values
    ):
        participant = cls.create_participant(
            name, enrollment_date=entry, birthdate=birth
        )
        if hours:
            cls.env["integration.coaching.session"].create(
                {
                    "participant_id": participant.id,
                    "date": entry,
                    "duration": hours,
                    "topics": "Bewerbung",
                }
            )
        record = cls.env["integration.esf.record"].create(
            {"participant_id": participant.id, **esf_values}
        )
        if sensitive:
            cls.env["integration.esf.sensitive"].create(
                {"participant_id": participant.id, **sensitive}
            )
        return record

    @classmethod
    def leave(cls, record, exit_date, **exit_values):
        record.participant_id.write(
            {
                "stage_id": cls.stage["exited"].id,
                "exit_date": exit_date,
                "exit_reason_id": cls.reason_moved.id,
            }
        )
        if exit_values:
            record.write(exit_values)


@tagged("post_install", "-at_install")
class TestEsfIndicators(EsfCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        base = {
            "third_country": "no",
            "foreign_background": "no",
            "housing_exclusion": "no",
        }
        cls.a = cls.esf_participant(
            "Amira",
            entry="2025-03-01",
            birth="1995-05-01",
            **{**base, "third_country": "yes", "foreign_background": "yes"},
            labour_status="unemployed",
            months_unemployed=14,
            school_qualification_id=cls.q["school_hauptschule"].id,
            sensitive={"disability": "yes"},
        )
        cls.leave(
            cls.a,
            "2025-06-30",
            exit_status="employed",
            exit_qualification=True,
            exit_recorded_on="2025-07-10",
        )
        cls.b = cls.esf_participant(
            "Bernd",
            entry="2025-01-06",
            birth="1960-01-01",
            **{**base, "housing_exclusion": "yes"},
            gender="male",
            labour_status="employed",
            school_qualification_id=cls.q["school_abitur"].id,
            vocational_qualification_id=cls.q["vocational_bachelor"].id,
        )
        cls.leave(
            cls.b,
            "2025-02-28",
            exit_status="job_seeking",
            exit_recorded_on="2025-03-10",
        )
        cls.b.write(
            {
                "followup_date": "2025-09-01",
                "followup_employed": True,
                "followup_improved": True,
            }
        )
        cls.b.followup_state = "due"
        cls.b.action_followup_done()
        cls.c = cls.esf_participant(
            "Chris",
            entry="2025-03-01",
            birth="2008-06-01",
            **{**base, "third_country": "yes", "foreign_background": "yes"},
            gender="non_binary",
            labour_status="education",
            school_qualification_id=cls.q["school_foreign_lower"].id,
            sensitive={"disability": "no", "minority": "yes"},
        )
        cls.leave(
            cls.c,
            "2025-06-30",
            exit_status="other",
            exit_in_education=True,
            exit_recorded_on="2025-06-30",
        )
        # Too few hours: not counted.
        cls.d = cls.esf_participant(
            "Dunja",
            entry="2025-03-01",
            birth="1990-01-01",
            hours=4,
            **{**base, "third_country": "yes", "foreign_background": "yes"},
            labour_status="unemployed",
            months_unemployed=5,
            school_qualification_id=cls.q["school_hauptschule"].id,
            vocational_qualification_id=cls.q["vocational_dual"].id,
        )
        # Incomplete (no labour-market status): not counted.
        cls.e = cls.esf_participant(
            "Elif",
            entry="2025-03-01",
            birth="1990-01-01",
            **base,
            school_qualification_id=cls.q["school_abitur"].id,
        )
        # Under 25 and unemployed for 7 months: long-term unemployed. Her hours
        # are course dates she attended (3 x 3 h).
        cls.h = cls.esf_participant(
            "Hana",
            entry="2025-03-01",
            birth="2003-01-01",
            hours=0,
            **{**base, "foreign_background": "yes"},
            labour_status="unemployed",
            months_unemployed=7,
            school_qualification_id=cls.q["school_abitur"].id,
        )
        course = cls.env["integration.course"].create(
            {
                "program_id": cls.program.id,
                "course_type_id": cls.env.ref(
                    "integration_program.course_type_orientation"
                ).id,
                "date_start": "2025-03-03",
                "seats_max": 10,
            }
        )
        enrollment = cls.env["integration.enrollment"].create(
            {"participant_id": cls.h.participant_id.id, "course_id": course.id}
        )
        for day, state in (
            ("2025-03-03", "present"),
            ("2025-03-04", "present"),
            ("2025-03-05", "present"),
            ("2025-03-06", "absent"),
        ):
            course_date = cls.env["integration.course.date"].create(
                {"course_id": course.id, "date": day, "duration": 3}
            )
            cls.env["integration.attendance"].create(
                {
                    "course_date_id": course_date.id,
                    "enrollment_id": enrollment.id,
                    "state": state,
                }
            )
        # Entered before the period: no output, but her result counts.
        cls.f = cls.esf_participant(
            "Fatma",
            entry="2024-06-01",
            birth="1985-01-01",
            **base,
            labour_status="inactive",
            school_qualification_id=cls.q["school_abitur"].id,
        )
        cls.leave(
            cls.f, "2025-06-30", exit_status="employed", exit_recorded_on="2025-07-01"
        )

    def indicators(self):
        values = self.env["integration.kpi"]._esf_indicators(self.program, *PERIOD)
        return values, {row["code"]: row for row in values["rows"]}

    def test_isced_mapping(self):
        self.assertEqual(self.a.isced_group, "0_2")
        self.assertEqual(self.b.isced_group, "5_8", "the higher qualification")
        self.assertEqual(self.d.isced_group, "3_4")
        qualification = self.env["integration.esf.qualification"].create(
            {"name": "Doktor", "kind": "vocational", "isced_level": "8"}
        )
        self.assertEqual(qualification.isced_group, "5_8")
        qualification.isced_level = "4"
        self.assertEqual(qualification.isced_group, "3_4")
        # A manager correcting the catalogue moves her into another band.
        self.d.vocational_qualification_id = qualification
        self.assertEqual(self.d.isced_group, "3_4")
        self.q["vocational_dual"].isced_level = "2"
        self.d.vocational_qualification_id = self.q["vocational_dual"]
        self.assertEqual(self.d.isced_group, "0_2", "Hauptschule and level 2")

    def test_age_bands_and_long_term_unemployment(self):
        self.assertEqual(self.a.age_band, "18_29")
        self.assertEqual(self.b.age_band, "55_plus")
        self.assertEqual(self.c.age_band, "under_18")
        self.assertTrue(self.a.long_term_unemployed, "more than 12 months")
        self.assertTrue(self.h.long_term_unemployed, "under 25: more than 6 months")
        self.assertFalse(self.d.long_term_unemployed)

    def test_each_indicator(self):
        values, rows = self.indicators()
        expected = {
            # code: (women, men, non-binary, total)
            "EECO01": (2, 0, 0, 2),
            "EECO02": (2, 0, 0, 2),
            "EECO03": (0, 0, 1, 1),
            "EECO04": (0, 1, 0, 1),
            "EECO05": (0, 0, 1, 1),
            "EECO06": (2, 0, 0, 2),
            "EECO07": (0, 1, 0, 1),
            "EECO08": (1, 0, 1, 2),
            "EECO09": (1, 0, 0, 1),
            "EECO10": (0, 1, 0, 1),
            "EECO11": (2, 1, 1, 4),
            "EECO12": (1, 0, 0, 1),
            "EECO13": (1, 0, 1, 2),
            "EECO14": (2, 0, 1, 3),
            "EECO15": (0, 0, 1, 1),
            "EECO16": (0, 1, 0, 1),
            "EECR01": (0, 1, 0, 1),
            "EECR02": (0, 0, 1, 1),
            "EECR03": (1, 0, 0, 1),
            # Fatma entered before the period: her result counts.
            "EECR04": (2, 0, 0, 2),
            "EECR05": (0, 1, 0, 1),
            "EECR06": (0, 1, 0, 1),
        }
        for code, counts in expected.items():
            row = rows[code]
            self.assertEqual(
                (row["female"], row["male"], row["non_binary"], row["total"]),
                counts,
                code,
            )
        # Status before entry adds up to the total (the funders' cross-check).
        self.assertEqual(
            rows["EECO01"]["total"] + rows["EECO03"]["total"] + rows["EECO04"]["total"],
            rows["EECO11"]["total"],
        )
        for code in ("EECO17", "EECO18", "EECO19"):
            self.assertFalse(rows[code]["recorded"])
            self.assertIsNone(rows[code]["total"])
        self.assertEqual(values["incomplete"]["total"], 1)
        self.assertEqual(values["incomplete"]["female"], 1)
        self.assertEqual(values["below_hours"]["total"], 1)
        self.assertEqual(len(rows), 25)

    def test_german_names(self):
        rows = {
            row["code"]: row["name"]
            for row in self.env["integration.kpi"]
            .with_context(lang="de_DE")
            ._esf_indicators(self.program, *PERIOD)["rows"]
        }
        if self.env["res.lang"]._lang_get("de_DE").active:
            self.assertEqual(
                rows["EECO01"], "Arbeitslose, einschließlich Langzeitarbeitslose"
            )

    def test_completeness_excludes_her(self):
        self.assertFalse(self.e.is_complete)
        self.assertIn("Labour-Market Status", self.e.missing_data)
        self.assertIn(
            self.e,
            self.env["integration.esf.record"].search([("is_complete", "=", False)]),
        )
        self.e.labour_status = "inactive"
        self.assertTrue(self.e.is_complete)
        values, rows = self.indicators()
        self.assertEqual(values["incomplete"]["total"], 0)
        self.assertEqual(rows["EECO11"]["total"], 5)
        # A woman of the programme without ESF+ data does not count either.
        self.create_participant("Gül", enrollment_date="2025-04-01")
        values, _rows = self.indicators()
        self.assertEqual(values["incomplete"]["total"], 1)
        # The programme decides what is mandatory.
        self.program.esf_field_ids |= self.env["ir.model.fields"]._get(
            "integration.esf.record", "vocational_qualification_id"
        )
        self.assertFalse(self.e.is_complete)
        self.assertIn("Vocational", self.e.missing_data)
        # Unemployed needs the months.
        self.e.write({"labour_status": "unemployed", "months_unemployed": 0})
        self.assertIn("Months Unemployed", self.e.missing_data)

    def test_hours_threshold(self):
        self.assertEqual(self.d.participation_hours, 4)
        self.assertEqual(self.h.participation_hours, 9, "three dates present")
        self.program.esf_min_hours = 10
        values, rows = self.indicators()
        # Hana (9 h) drops out, Dunja (4 h) still out.
        self.assertEqual(values["below_hours"]["total"], 2)
        self.assertEqual(rows["EECO11"]["total"], 3)
        self.program.esf_min_hours = 4
        values, rows = self.indicators()
        self.assertEqual(values["below_hours"]["total"], 0)
        self.assertEqual(rows["EECO11"]["total"], 5)

    def test_exit_data_within_28_days(self):
        with self.assertRaises(ValidationError):
            self.f.exit_recorded_on = "2025-07-29"
        self.f.exit_recorded_on = "2025-07-28"
        with self.assertRaises(ValidationError):
            self.f.exit_recorded_on = "2025-06-29"
        # Not yet left: no situation on leaving.
        with self.assertRaises(ValidationError):
            self.d.exit_status = "employed"

    def test_six_month_rule(self):
        self.assertEqual(self.a.followup_due_date, date(2025, 12, 30))
        self.a.write({"followup_state": "due", "followup_date": "2025-12-29"})
        with self.assertRaises(ValidationError):
            self.a.action_followup_done()
        self.a.followup_date = "2025-12-30"
        self.a.followup_employed = True
        self.a.action_followup_done()
        _values, rows = self.indicators()
        self.assertEqual(rows["EECR05"]["female"], 1)
        # Employed at entry only: Amira was unemployed.
        self.a.followup_improved = True
        _values, rows = self.indicators()
        self.assertEqual(rows["EECR06"]["female"], 0)

    def test_followup_outside_the_period_does_not_count(self):
        values = self.env["integration.kpi"]._esf_indicators(
            self.program, "2025-01-01", "2025-08-27"
        )
        rows = {row["code"]: row for row in values["rows"]}
        self.assertEqual(rows["EECR05"]["total"], 0, "due on 2025-08-28")
        self.assertEqual(rows["EECR01"]["total"], 1)


@tagged("post_install", "-at_install")
class TestEsfExitFlow(EsfCase):
    def test_exit_wizard_records_situation_and_schedules_followup(self):
        record = self.esf_participant(
            "Ines",
            entry="2025-03-01",
            birth="1990-01-01",
            labour_status="unemployed",
            months_unemployed=3,
        )
        participant = record.participant_id
        participant.user_id = self.staff
        form = Form(
            self.env["integration.participant.exit.wizard"]
            .with_user(self.staff)
            .with_context(default_participant_ids=participant.ids)
        )
        form.exit_reason_id = self.reason_moved
        self.assertTrue(form.esf_needed)
        form.esf_exit_status = "employed"
        form.esf_qualification = True
        form.save().action_confirm()
        self.assertEqual(record.exit_status, "employed")
        self.assertTrue(record.exit_qualification)
        self.assertEqual(record.exit_recorded_on, participant.exit_date)
        self.assertEqual(record.followup_state, "due")
        activities = participant.activity_ids.filtered(
            lambda a: a.summary == "ESF+ six-month follow-up"
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.date_deadline, record.followup_due_date)
        self.assertEqual(activities.user_id, self.staff)
        # Once: scheduling again adds nothing.
        record._schedule_followup()
        self.assertEqual(
            len(
                participant.activity_ids.filtered(
                    lambda a: a.summary == "ESF+ six-month follow-up"
                )
            ),
            1,
        )
        self.assertIn(
            record,
            self.env["integration.esf.record"].search([("followup_state", "=", "due")]),
        )
        record.action_followup_unreachable()
        self.assertEqual(record.followup_state, "unreachable")
        self.assertFalse(
            participant.activity_ids.filtered(
                lambda a: a.summary == "ESF+ six-month follow-up"
            )
        )

    def test_card_dragged_to_exit_schedules_followup_once(self):
        record = self.esf_participant(
            "Jana", entry="2025-03-01", birth="1990-01-01", labour_status="inactive"
        )
        participant = record.participant_id
        participant.user_id = self.staff
        participant.with_user(self.staff).write({"stage_id": self.stage["exited"].id})
        # Today as the staff member who moved the card sees it (her time zone).
        self.assertEqual(
            record.exit_date,
            fields.Date.context_today(participant.with_user(self.staff)),
        )
        self.assertEqual(record.followup_state, "due")
        participant.with_user(self.staff).write(
            {"exit_reason_id": self.reason_moved.id}
        )
        participant.with_user(self.staff).write({"stage_id": self.stage["exited"].id})
        activities = participant.activity_ids.filtered(
            lambda a: a.summary == "ESF+ six-month follow-up"
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.date_deadline, record.followup_due_date)

    def test_not_cofunded(self):
        other = self.env["integration.program"].create(
            {"name": "Ohne ESF", "code": "NOESF"}
        )
        participant = self.env["integration.participant"].create(
            {"name": "Jana", "program_id": other.id}
        )
        with self.assertRaises(UserError):
            participant.action_open_esf_record()
        self.program.esf_cofunded = True
        participant.program_id = self.program
        action = participant.action_open_esf_record()
        self.assertEqual(
            self.env["integration.esf.record"].browse(action["res_id"]).participant_id,
            participant,
        )


@tagged("post_install", "-at_install")
class TestEsfFiles(TestEsfIndicators):
    def _report(self):
        return (
            self.env["integration.esf.report"]
            .with_user(self.manager)
            .create(
                {
                    "program_id": self.program.id,
                    "date_from": PERIOD[0],
                    "date_to": PERIOD[1],
                }
            )
        )

    def _render(self, xmlid, report):
        content, file_type = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_xlsx(xmlid, report.ids, {})
        )
        self.assertEqual(file_type, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content))

    def test_dashboard_says_how_many_are_excluded(self):
        report = self._report()
        self.assertEqual(report.incomplete_count, 1)
        self.assertEqual(report.below_hours_count, 1)
        self.assertIn("EECR06", report.indicator_html)
        action = report.action_open_incomplete()
        self.assertEqual(
            self.env["integration.esf.record"].search(
                action["domain"] + [("is_complete", "=", False)]
            ),
            self.e,
        )

    def test_indicator_workbook(self):
        sheet = self._render(
            "integration_program.action_report_esf_indicators_xlsx", self._report()
        ).active
        rows = {
            row[0]: row
            for row in sheet.iter_rows(min_row=5, values_only=True)
            if row[0]
        }
        self.assertEqual(rows["EECO11"][2:6], (2, 1, 1, 4))
        self.assertEqual(rows["EECR05"][2:6], (0, 1, 0, 1))

    def test_participant_export_is_pseudonymous(self):
        for record in (self.a, self.b):
            record.participant_id.write(
                {
                    "email": f"{record.participant_id.name}@example.com",
                    "phone": "+49 30 1234567",
                }
            )
        workbook = self._render(
            "integration_program.action_report_esf_participants_xlsx", self._report()
        )
        cells = [
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        ]
        text = "\n".join(cells)
        participants = self.env["integration.participant"].search(
            [("program_id", "=", self.program.id)]
        )
        self.assertGreaterEqual(len(participants), 7)
        for participant in participants:
            self.assertIn(self.program._pseudonym(participant.id), text)
            self.assertNotIn(participant.name, text)
            if participant.email:
                self.assertNotIn(participant.email, text)
        self.assertNotIn("1234567", text)
        self.assertNotIn("example.com", text)


@tagged("post_install", "-at_install")
class TestEsfAccess(OrganisationsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.esf_cofunded = True
        cls.records = cls.env["integration.esf.record"]._for_participants(
            cls.own | cls.other
        )
        cls.sensitive = {
            participant: cls.env["integration.esf.sensitive"].create(
                {"participant_id": participant.id, "disability": "yes"}
            )
            for participant in (cls.own, cls.other)
        }

    def test_special_categories_only_for_managers_and_her_coach(self):
        own = self.sensitive[self.own]
        # Her own coach and managers read and write.
        for role in ("coach1", "manager"):
            record = own.with_user(self.role_users[role])
            self.assertEqual(record.disability, "yes", role)
            record.minority = "no_answer"
        # Programme staff, another provider's coach, portal logins: refused.
        for role in ("staff", "coach2", "jobcenter1", "school1"):
            user = self.role_users[role]
            with self.assertRaises(AccessError, msg=role):
                own.with_user(user).read(["disability"])
            with self.assertRaises(AccessError, msg=role):
                own.with_user(user).write({"disability": "no"})
            with self.assertRaises(AccessError, msg=role):
                self.env["integration.esf.sensitive"].with_user(user).create(
                    {"participant_id": self.unconsented.id}
                )
            if role != "coach2":
                with self.assertRaises(AccessError, msg=role):
                    self.env["integration.esf.sensitive"].with_user(user).search([])
        # Another provider's coach sees only her own participant's.
        self.assertEqual(
            self.env["integration.esf.sensitive"]
            .with_user(self.role_users["coach2"])
            .search([]),
            self.sensitive[self.other],
        )
        # A new coach: the former one loses access.
        self.own.coach_id = self.role_users["coach2"]
        with self.assertRaises(AccessError):
            own.with_user(self.role_users["coach1"]).read(["disability"])

    def test_entry_data_per_provider(self):
        own = self.records.filtered(lambda r: r.participant_id == self.own)
        other = self.records - own
        coach = self.role_users["coach1"]
        self.assertEqual(own.with_user(coach).gender, "female")
        with self.assertRaises(AccessError):
            other.with_user(coach).read(["gender"])
        self.assertEqual(
            self.env["integration.esf.record"]
            .with_user(self.staff)
            .search_count([("id", "in", self.records.ids)]),
            2,
        )
        for role in ("jobcenter1", "school1"):
            with self.assertRaises(AccessError, msg=role):
                own.with_user(self.role_users[role]).read(["gender"])

    def test_no_route_or_report_exposes_them(self):
        """Only the manager-only XLSX reports carry ESF+ data, and no portal
        template or controller names the models."""
        reports = self.env["ir.actions.report"].search(
            [("model", "=", "integration.esf.report")]
        )
        self.assertEqual(len(reports), 2)
        for report in reports:
            self.assertEqual(
                report.group_ids, self.env.ref("integration_program.group_manager")
            )
        # The questionnaires print her entry data for her signature, the Art. 9
        # questions always blank; another provider's coach cannot print them.
        own = self.records.filtered(lambda r: r.participant_id == self.own)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.role_users["coach1"])
            ._render_qweb_html("integration_program.action_report_esf_entry", own.ids)[
                0
            ]
            .decode()
        )
        self.assertIn("Hawa Eins", html)
        self.assertEqual(html.count("☒"), 1, "only her gender is recorded")
        html = (
            self.env["ir.actions.report"]
            .with_user(self.role_users["coach1"])
            ._render_qweb_html("integration_program.action_report_esf_exit", own.ids)[0]
            .decode()
        )
        self.assertIn("Hawa Eins", html)
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(
                self.role_users["coach2"]
            )._render_qweb_html("integration_program.action_report_esf_entry", own.ids)
        views = self.env["ir.ui.view"].search(
            [("type", "=", "qweb"), ("arch_db", "ilike", "esf")]
        )
        self.assertFalse(
            views.filtered(lambda v: "portal" in (v.key or "")),
            "a portal template shows ESF+ data",
        )
        for role in ("jobcenter1", "school1"):
            with self.assertRaises(AccessError):
                self.env["integration.esf.report"].with_user(
                    self.role_users[role]
                ).create({"program_id": self.program.id})


@tagged("post_install", "-at_install")
class TestEsfProgramme(IntegrationCase):
    def test_cofunded_programme_starts_from_the_usual_mandatory_data(self):
        program = self.env["integration.program"].create(
            {"name": "Alt", "code": "ALT", "esf_field_ids": [(5,)]}
        )
        self.assertFalse(program.esf_field_ids)
        form = Form(program.with_user(self.manager))
        form.esf_cofunded = True
        program = form.save()
        self.assertIn("labour_status", program.esf_field_ids.mapped("name"))
        self.assertNotIn(
            "vocational_qualification_id", program.esf_field_ids.mapped("name")
        )
