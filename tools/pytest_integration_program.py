"""pytest plugin of the addon's suite, loaded by tools/test.sh.

- A browser test (HttpCase) must never pass by being skipped: a skip is a failure.
- The repository root is the addon, whatever the folder of the clone is called: its
  files are imported as ``odoo.addons.integration_program``.
- Every ``tests/test_*.py`` is imported in ``tests/__init__.py``: Odoo's own runner
  (``odoo-bin --test-enable``) only sees those, and must run the same suite.
"""

import ast
from pathlib import Path

import _pytest.pathlib
import pytest

ADDON_NAME = "integration_program"
ADDON_ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    # Wraps pytest-odoo's own patch, which only works when the folder bears the
    # addon's name.
    resolve_original = _pytest.pathlib.resolve_pkg_root_and_module_name

    def resolve_pkg_root_and_module_name(path, *, consider_namespace_packages=False):
        real_path = Path(path).resolve()
        if real_path.is_relative_to(ADDON_ROOT):
            parts = real_path.relative_to(ADDON_ROOT).with_suffix("").parts
            parts = [part for part in parts if part != "__init__"]
            return ADDON_ROOT.parent, ".".join(["odoo.addons", ADDON_NAME, *parts])
        return resolve_original(
            path, consider_namespace_packages=consider_namespace_packages
        )

    _pytest.pathlib.resolve_pkg_root_and_module_name = resolve_pkg_root_and_module_name


def missing_test_imports(tests_dir):
    """The ``test_*.py`` of ``tests_dir`` that its ``__init__.py`` does not import."""
    tree = ast.parse((tests_dir / "__init__.py").read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                imported.add(node.module.split(".")[0])
            else:
                imported.update(alias.name for alias in node.names)
    return sorted(
        path.stem for path in tests_dir.glob("test_*.py") if path.stem not in imported
    )


def pytest_sessionstart(session):
    missing = missing_test_imports(ADDON_ROOT / "tests")
    if missing:
        raise pytest.UsageError(
            "tests/__init__.py does not import "
            + ", ".join(missing)
            + ": Odoo's test runner (odoo-bin --test-enable) would not run them."
        )


def _is_browser_test(item):
    # Imported late: Odoo's configuration is parsed by pytest-odoo after plugins load.
    from odoo.tests import HttpCase  # noqa: PLC0415

    test_class = getattr(item, "cls", None)
    return isinstance(test_class, type) and issubclass(test_class, HttpCase)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and _is_browser_test(item):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        report.outcome = "failed"
        report.longrepr = (
            f"Browser test {item.nodeid} was skipped ({reason}). Browser tests must "
            "run: install Debian's chromium and websocket-client, and pass --odoo-http."
        )
