from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .surface_access import checked_message_ids


class IntegrationParticipantDocument(models.Model):
    """A line of her document checklist: the document once received (a scan, or
    only the note that the original was seen), missing until then."""

    _name = "integration.participant.document"
    _description = "Document of a Participant"
    _inherit = [
        "integration.input.mixin",
        "integration.organisation.access",
        "mail.thread",
    ]
    message_ids = checked_message_ids()
    _order = "participant_id, state, document_type_id"
    _rec_name = "document_type_id"
    _organisation_access_fields = ("participant_id",)
    _integration_max_lengths = {"note": 500, "file_name": 255}

    participant_id = fields.Many2one(
        "integration.participant", required=True, index=True, ondelete="cascade"
    )
    document_type_id = fields.Many2one(
        "integration.document.type",
        required=True,
        ondelete="restrict",
        tracking=True,
    )
    file = fields.Binary(
        string="Document",
        attachment=True,
        help="A scan, if one is needed; otherwise a note that the original was "
        "seen is enough.",
    )
    file_name = fields.Char()
    date_received = fields.Date(
        string="Received On",
        tracking=True,
        help="Empty while the document is missing.",
    )
    received_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    note = fields.Char(help="E.g. original seen, valid until..., copy in the file.")
    state = fields.Selection(
        [("missing", "Missing"), ("received", "Received")],
        compute="_compute_state",
        store=True,
        index=True,
    )

    _type_uniq = models.Constraint(
        "UNIQUE(participant_id, document_type_id)",
        "This document is on her checklist already.",
    )

    @api.depends("date_received")
    def _compute_state(self):
        for document in self:
            document.state = "received" if document.date_received else "missing"

    @api.constrains("date_received")
    def _check_date_received(self):
        today = fields.Date.context_today(self)
        for document in self:
            if document.date_received and document.date_received > today:
                raise ValidationError(
                    self.env._("A document cannot be received in the future.")
                )

    def _prepare_received(self, vals):
        """A file uploaded or a date set: received today by whoever recorded it."""
        if vals.get("file") or vals.get("date_received"):
            vals.setdefault("date_received", fields.Date.context_today(self))
            vals["received_by_id"] = self.env.user.id
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._integration_check_vals(vals)
            self._prepare_received(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._integration_check_vals(vals)
        vals = self._prepare_received(dict(vals))
        return super().write(vals)

    def action_mark_received(self):
        self.write({"date_received": fields.Date.context_today(self)})
