"""The addon changes nothing of Odoo's own behaviour for people outside it."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCoreNeutral(TransactionCase):
    def test_records_opened_by_url_keep_odoos_own_actions(self):
        # /odoo/res.partner/<id> opens the first window action of the model.
        for model in ("res.partner", "res.users"):
            first = self.env["ir.actions.act_window"].search(
                [("res_model", "=", model)], limit=1
            )
            self.assertTrue(first, model)
            module = first.get_external_id()[first.id].split(".")[0]
            self.assertNotEqual(module, "integration_program", model)

    def test_coaching_lists_still_open_from_the_menu(self):
        for xmlid, model, domain in (
            (
                "integration_program.res_partner_server_action_coaching_provider",
                "res.partner",
                [("is_coaching_provider", "=", True)],
            ),
            (
                "integration_program.res_users_server_action_coach",
                "res.users",
                [("integration_provider_id", "!=", False)],
            ),
        ):
            action = self.env.ref(xmlid).run()
            self.assertEqual(action["res_model"], model)
            self.assertEqual(action["domain"], domain)
            self.assertEqual(action["views"][0][1], "list")
