"""Run Odoo's own post-install tests and record which ones fail (`make test-core`).

Called as Odoo's command line (`core_tests.py OUT.json -c CONF -d DB --test-enable
--test-tags ...`). Two things differ from `odoo-bin`:

- browser tours are skipped (`HttpCase.browser_js`, which `start_tour` calls too): the
  comparison is about the server's behaviour, and tours depend on the machine's
  Chromium and timing;
- every test that fails or errors is written, by its id, to OUT.json with the number
  of tests run and skipped, so that `tools/test_core.sh` can compare the run with the
  committed baseline of plain Odoo.
"""

import atexit
import json
import sys
import unittest

import odoo.cli
from odoo.tests import case, common, result

SUMMARY = {"run": 0, "skipped": 0, "failed": []}


def _test_id(test):
    """The id of a test; a subtest counts as its test, so ids stay stable."""
    while isinstance(test, unittest.case._SubTest | case._SubTest):
        test = test.test_case
    return test.id()


def _recording(method):
    def record(self, test, err):
        test_id = _test_id(test)
        if test_id not in SUMMARY["failed"]:
            SUMMARY["failed"].append(test_id)
        return method(self, test, err)

    return record


def _counting_start(method):
    def start(self, test):
        SUMMARY["run"] += 1
        return method(self, test)

    return start


def _counting_skip(method):
    def skip(self, test, reason):
        SUMMARY["skipped"] += 1
        return method(self, test, reason)

    return skip


def _no_browser(self, *args, **kwargs):
    raise unittest.SkipTest("browser tours are not part of make test-core")


def main():
    out_path = sys.argv.pop(1)
    result.OdooTestResult.addError = _recording(result.OdooTestResult.addError)
    result.OdooTestResult.addFailure = _recording(result.OdooTestResult.addFailure)
    result.OdooTestResult.startTest = _counting_start(result.OdooTestResult.startTest)
    result.OdooTestResult.addSkip = _counting_skip(result.OdooTestResult.addSkip)
    common.HttpCase.browser_js = _no_browser

    def write_summary():
        SUMMARY["failed"].sort()
        with open(out_path, "w", encoding="utf-8") as out:
            json.dump(SUMMARY, out, indent=1)

    atexit.register(write_summary)
    odoo.cli.main()


if __name__ == "__main__":
    main()
