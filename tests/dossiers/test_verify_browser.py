"""R-DOS-1 in a real browser: a code typed from paper (lower case, spaces) opens its page, which says the state."""
import datetime as dt
import os

import pytest
from django.utils import timezone

from dossiers.models import DossierPrint
from dossiers.services.person import dossier_pdf
from tests.browser.conftest import browser  # noqa: F401 — Debian's Chromium, not pytest-playwright's download
from tests.browser.test_smoke import ARTIFACTS, CHROMIUM
from tests.factories import PersonFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Debian Chromium not installed at {CHROMIUM}"),
]


def test_a_reader_types_a_code_from_paper_and_sees_the_state(browser, live_server, transactional_db, world):  # noqa: F811
    person = PersonFactory(name="韩喆昇", unit=world.village_a1)
    dossier_pdf(person=person, user=world.staff_a, now=timezone.now() - dt.timedelta(days=2))
    code = DossierPrint.objects.get(person=person).code
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1100, "height": 800}, locale="zh-CN",
                            extra_http_headers={"Accept-Language": "zh-CN"})
    page.goto(f"{live_server.url}/verify/")
    page.fill("#verify-code", f"{code[:4].lower()} {code[4:8].lower()}-{code[8:]}")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=verify-state]")
    assert page.locator("[data-testid=verify-state]").inner_text().startswith("一致")
    assert "韩喆昇" not in page.content()
    page.screenshot(path=str(ARTIFACTS / "verify-matches.png"), full_page=True)

    person.ethnicity = "回族"
    person.save()
    page.reload()
    today = timezone.localdate()
    assert f"已过期：记录已于 {today.year}年{today.month}月{today.day}日 变更" in \
        page.locator("[data-testid=verify-state]").inner_text()
    page.screenshot(path=str(ARTIFACTS / "verify-outdated.png"), full_page=True)
