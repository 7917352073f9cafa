from odoo.exceptions import AccessError


def check_training_partner_write(records, vals, writable):
    """Training partners record attendance, completion and status; they may not
    move a record elsewhere (record rules are checked before a write, not after)."""
    user = records.env.user
    if (
        records.env.su
        or not user.has_group("integration_program.group_training_partner")
        or user.has_group("integration_program.group_user")
    ):
        return
    forbidden = sorted(set(vals) - set(writable))
    if forbidden:
        labels = ", ".join(records._fields[name].string for name in forbidden)
        raise AccessError(
            records.env._(
                "As a training partner you record attendance, completion and "
                "status. Ask the programme staff to change: %(fields)s.",
                fields=labels,
            )
        )
