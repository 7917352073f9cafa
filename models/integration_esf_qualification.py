from odoo import api, fields, models

# ISCED 2011 levels, and the three bands Annex I of Regulation (EU) 2021/1057
# counts (EECO08-EECO10).
ISCED_LEVELS = [
    ("0", "ISCED 0 (below primary)"),
    ("1", "ISCED 1 (primary)"),
    ("2", "ISCED 2 (lower secondary)"),
    ("3", "ISCED 3 (upper secondary)"),
    ("4", "ISCED 4 (post-secondary non-tertiary)"),
    ("5", "ISCED 5 (short-cycle tertiary)"),
    ("6", "ISCED 6 (bachelor or equivalent)"),
    ("7", "ISCED 7 (master or equivalent)"),
    ("8", "ISCED 8 (doctoral)"),
]
ISCED_GROUPS = [
    ("0_2", "ISCED 0–2"),
    ("3_4", "ISCED 3–4"),
    ("5_8", "ISCED 5–8"),
]


def isced_group(level):
    """The Annex I band of an ISCED level ("0".."8"), or False."""
    if not level:
        return False
    level = int(level)
    return "0_2" if level <= 2 else "3_4" if level <= 4 else "5_8"


class IntegrationEsfQualification(models.Model):
    """A school or vocational certificate, German or foreign, with the ISCED
    level the funder counts it at. Managers keep the catalogue."""

    _name = "integration.esf.qualification"
    _description = "Qualification (ISCED)"
    _order = "kind, sequence, isced_level, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [
            ("school", "School qualification"),
            ("vocational", "Vocational qualification"),
        ],
        required=True,
        default="school",
    )
    origin = fields.Selection(
        [("german", "German"), ("foreign", "Foreign")],
        required=True,
        default="german",
    )
    isced_level = fields.Selection(ISCED_LEVELS, string="ISCED Level", required=True)
    isced_group = fields.Selection(
        ISCED_GROUPS,
        string="ISCED Band",
        compute="_compute_isced_group",
        store=True,
    )

    @api.depends("isced_level")
    def _compute_isced_group(self):
        for qualification in self:
            qualification.isced_group = isced_group(qualification.isced_level)
