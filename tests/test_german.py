from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.translate import code_translations

from .common import IntegrationCase, new_test_user


@tagged("post_install", "-at_install")
class TestGerman(IntegrationCase):
    """The demo's users work in German: Odoo's own screens, OCA auditlog's and
    the addon's, and the texts the addon writes by itself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.german = cls.env(context=dict(cls.env.context, lang="de_DE"))
        cls.program.lang = "de_DE"
        cls.coach = new_test_user(
            cls.env,
            login="test_german_coach",
            name="Gerda Coach",
            groups="integration_program.group_coach",
            lang="de_DE",
        )
        provider = cls.env["res.partner"].create(
            {"name": "Träger", "is_company": True, "is_coaching_provider": True}
        )
        cls.coach.write({"parent_id": provider.id, "integration_capacity": 5})
        cls.coach.lang = "de_DE"

    def test_official_translations_of_all_installed_modules(self):
        """German came with the official translations of the modules installed
        before it: OCA auditlog's menus and Odoo's own."""
        rules_menu = self.german.ref("auditlog.menu_action_auditlog_rule_tree")
        self.assertEqual(rules_menu.name, "Regeln")
        discuss_field = self.german["ir.model.fields"]._get("mail.message", "body")
        self.assertEqual(discuss_field.field_description, "Inhalte")
        # The chatter's buttons are the mail module's code translations.
        mail_terms = {
            message["id"]: message["string"]
            for message in code_translations.get_web_translations("mail", "de_DE")[
                "messages"
            ]
        }
        self.assertEqual(mail_terms.get("Send message"), "Nachricht senden")
        self.assertEqual(mail_terms.get("Log note"), "Notiz hinterlassen")

    def test_activating_a_language_loads_its_translations(self):
        calls = []

        def record(modules, filter_lang=None, overwrite=False):
            calls.append((set(modules.mapped("name")), filter_lang))

        lang = self.env["res.lang"].with_context(active_test=False)
        french = lang.search([("code", "=", "fr_FR")])
        self.assertFalse(french.active)
        with patch.object(
            type(self.env["ir.module.module"]), "_update_translations", record
        ):
            self.env["res.lang"]._activate_lang("fr_FR")
            # Already active: nothing to load again.
            self.env["res.lang"]._activate_lang("fr_FR")
        self.assertEqual(len(calls), 1)
        modules, codes = calls[0]
        self.assertEqual(codes, ["fr_FR"])
        self.assertTrue(
            {"base", "web", "mail", "auditlog", "integration_program"} <= modules
        )

    def test_pipeline_and_form_in_german(self):
        views = (
            self.german["integration.participant"]
            .with_user(self.manager)
            .get_views([(False, "kanban"), (False, "form")])
        )
        kanban = views["views"]["kanban"]["arch"]
        self.assertIn('title="Tage in der Phase"', kanban)
        self.assertNotIn("Days in stage", kanban)
        self.assertRegex(kanban, r'name="days_in_stage"/>\s*Tage')
        self.assertNotIn("German level", kanban)
        form = views["views"]["form"]["arch"]
        for english in ("Profile", "Courses", "Placements", "Pause and Exit"):
            self.assertNotIn(f'string="{english}"', form)
        self.assertIn('string="Profil"', form)
        fields_info = views["models"]["integration.participant"]["fields"]
        self.assertEqual(
            fields_info["date_last_stage_update"]["string"], "In der Phase seit"
        )
        self.assertEqual(fields_info["enrollment_date"]["string"], "Eintrittsdatum")

    def test_funder_report_in_german(self):
        program = self.env.ref("integration_program.program_social_economy")
        report = self.env["integration.funder.report"].create(
            {"program_id": program.id}
        )
        html = (
            self.env["ir.actions.report"]
            .with_context(lang="de_DE")
            ._render_qweb_html("integration_program.report_funder_summary", report.ids)[
                0
            ]
            .decode()
        )
        self.assertIn("Zielvereinbarungen", html)
        self.assertIn("Fortschritt", html)
        self.assertNotIn("Target Agreements", html)

    def test_cron_activity_in_the_coachs_language(self):
        """The cron runs in English (no language in its context); the coach
        reads her activity in German."""
        participants = self.env["integration.participant"]
        participants.search([]).action_archive()
        with freeze_time("2020-03-01"):
            woman = self.create_participant(
                "Nadia Kontakt", enrollment_date="2020-01-02", coach_id=self.coach.id
            )
        with freeze_time("2020-03-01"):
            participants.with_context(
                lang="en_US"
            )._cron_schedule_stale_contact_activities()
        activity = woman.activity_ids
        self.assertEqual(activity.summary, "Seit mehr als 30 Tagen kein Kontakt")
        self.assertEqual(
            activity.with_context(lang="de_DE").activity_type_id.name,
            "Kontakt aufnehmen",
        )
        # Due the day her contact lapsed, not the day the cron first ran.
        self.assertEqual(str(activity.date_deadline), "2020-02-02")

    def test_texts_written_in_the_programmes_language(self):
        """Created by an English-speaking user (or at install), read by the
        programme's German staff."""
        english = self.env(context=dict(self.env.context, lang="en_US"))
        woman = english["integration.participant"].create(
            {"name": "Leyla Schreiber", "program_id": self.program.id}
        )
        self.flush_tracking()
        bodies = woman.message_ids.mapped("body")
        self.assertIn("<p>Teilnehmerin erstellt</p>", bodies)
        self.assertEqual(woman.partner_id.lang, "de_DE")
        english["integration.consent"].create(
            {
                "participant_id": woman.id,
                "purpose": "data_sharing",
                "recipient_ids": [(6, 0, self.env.ref("base.main_partner").ids)],
                "date_given": "2020-03-01",
            }
        )
        self.assertIn("Einwilligung erfasst", woman.message_ids[0].body)
        self.assertEqual(
            woman.with_env(english)._pseudonym(),
            f"Anonymisierte Teilnehmerin P-{woman.id:06d}",
        )
        # A programme in English keeps English texts.
        self.program.lang = "en_US"
        other = self.create_participant("Lena Other")
        self.assertEqual(other.with_env(self.german)._pseudonym()[:10], "Anonymised")

    def test_monthly_report_in_the_jobcenters_language(self):
        jobcenter = self.env.ref("integration_program.partner_jobcenter")
        jobcenter.write({"email": "kontakt@jobcenter.example", "lang": "de_DE"})
        mails = self.env["mail.mail"].search([])
        self.env["integration.jobcenter.report"].with_context(
            lang="en_US"
        )._cron_send_monthly()
        mail = self.env["mail.mail"].search([]) - mails
        self.assertEqual(len(mail), 1)
        self.assertTrue(mail.subject.startswith("Statusbericht"), mail.subject)
