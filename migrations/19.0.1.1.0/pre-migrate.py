"""19.0.1.1.0 searches the Jobcenter customer number with a trigram index; Odoo keeps
an index whose name is unchanged, so the old b-tree one is dropped first."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "DROP INDEX IF EXISTS integration_participant__jobcenter_customer_number_index"
    )
