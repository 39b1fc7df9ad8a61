"""The browser every browser test drives: Debian's Chromium through Playwright (no download here)."""
import os

import pytest

from tests.browser.test_smoke import CHROMIUM, LAUNCH_ARGS


@pytest.fixture
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()
