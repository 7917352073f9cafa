from odoo.tests import TransactionCase, new_test_user


class IntegrationCase(TransactionCase):
    """A programme of its own, the shipped stages by milestone, and users per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls.env["integration.program"].create(
            {"name": "Test Programme", "code": "TEST"}
        )
        cls.stage = {
            milestone: cls.env.ref(f"integration_program.stage_{milestone}")
            for milestone in (
                "intake",
                "orientation",
                "coaching",
                "qualification",
                "training",
                "employment",
                "exited",
            )
        }
        cls.staff = new_test_user(
            cls.env,
            login="test_programme_staff",
            name="Petra Staff",
            groups="integration_program.group_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="test_programme_manager",
            name="Maria Manager",
            groups="integration_program.group_manager",
        )
        cls.reason_moved = cls.env.ref("integration_program.exit_reason_moved")

    @classmethod
    def create_participant(cls, name="Amal Test", **values):
        return cls.env["integration.participant"].create(
            {"name": name, "program_id": cls.program.id, **values}
        )

    def flush_tracking(self):
        """Write the tracking messages, which Odoo does just before a commit."""
        self.env.flush_all()
        self.env.cr.precommit.run()
