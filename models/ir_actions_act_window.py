from odoo import models

PIPELINE_ACTION = "integration_program.integration_participant_action"


class IrActionsActWindow(models.Model):
    _inherit = "ir.actions.act_window"

    def _get_action_dict(self):
        """The pipeline opens on what each role works on, as CRM opens on "My
        Pipeline": a coach on her participants; programme staff on the active
        participants of the programmes they manage (of all programmes when they
        manage none). Filters the user can remove from the search bar."""
        result = super()._get_action_dict()
        pipeline = self.env.ref(PIPELINE_ACTION, raise_if_not_found=False)
        if not pipeline or result.get("id") != pipeline.id:
            return result
        if result.get("context") not in (None, False, "", "{}"):
            return result
        user = self.env.user
        if user.has_group("integration_program.group_user"):
            defaults = ["in_programme"]
            if (
                self.env["integration.program"]
                .sudo()
                .search_count([("manager_ids", "in", user.id)], limit=1)
            ):
                defaults.insert(0, "my_programmes")
        elif user.has_group("integration_program.group_coach"):
            defaults = ["my_participants"]
        else:
            return result
        result["context"] = repr({f"search_default_{name}": 1 for name in defaults})
        return result
