"""The crawl in a browser (issue 8, "What must exist" item 2): each demo login opens one page of every routed
kind in Debian's Chromium, at 1366 px (a handful also at 390 px), and a screenshot of each lands in
``test-artifacts/crawl/<role>/``. Fails on any 5xx and on any JavaScript error in the console.
"""
import os
import re
import time

import pytest
from django.core.management import call_command

from cadres.demo import DEFAULT_PASSWORD, DEMO_USERNAMES
from core.models import User
from tests.browser.test_smoke import ARTIFACTS, CHROMIUM, LAUNCH_ARGS
from tests.ui.test_crawl import AS_OF, _seed_urls

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Debian Chromium not installed at {CHROMIUM}"),
]

SHOTS = ARTIFACTS / "crawl"
# Downloads and form actions: no page to look at.
NOT_PAGES = re.compile(r"(export|download|\.xlsx|/confirm/|/read/|read-all|/close/|/withdraw/|/remove/|/stars/)")
PHONE = {"/", "/cadres/people/", "/training/courses/", "/assessment/duty-reports/", "/training/me/"}
# A 403/404 document makes Chromium log "Failed to load resource"; that is the page's status, not a script error.
STATUS_NOISE = re.compile(r"Failed to load resource: the server responded with a status of 40[34]")


def _name(path: str) -> str:
    return re.sub(r"[^\w]+", "_", path.strip("/")) or "dashboard"


def test_every_page_kind_for_every_demo_login(live_server, transactional_db):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    call_command("seed_demo", "--branches", "60", "--as-of", AS_OF, verbosity=0)
    started, problems, shots = time.monotonic(), [], 0
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for username in DEMO_USERNAMES:
            user = User.objects.get(username=username)
            folder = SHOTS / username
            folder.mkdir(parents=True, exist_ok=True)
            context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m: m.type == "error" and not STATUS_NOISE.search(m.text)
                    and errors.append(m.text))
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", DEFAULT_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_server.url}/")
            for path in _seed_urls(user):
                if NOT_PAGES.search(path):
                    continue
                errors.clear()
                probe = context.request.get(live_server.url + path)
                if probe.status == 405 or "text/html" not in probe.headers.get("content-type", ""):
                    continue  # a form's action asked with GET, or a download
                response = page.goto(live_server.url + path)
                status = response.status if response else 0
                if status >= 500:
                    problems.append(f"{username} {path}: {status}")
                page.screenshot(path=str(folder / f"{_name(path)}.png"), full_page=True)
                shots += 1
                if path in PHONE:
                    page.set_viewport_size({"width": 390, "height": 844})
                    page.screenshot(path=str(folder / f"{_name(path)}-390.png"), full_page=True)
                    page.set_viewport_size({"width": 1366, "height": 900})
                    shots += 1
                problems += [f"{username} {path}: console error {e}" for e in errors]
            context.close()
        browser.close()
    seconds = time.monotonic() - started
    assert not problems, f"{len(problems)} problems in {shots} screenshots ({seconds:.0f} s):\n" + "\n".join(problems)
