.PHONY: run test test-core test-core-baseline lint setup pot demo-csv clean bench-data bench load-test

# Odoo with the addon and its demo data on http://127.0.0.1:8069
run:
	bash tools/run.sh

# The whole suite (models, access, reports, browser tours) in a throwaway database
test:
	bash tools/test.sh

# Odoo's own post-install tests of mail, portal, auth_signup, base_setup and web with
# the addon installed; fails on any test not in the baseline of plain Odoo
test-core:
	bash tools/test_core.sh

# Regenerate tools/core_baseline.txt from a database without the addon
test-core-baseline:
	bash tools/test_core.sh --baseline

# OCA-style checks through pre-commit (ruff, pylint-odoo, XML formatting)
lint: setup
	npm ci --prefix tools/lint --no-audit --no-fund --silent
	git ls-files --cached --others --exclude-standard | \
		xargs .venv/bin/pre-commit run --show-diff-on-failure --files

setup:
	bash tools/setup.sh

# Refresh i18n/integration_program.pot and merge it into i18n/de.po
pot:
	bash tools/i18n_export.sh

# Regenerate the demo participants from their deterministic generator
demo-csv:
	python3 tools/make_demo_data.py

# A benchmark database with N participants and N CRM leads: make bench-data N=100000
bench-data: setup
	bash tools/bench/bench_data.sh

# Both pipelines measured side by side: make bench BENCH_DB=bench_100000
bench: setup
	.venv/bin/python tools/bench/benchmark.py -c .odoo.conf -d $(BENCH_DB)

# 20 simulated users against Odoo with 4 workers: make load-test BENCH_DB=bench_100000
load-test: setup
	bash tools/bench/load_test.sh

clean:
	rm -rf .venv .odoo.conf .odoo-src
