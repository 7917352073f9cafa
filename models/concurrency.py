from odoo.tools import SQL


def serialize_writers(records):
    """Make concurrent transactions that call this on the same rows run one after
    the other, each seeing what the previous one committed.

    Odoo's transactions are REPEATABLE READ: a plain ``SELECT ... FOR UPDATE`` waits
    for the other transaction but then still reads from the stale snapshot, so two
    users could both take the last seat. Writing the rows instead makes the later
    transaction fail to serialise once the first commits, and Odoo replays it (as it
    replays every request) in a fresh transaction that sees the first one's work.
    """
    if records.ids:
        records.env.cr.execute(
            SQL(
                "UPDATE %s SET write_date = write_date WHERE id IN %s",
                SQL.identifier(records._table),
                tuple(records.ids),
            )
        )
