"""Record the ORM calls the web client makes for both pipelines into requests.json.

The benchmark replays these calls server side, so it measures exactly what a user's
browser asks for: the kanban (``web_read_group`` with the card specification and
``read_progress_bar``), the list (``web_search_read``) and the form (``web_read``).
Run it again when a view changes:

    .venv/bin/python tools/bench/capture_requests.py --url http://127.0.0.1:8271 \
        --database bench_1k

Needs playwright (``pip install playwright``) and Chromium; logs in as admin.
"""

import argparse
import json
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "requests.json"
PIPELINES = {
    "participant": (
        "integration.participant",
        "integration_program.integration_participant_action",
    ),
    "lead": ("crm.lead", "crm.crm_lead_action_pipeline"),
}
FIRST_ID = """async (model) => {
    const response = await fetch(`/web/dataset/call_kw/${model}/search`, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({jsonrpc: "2.0", method: "call", params: {
            model, method: "search", args: [[]], kwargs: {limit: 1}}}),
    });
    return (await response.json()).result[0];
}"""
METHODS = {"web_read_group", "web_search_read", "web_read", "read_progress_bar"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8271")
    parser.add_argument("--database", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    captured = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        calls = []

        def record(request):
            if "/web/dataset/call_kw/" in request.url and request.post_data:
                params = json.loads(request.post_data)["params"]
                if params["method"] in METHODS:
                    calls.append(params)

        page.on("request", record)
        page.goto(f"{args.url}/web/login?db={args.database}")
        page.fill("input[name=login]", "admin")
        page.fill("input[name=password]", "admin")
        page.click("button[type=submit]")
        page.wait_for_selector(".o_main_navbar")
        for key, (model, action) in PIPELINES.items():
            steps = {}
            # The bus keeps a connection open: wait for the view, then for its calls.
            for view, suffix, selector in (
                ("kanban", "", ".o_kanban_record"),
                ("list", "?view_type=list", ".o_data_row"),
            ):
                calls.clear()
                page.goto(f"{args.url}/odoo/action-{action}{suffix}")
                page.wait_for_selector(selector)
                page.wait_for_timeout(1500)
                steps[view] = [c for c in calls if c["model"] == model]
            calls.clear()
            record_id = page.evaluate(FIRST_ID, model)
            page.goto(f"{args.url}/odoo/action-{action}/{record_id}")
            page.wait_for_selector(".o_form_view .o_form_sheet")
            page.wait_for_timeout(1500)
            steps["form"] = [
                c for c in calls if c["model"] == model and c["method"] == "web_read"
            ]
            captured[key] = steps
        browser.close()
    OUT.write_text(json.dumps(captured, indent=1, sort_keys=True) + "\n")
    print(f"written {OUT}")


if __name__ == "__main__":
    main()
