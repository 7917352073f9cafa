def recheck_rules_after_write(records, vals, moving_fields):
    """Odoo checks record rules before a write only: writing the fields that decide
    visibility (her coach, the participant, the course) must leave the records
    visible to the writer, or a coach could move data to another organisation."""
    if records.env.su or not set(vals) & set(moving_fields):
        return
    records.check_access("write")
