import base64
import binascii
import math
import re
from datetime import date, datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Bounds where the database or the reader needs them: a name fits an index and a
# letterhead, free text a case file, a number PostgreSQL's integer column.
CHAR_MAX = 1000
TEXT_MAX = 100_000
INT_MAX = 2**31 - 1
FLOAT_MAX = 1e9
ATTACHMENT_MAX_MB_PARAM = "integration_program.attachment_max_mb"
ATTACHMENT_MAX_MB_DEFAULT = 20

# Invisible characters that make a name look blank (zero-width space, joiners,
# word joiner, byte order mark, soft hyphen).
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")


def clean_text(value):
    """Collapse whitespace and drop invisible characters."""
    return " ".join(INVISIBLE.sub("", value).split())


def attachment_max_bytes(env):
    megabytes = (
        env["ir.config_parameter"]
        .sudo()
        .get_param(ATTACHMENT_MAX_MB_PARAM, ATTACHMENT_MAX_MB_DEFAULT)
    )
    try:
        megabytes = float(megabytes)
    except ValueError:
        megabytes = ATTACHMENT_MAX_MB_DEFAULT
    return int(megabytes * 1024 * 1024)


class IntegrationInputMixin(models.AbstractModel):
    """Values of a create or write checked before any code uses them: wrong types,
    sizes and ranges are refused with a message a social worker understands,
    instead of an error of the database or of the server."""

    _name = "integration.input.mixin"
    _description = "Integration: Checked Input"

    # Longest value per field, beyond the defaults (CHAR_MAX, TEXT_MAX).
    _integration_max_lengths = {}
    # Required fields the model fills itself when they come empty.
    _integration_filled_later = ()

    def _integration_input_error(self, field, problem):
        return ValidationError(
            self.env._(
                "%(field)s: %(problem)s",
                field=field._description_string(self.env),
                problem=problem,
            )
        )

    @api.model
    def _integration_check_vals(self, vals):
        if not isinstance(vals, dict):
            raise ValidationError(self.env._("The values to save are not readable."))
        for name, value in vals.items():
            field = self._fields.get(name) if isinstance(name, str) else None
            if field is None:
                raise ValidationError(
                    self.env._("There is no field %(name)s.", name=str(name)[:100])
                )
            if value is False or value is None:
                if (
                    field.required
                    and field.type != "boolean"
                    and name not in self._integration_filled_later
                ):
                    raise self._integration_input_error(
                        field, self.env._("please fill it in.")
                    )
                continue
            self._integration_check_value(field, value)
        return vals

    def _integration_check_value(self, field, value):  # noqa: PLR0912
        kind = field.type
        if kind in ("char", "text", "html"):
            if not isinstance(value, str):
                raise self._integration_input_error(
                    field, self.env._("please enter text.")
                )
            default = CHAR_MAX if kind == "char" else TEXT_MAX
            limit = self._integration_max_lengths.get(field.name, default)
            if len(value) > limit:
                raise self._integration_input_error(
                    field,
                    self.env._(
                        "at most %(limit)s characters, please shorten it.", limit=limit
                    ),
                )
        elif kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                raise self._integration_input_error(
                    field, self.env._("please enter a number.")
                )
            if not -INT_MAX <= value <= INT_MAX:
                raise self._integration_input_error(
                    field, self.env._("the number is too big.")
                )
        elif kind in ("float", "monetary"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise self._integration_input_error(
                    field, self.env._("please enter a number.")
                )
            if not math.isfinite(value) or abs(value) > FLOAT_MAX:
                raise self._integration_input_error(
                    field, self.env._("the number is too big.")
                )
        elif kind == "boolean":
            if value not in (True, 1, 0):
                raise self._integration_input_error(
                    field, self.env._("please answer yes or no.")
                )
        elif kind in ("date", "datetime"):
            self._integration_check_date(field, value)
        elif kind == "selection":
            if not isinstance(value, str) or value not in field.get_values(self.env):
                raise self._integration_input_error(
                    field, self.env._("please choose one of the proposed values.")
                )
        elif kind == "many2one":
            self._integration_check_ids(field, [value])
        elif kind in ("one2many", "many2many"):
            self._integration_check_commands(field, value)
        elif kind == "binary":
            self._integration_check_binary(field, value)

    def _integration_check_date(self, field, value):
        if isinstance(value, date | datetime):
            return
        invalid = self._integration_input_error(
            field, self.env._("please enter a valid date.")
        )
        if not isinstance(value, str) or len(value) > 30:
            raise invalid
        try:
            if field.type == "date":
                fields.Date.to_date(value)
            else:
                fields.Datetime.to_datetime(value)
        except ValueError as error:
            raise invalid from error

    def _integration_check_ids(self, field, values):
        comodel = self.env[field.comodel_name]
        ids = []
        for value in values:
            if isinstance(value, models.BaseModel) and value._name == comodel._name:
                ids.extend(value.ids)
            elif isinstance(value, int) and not isinstance(value, bool):
                ids.append(value)
            else:
                raise self._integration_input_error(
                    field, self.env._("please choose an entry from the list.")
                )
        if any(not 0 < record_id <= INT_MAX for record_id in ids) or len(
            comodel.browse(ids).sudo().exists()
        ) != len(set(ids)):
            raise self._integration_input_error(
                field, self.env._("the chosen entry does not exist (any more).")
            )

    def _integration_check_commands(self, field, value):
        invalid = self._integration_input_error(
            field, self.env._("please choose entries from the list.")
        )
        if not isinstance(value, list | tuple):
            raise invalid
        comodel = self.env[field.comodel_name]
        for command in value:
            if isinstance(command, int) and not isinstance(command, bool):
                self._integration_check_ids(field, [command])
                continue
            if (
                not isinstance(command, list | tuple)
                or not command
                or command[0] not in range(7)
                or isinstance(command[0], bool)
            ):
                raise invalid
            code = command[0]
            if code in (0, 1) and (
                len(command) != 3 or not isinstance(command[2], dict)
            ):
                raise invalid
            if code in (1, 2, 3, 4) and len(command) >= 2:
                self._integration_check_ids(field, [command[1]])
            if code == 6:
                if len(command) != 3 or not isinstance(command[2], list | tuple):
                    raise invalid
                self._integration_check_ids(field, list(command[2]))
            if code in (0, 1) and hasattr(comodel, "_integration_check_vals"):
                comodel._integration_check_vals(command[2])

    def _integration_check_binary(self, field, value):
        if isinstance(value, str):
            value = value.encode()
        if not isinstance(value, bytes):
            raise self._integration_input_error(
                field, self.env._("please attach a file.")
            )
        limit = attachment_max_bytes(self.env)
        # Base64 holds 3 bytes in 4 characters.
        if len(value) * 3 // 4 > limit:
            raise self._integration_input_error(
                field,
                self.env._(
                    "the file is larger than %(size)s MB. Please attach a smaller "
                    "file (e.g. scanned in lower resolution).",
                    size=round(limit / 1024 / 1024, 1),
                ),
            )
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as error:
            raise self._integration_input_error(
                field, self.env._("the file could not be read.")
            ) from error
