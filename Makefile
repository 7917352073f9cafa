.PHONY: run test lint setup demo-csv clean

# Odoo with the addon and its demo data on http://127.0.0.1:8069
run:
	bash tools/run.sh

# The whole suite (models, access, reports, browser tours) in a throwaway database
test:
	bash tools/test.sh

# OCA-style checks through pre-commit (ruff, pylint-odoo, XML formatting)
lint: setup
	.venv/bin/pre-commit run --all-files --show-diff-on-failure

setup:
	bash tools/setup.sh

# Regenerate the demo participants from their deterministic generator
demo-csv:
	python3 tools/make_demo_participants.py

clean:
	rm -rf .venv .addons .odoo.conf .odoo-src
