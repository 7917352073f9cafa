from odoo import fields, models


class IntegrationDocumentRequirement(models.Model):
    """A document a programme needs from a participant from a stage on: the
    programme's checklist, stage by stage."""

    _name = "integration.document.requirement"
    _description = "Required Document"
    _order = "program_id, stage_sequence, document_type_id"
    _rec_name = "document_type_id"

    program_id = fields.Many2one(
        "integration.program",
        string="Programme",
        required=True,
        index=True,
        ondelete="cascade",
    )
    stage_id = fields.Many2one(
        "integration.stage",
        string="Required From Stage",
        required=True,
        ondelete="restrict",
        domain="['|', ('program_ids', '=', False), ('program_ids', 'in', program_id)]",
        help="She brings the document once she reaches this stage; it stays "
        "required in the stages after it.",
    )
    stage_sequence = fields.Integer(related="stage_id.sequence", store=True)
    document_type_id = fields.Many2one(
        "integration.document.type", required=True, ondelete="restrict"
    )

    _type_uniq = models.Constraint(
        "UNIQUE(program_id, document_type_id)",
        "This document is on the programme's checklist already.",
    )
