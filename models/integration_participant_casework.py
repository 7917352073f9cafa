"""A participant's casework planned with her: assessments, the versions of her
integration plan, her referrals to outside services and her document checklist,
listed on her record for the smart buttons of her form."""

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from .integration_participant import IntegrationParticipant as BaseParticipant

CONFIDENTIAL = "integration_program.group_participant_confidential"
CASEWORK = "integration_program.group_participant_casework"


class IntegrationParticipant(models.Model):
    _inherit = "integration.participant"

    # Her form's smart buttons of casework are counted in the form's one
    # counting query (see _compute_related_counts).
    RELATED_COUNTS = (
        *BaseParticipant.RELATED_COUNTS,
        ("assessment_count", "assessment_ids"),
        ("service_referral_count", "service_referral_ids"),
    )

    assessment_ids = fields.One2many(
        "integration.assessment",
        "participant_id",
        string="Assessments",
        groups=CONFIDENTIAL,
    )
    assessment_line_ids = fields.One2many(
        "integration.assessment.line",
        "participant_id",
        string="Assessed Areas",
        groups=CONFIDENTIAL,
    )
    assessment_count = fields.Integer(
        compute="_compute_related_counts",
        groups=CONFIDENTIAL,
    )

    plan_ids = fields.One2many(
        "integration.plan",
        "participant_id",
        string="Integration Plans",
        groups=CONFIDENTIAL,
    )
    plan_goal_ids = fields.One2many(
        "integration.plan.goal",
        "participant_id",
        string="Goals of her Plans",
        groups=CONFIDENTIAL,
    )
    plan_step_ids = fields.One2many(
        "integration.plan.step",
        "participant_id",
        string="Steps of her Plans",
        groups=CONFIDENTIAL,
    )
    plan_progress = fields.Integer(
        compute="_compute_related_counts",
        groups=CONFIDENTIAL,
        help="Progress of her current plan: the agreed version, or the draft "
        "while none is agreed.",
    )

    service_referral_ids = fields.One2many(
        "integration.service.referral",
        "participant_id",
        string="Referrals to Services",
        groups=CONFIDENTIAL,
    )
    service_referral_count = fields.Integer(
        compute="_compute_related_counts",
        groups=CONFIDENTIAL,
    )

    document_ids = fields.One2many(
        "integration.participant.document",
        "participant_id",
        string="Documents",
        groups=CONFIDENTIAL,
    )
    document_missing_count = fields.Integer(
        string="Missing Documents",
        compute="_compute_related_counts",
        groups=CASEWORK,
    )
    document_required_count = fields.Integer(
        string="Documents Required",
        compute="_compute_document_checklist",
        groups=CASEWORK,
    )
    documents_missing = fields.Boolean(
        compute="_compute_document_checklist",
        search="_search_documents_missing",
        groups=CASEWORK,
        help="A document her programme needs at her stage (or an earlier one) "
        "has not been received.",
    )

    def _required_document_types(self):
        """The document types her programme needs by her current stage."""
        self.ensure_one()
        if not self.stage_id or self.milestone == "exited":
            return self.env["integration.document.type"]
        return (
            self.env["integration.document.requirement"]
            .sudo()
            .search(
                [
                    ("program_id", "=", self.program_id.id),
                    ("stage_sequence", "<=", self.stage_id.sequence),
                    ("document_type_id.active", "=", True),
                ]
            )
            .document_type_id
        )

    @api.depends(
        "program_id",
        "stage_id",
        "document_ids.state",
        "document_ids.document_type_id",
    )
    def _compute_document_checklist(self):
        for participant in self:
            required = participant._required_document_types()
            received = participant.document_ids.filtered(
                lambda doc: doc.state == "received"
            ).document_type_id
            missing = required - received
            participant.document_required_count = len(required)
            participant.documents_missing = bool(missing)

    @api.depends(
        "assessment_ids",
        "service_referral_ids",
        "plan_ids.progress",
        "plan_ids.state",
        "program_id",
        "stage_id",
        "document_ids.state",
        "document_ids.document_type_id",
    )
    def _compute_related_counts(self):
        return super()._compute_related_counts()

    def _related_count_fields(self):
        return [
            *super()._related_count_fields(),
            "plan_progress",
            "document_missing_count",
        ]

    def _related_count_selects(self, ids):
        """Her plan's progress and her missing documents, read in the form's
        counting query with the smart buttons' counts."""
        selects = super()._related_count_selects(ids)
        plans = self.env["integration.plan"]
        if self._has_field_access(
            self._fields["plan_ids"], "read"
        ) and plans.has_access("read"):
            plans.flush_model(["participant_id", "progress", "state", "version"])
            query = plans._search([("participant_id", "in", ids)], order="")
            if not query.is_empty():
                table = query.table
                participant = SQL.identifier(table, "participant_id")
                progress = SQL.identifier(table, "progress")
                # The agreed version, or the latest draft while none is agreed.
                current = SQL(
                    """ROUND(COALESCE(
                        MAX(%(progress)s) FILTER (WHERE %(state)s = 'agreed'),
                        (ARRAY_AGG(%(progress)s
                                   ORDER BY %(version)s DESC, %(id)s DESC))[1],
                        0
                    ))::int""",
                    progress=progress,
                    state=SQL.identifier(table, "state"),
                    version=SQL.identifier(table, "version"),
                    id=SQL.identifier(table, "id"),
                )
                query.groupby = participant
                selects.append(
                    SQL(
                        "(%s)",
                        query.select(SQL("'plan_progress'"), participant, current),
                    )
                )
        documents = self.env["integration.participant.document"]
        if self._has_field_access(
            self._fields["document_ids"], "read"
        ) and documents.has_access("read"):
            # Required by her stage, not received (as her reader sees the lines).
            self.flush_model(["program_id", "stage_id", "milestone"])
            self.env["integration.stage"].flush_model(["sequence"])
            self.env["integration.document.requirement"].flush_model()
            self.env["integration.document.type"].flush_model(["active"])
            documents.flush_model(["participant_id", "document_type_id", "state"])
            received = documents._search(
                [("participant_id", "in", ids), ("state", "=", "received")], order=""
            )
            selects.append(
                SQL(
                    """(SELECT 'document_missing_count', p.id,
                               COUNT(DISTINCT r.document_type_id)
                          FROM integration_participant p
                          JOIN integration_stage s ON s.id = p.stage_id
                          JOIN integration_document_requirement r
                            ON r.program_id = p.program_id
                           AND r.stage_sequence <= s.sequence
                          JOIN integration_document_type t
                            ON t.id = r.document_type_id AND t.active
                         WHERE p.id IN %(ids)s
                           AND p.milestone IS DISTINCT FROM 'exited'
                           AND (r.document_type_id, p.id) NOT IN (%(received)s)
                      GROUP BY p.id)""",
                    ids=tuple(ids),
                    received=received.select(
                        SQL.identifier(received.table, "document_type_id"),
                        SQL.identifier(received.table, "participant_id"),
                    ),
                )
            )
        return selects

    def _search_documents_missing(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        requirements = (
            self.env["integration.document.requirement"]
            .sudo()
            .search([("document_type_id.active", "=", True)])
        )
        domain = Domain.OR(
            Domain("program_id", "=", requirement.program_id.id)
            & Domain("stage_id.sequence", ">=", requirement.stage_sequence)
            & Domain("milestone", "!=", "exited")
            & Domain(
                "document_ids",
                "not any",
                [
                    ("document_type_id", "=", requirement.document_type_id.id),
                    ("state", "=", "received"),
                ],
            )
            for requirement in requirements
        )
        return domain if (operator == "=") == value else ~domain

    def _ensure_document_checklist(self):
        """A line per document required by now, to tick off or upload into."""
        lines = []
        for participant in self:
            listed = participant.document_ids.document_type_id
            for document_type in participant._required_document_types() - listed:
                lines.append(
                    {
                        "participant_id": participant.id,
                        "document_type_id": document_type.id,
                    }
                )
        return self.env["integration.participant.document"].create(lines)

    def action_view_documents(self):
        self._ensure_document_checklist()
        return self._action_related(
            "integration_program.integration_participant_document_action"
        )

    def action_view_service_referrals(self):
        return self._action_related(
            "integration_program.integration_service_referral_action"
        )

    def action_view_plans(self):
        action = self._action_related("integration_program.integration_plan_action")
        if not self.plan_ids:
            action.update(view_mode="form", views=[(False, "form")])
        return action

    def action_view_assessments(self):
        return self._action_related("integration_program.integration_assessment_action")

    def action_view_assessment_chart(self):
        action = self._action_related(
            "integration_program.integration_assessment_line_action_chart"
        )
        action["domain"] = [
            ("participant_id", "=", self.id),
            ("score", "!=", False),
        ]
        action["name"] = action["display_name"] = self.env._(
            "Assessments of %(name)s", name=self.name
        )
        # Points at her assessments' dates only, no zeros for the days between.
        action["context"] = dict(action["context"], fill_temporal=False)
        return action
