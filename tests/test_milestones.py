from odoo.tests import tagged

from .common import IntegrationCase


@tagged("post_install", "-at_install")
class TestMilestoneCounts(IntegrationCase):
    def test_counts_by_milestone(self):
        layout = {
            "intake": 2,
            "orientation": 1,
            "coaching": 3,
            "training": 2,
            "employment": 1,
            "exited": 2,
        }
        number = 0
        for milestone, count in layout.items():
            for _i in range(count):
                number += 1
                self.create_participant(
                    name=f"Participant {number}",
                    stage_id=self.stage[milestone].id,
                    enrollment_date="2019-01-01",
                )
        self.create_participant(name="Archived One").action_archive()
        other = self.env["integration.program"].create({"name": "Other", "code": "OTH"})
        self.env["integration.participant"].create(
            {"name": "Elsewhere", "program_id": other.id}
        )

        counts = self.program.get_milestone_counts()
        self.assertEqual(counts, {self.program.id: layout})
        self.assertEqual(self.program.participant_count, 11)
        self.assertEqual(self.program.in_coaching_count, 6)

        funnel = self.env["integration.participant"].read_group(
            [("program_id", "=", self.program.id)], ["milestone"], ["milestone"]
        )
        self.assertEqual(
            {group["milestone"]: group["milestone_count"] for group in funnel}, layout
        )

    def test_demo_reproduces_the_reported_figures(self):
        program = self.env.ref("integration_program.program_social_economy")
        counts = program.get_milestone_counts()[program.id]
        self.assertEqual(program.participant_count, 155)
        self.assertEqual(program.in_coaching_count, 106)
        self.assertEqual(counts["exited"], 36)
        self.assertEqual(program.paused_count, 9)
        exited = self.env["integration.participant"].search(
            [("program_id", "=", program.id), ("milestone", "=", "exited")]
        )
        self.assertTrue(all(exited.mapped("exit_reason_id")))
        self.assertTrue(all(p.exit_date >= p.enrollment_date for p in exited))
