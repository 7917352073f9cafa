from odoo import fields, models

# Voluntary: she may decline to answer (Annex I counts only a "yes").
VOLUNTARY = [("yes", "Yes"), ("no", "No"), ("no_answer", "No answer")]


class IntegrationEsfSensitive(models.Model):
    """Special categories of personal data (Art. 9 GDPR) the funder counts:
    disability (EECO12) and belonging to a minority (EECO15). Voluntary, with
    "no answer". Readable only by programme managers and her own coach
    (security/integration_program_security.xml): not by programme staff, not
    by other coaches, never by a portal login. The indicators count them in
    SQL, as figures only."""

    _name = "integration.esf.sensitive"
    _description = "ESF+ Special-Category Data"
    _rec_name = "participant_id"

    participant_id = fields.Many2one(
        "integration.participant",
        required=True,
        ondelete="cascade",
        index=True,
    )
    disability = fields.Selection(
        VOLUNTARY,
        required=True,
        default="no_answer",
        help="Recognised disability or a long-term impairment she reports.",
    )
    minority = fields.Selection(
        VOLUNTARY,
        required=True,
        default="no_answer",
        help="Belongs to a minority, including marginalised communities such as "
        "the Roma.",
    )

    _participant_uniq = models.Constraint(
        "UNIQUE(participant_id)",
        "A participant has one record of special-category data.",
    )
