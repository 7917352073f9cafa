import base64

from odoo.exceptions import AccessError, ValidationError

from .common import OrganisationsCase

SCAN = base64.b64encode(b"%PDF-1.4 residence permit scan").decode()


class TestDocumentChecklist(OrganisationsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.types = {
            key: cls.env.ref(f"integration_program.document_type_{key}")
            for key in ("residence_permit", "cv", "measles")
        }
        cls.env["integration.document.requirement"].create(
            [
                {
                    "program_id": cls.program.id,
                    "stage_id": cls.stage[stage].id,
                    "document_type_id": cls.types[key].id,
                }
                for key, stage in (
                    ("residence_permit", "intake"),
                    ("cv", "orientation"),
                    ("measles", "training"),
                )
            ]
        )
        cls.amal = cls.create_participant(
            "Amal Dokumente", stage_id=cls.stage["intake"].id
        )
        cls.Participant = cls.env["integration.participant"]

    def _missing(self):
        return self.Participant.search(
            [("documents_missing", "=", True), ("program_id", "=", self.program.id)]
        )

    def _status(self, participant):
        participant.invalidate_recordset()
        return (participant.document_required_count, participant.document_missing_count)

    def test_checklist_status_per_stage(self):
        self.assertEqual(self._status(self.amal), (1, 1))
        self.assertIn(self.amal, self._missing())

        # Staff upload her residence permit into the checklist line.
        self.amal.with_user(self.staff).action_view_documents()
        line = self.amal.document_ids
        self.assertEqual(line.document_type_id, self.types["residence_permit"])
        self.assertEqual(line.state, "missing")
        line.with_user(self.staff).write({"file": SCAN, "file_name": "permit.pdf"})
        self.assertEqual(line.state, "received")
        self.assertEqual(line.received_by_id, self.staff)
        self.assertTrue(line.date_received)
        self.assertEqual(self._status(self.amal), (1, 0))
        self.assertNotIn(self.amal, self._missing())

        # Orientation needs her CV too; what she brought stays received.
        self.amal.stage_id = self.stage["orientation"]
        self.assertEqual(self._status(self.amal), (2, 1))
        self.assertIn(self.amal, self._missing())
        self.amal.action_view_documents()
        cv = self.amal.document_ids.filtered(
            lambda doc: doc.document_type_id == self.types["cv"]
        )
        cv.action_mark_received()
        self.assertEqual(self._status(self.amal), (2, 0))
        self.assertNotIn(self.amal, self._missing())

        # Training: proof of measles immunity as well.
        self.amal.stage_id = self.stage["training"]
        self.assertEqual(self._status(self.amal), (3, 1))
        self.amal.action_view_documents()
        self.assertEqual(len(self.amal.document_ids), 3)
        # Opening her checklist again adds no second line.
        self.amal.action_view_documents()
        self.assertEqual(len(self.amal.document_ids), 3)
        self.assertIn(self.amal, self._missing())

        # Once she left, nothing is missing any more.
        self.amal.write(
            {
                "stage_id": self.stage["exited"].id,
                "exit_reason_id": self.reason_moved.id,
            }
        )
        self.assertEqual(self._status(self.amal), (0, 0))
        self.assertNotIn(self.amal, self._missing())

    def test_other_programmes_need_nothing(self):
        other_program = self.env["integration.program"].create(
            {"name": "Other", "code": "OTH"}
        )
        zahra = self.env["integration.participant"].create(
            {"name": "Zahra", "program_id": other_program.id}
        )
        self.assertEqual(self._status(zahra), (0, 0))
        self.assertNotIn(
            zahra, self.Participant.search([("documents_missing", "=", True)])
        )
        self.assertIn(
            zahra, self.Participant.search([("documents_missing", "=", False)])
        )

    def test_bad_input_refused(self):
        with self.assertRaises(ValidationError):
            self.env["integration.participant.document"].create(
                {
                    "participant_id": self.amal.id,
                    "document_type_id": self.types["cv"].id,
                    "date_received": "2999-01-01",
                }
            )

    def test_coaches_see_only_their_providers_documents(self):
        document = (
            self.env["integration.participant.document"]
            .with_user(self.role_users["coach1"])
            .create(
                {
                    "participant_id": self.own.id,
                    "document_type_id": self.types["residence_permit"].id,
                    "file": SCAN,
                }
            )
        )
        self.assertEqual(document.state, "received")
        coach2 = self.role_users["coach2"]
        with self.assertRaises(AccessError):
            document.with_user(coach2).read(["file"])
        with self.assertRaises(AccessError):
            self.env["integration.participant.document"].with_user(coach2).create(
                {
                    "participant_id": self.own.id,
                    "document_type_id": self.types["cv"].id,
                }
            )
        for role in ("jobcenter1", "school1"):
            with self.assertRaises(AccessError, msg=role):
                document.with_user(self.role_users[role]).read(["file"])
