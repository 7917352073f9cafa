"""Screenshots of Odoo pages as a given login, with headless Chromium.

    .venv/bin/python tools/screenshot.py --login jobcenter --password jobcenter \
        --width 390 /my/referrals screenshots/jobcenter-referrals.png

Logs in through /web/login, hands the session cookie to Chromium over the DevTools
protocol, opens each path and saves a full-page PNG. Used to look at the screens
as each role sees them (README, closing notes); not part of the test suite.
"""

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import websocket


def login(base_url, user, password):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base_url}/web/login").read().decode()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = urlencode({"login": user, "password": password, "csrf_token": csrf})
    opener.open(f"{base_url}/web/login", data.encode())
    return next(cookie.value for cookie in jar if cookie.name == "session_id")


class Chrome:
    def __init__(self, width, height):
        self.profile = tempfile.mkdtemp()
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        for _attempt in range(50):
            try:
                with open(port_file) as handle:
                    port = handle.readline().strip()
                targets = json.load(
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/json")
                )
                page = next(t for t in targets if t["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"])
        self.next_id = 0
        self.width, self.height = width, height

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def close(self):
        self.socket.close()
        self.process.terminate()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--login", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--wait", type=float, default=3.0)
    parser.add_argument("pairs", nargs="+", help="path output.png [path output.png …]")
    args = parser.parse_args()
    session = login(args.url, args.login, args.password)
    chrome = Chrome(args.width, args.height)
    try:
        chrome.call("Network.enable")
        host = re.sub(r"^https?://", "", args.url).split(":")[0]
        chrome.call(
            "Network.setCookie", name="session_id", value=session, domain=host, path="/"
        )
        chrome.call(
            "Emulation.setDeviceMetricsOverride",
            width=args.width,
            height=args.height,
            deviceScaleFactor=1,
            mobile=args.width < 600,
        )
        for path, output in zip(args.pairs[::2], args.pairs[1::2], strict=True):
            chrome.call("Page.navigate", url=f"{args.url}{path}")
            time.sleep(args.wait)
            shot = chrome.call("Page.captureScreenshot", captureBeyondViewport=True)
            with open(output, "wb") as handle:
                handle.write(base64.b64decode(shot["data"]))
            print(output)
    finally:
        chrome.close()


if __name__ == "__main__":
    main()
