"""The addon changes nothing of Odoo's own behaviour for people outside it."""

from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import new_test_user

# Global rules that restrict users outside the addon too, on purpose (README,
# "Odoo keeps working for everyone else").
DELIBERATE_GLOBAL_RULES = {
    # generated files (funder workbooks, data exports): the requester and managers
    "integration_program.rule_attachment_private_requester",
}


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

    def test_global_rules_are_no_ops_for_users_outside_the_addon(self):
        """Every rule of the addon that applies to Odoo's own models or to all
        users is True for an employee, a portal user and an administrator
        who are in none of its groups."""
        outsiders = [
            new_test_user(self.env, "sales", groups="base.group_user"),
            new_test_user(self.env, "customer", groups="base.group_portal"),
            new_test_user(self.env, "it", groups="base.group_system"),
        ]
        rules = (
            self.env["ir.rule"]
            .search([])
            .filtered(
                lambda rule: (
                    rule.get_external_id()[rule.id].startswith("integration_program.")
                    and (
                        rule["global"]
                        or not rule.model_id.model.startswith("integration.")
                    )
                )
            )
        )
        self.assertGreater(len(rules), 5)
        for rule in rules:
            xmlid = rule.get_external_id()[rule.id]
            if xmlid in DELIBERATE_GLOBAL_RULES:
                continue
            for user in outsiders:
                if rule.groups and not (rule.groups & user.all_group_ids):
                    continue
                context = self.env["ir.rule"].with_user(user)._eval_context()
                with self.subTest(rule=xmlid, user=user.login):
                    self.assertEqual(
                        safe_eval(rule.domain_force, context), [(1, "=", 1)]
                    )

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

    def test_installing_the_demo_left_no_work_in_odoos_queues(self):
        """Neither mails (of any model: welcome mails, activity notifications) nor
        background jobs are queued by installing or updating the addon."""
        if not self.env.ref(
            "integration_program.course_orientation_7", raise_if_not_found=False
        ):
            self.skipTest("installed without demo data")
        module = self.env["ir.module.module"].search(
            [("name", "=", "integration_program")]
        )
        # Records written by the install or the last update, not by later use.
        up_to_install = [("create_date", "<=", module.write_date)]
        self.assertFalse(
            self.env["mail.mail"].sudo().search(up_to_install),
            "installing the addon queued mails",
        )
        self.assertFalse(
            self.env["queue.job"]
            .sudo()
            .search([("date_created", "<=", module.write_date)]),
            "installing the addon queued background jobs",
        )
