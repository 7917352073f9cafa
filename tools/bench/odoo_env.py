"""Open an Odoo environment on a benchmark database from a script.

    with odoo_env(".odoo.conf", "bench_100k") as env:
        ...

The transaction is committed when the block ends without an exception.
"""

import argparse
from contextlib import contextmanager


def common_arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration")
    parser.add_argument("-d", "--database", required=True, help="benchmark database")
    return parser


@contextmanager
def odoo_env(config_file, database, uid=None, context=None):
    # Imported here: scripts read their arguments before loading Odoo.
    from odoo import api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", config_file, "-d", database, "--log-level=warn"])
    registry = Registry(database)
    with registry.cursor() as cr:
        yield api.Environment(cr, uid or api.SUPERUSER_ID, context or {})
