"""R-DOS-2 in a real browser: a supervisor starts a jurisdiction export from the unit page, watches its
progress bar move to 100% (the page polls /api/v1/dossier-exports/<id>/), downloads the ZIP and opens one
PDF, whose first page is rendered to a PNG in test-artifacts/ and must not be blank.

The chord is not sent here (no worker in a browser test): the test renders the parts itself, one at a
time, as the workers would, so the page is seen following the progress between them.
"""
import io
import os
import zipfile
from pathlib import Path

import pytest
from django.test import override_settings

from core.models import Job
from dossiers.services.exports import KIND, export_finish, export_render_part
from tests.browser.test_smoke import CHROMIUM, log_in
from tests.dossiers.pdfcheck import first_page_png

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Debian Chromium not installed at {CHROMIUM}"),
]


class _NotSent:
    def apply_async(self, *args, **kwargs):
        return None


def _not_blank(png: Path) -> float:
    """The share of pixels that are not near-white."""
    from PIL import Image

    histogram = Image.open(png).convert("L").histogram()
    return sum(histogram[:200]) / sum(histogram)


def test_a_supervisor_exports_a_county_watches_it_finish_and_opens_a_pdf(browser, live_server, transactional_db,
                                                                         world, monkeypatch):
    ARTIFACTS.mkdir(exist_ok=True)
    monkeypatch.setattr("dossiers.tasks.export_chord", lambda **kwargs: _NotSent())
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, "supervisor_a")
    with override_settings(ZHISHU_DOSSIER_CHUNK_SIZE=1):
        page.goto(f"{base}/cadres/units/{world.county_a.pk}/")
        button = page.locator("[data-page-action='dossiers.export'] button")
        assert "2 份档案" in button.get_attribute("data-confirm")  # the confirmation names how many
        button.click()
        page.wait_for_url(f"{base}/dossiers/exports/")
    job = Job.objects.get(kind=KIND)
    row = page.locator(f"[data-testid=export-{job.pk}]")
    percent = row.locator("[data-export-percent]")
    assert percent.inner_text() == "0%"
    assert "秦秀英" not in page.content()  # the page says who is in it by rule, and the count
    assert row.locator("td").nth(2).inner_text() == "2"

    export_render_part(job_id=job.pk, number=1)  # a worker renders the first part
    page.wait_for_function(
        "document.querySelector('[data-testid=export-%d] [data-export-percent]').textContent === '50%%'" % job.pk,
        timeout=15000)
    assert row.locator("[data-export-bar]").get_attribute("aria-valuenow") == "50"
    page.wait_for_timeout(600)  # the bar's width eases in (.4 s)
    page.screenshot(path=str(ARTIFACTS / "dossier-export-running.png"), full_page=True)
    export_render_part(job_id=job.pk, number=2)
    export_finish(job_id=job.pk)
    page.wait_for_selector("[data-testid=export-download]", timeout=15000)  # the page reloads once it ends
    assert page.locator(f"[data-testid=export-{job.pk}] [data-export-percent]").inner_text() == "100%"
    page.screenshot(path=str(ARTIFACTS / "dossier-exports.png"), full_page=True)

    with page.expect_download() as download_info:
        page.click("[data-testid=export-download]")
    download = download_info.value
    assert download.suggested_filename.startswith("甲县委-任期履职档案-")
    archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
    names = sorted(archive.namelist())
    assert names == ["东风村党支部-秦秀英-任期履职档案.pdf", "新华村党支部-杨志强-任期履职档案.pdf"]
    png = ARTIFACTS / "dossier-export-first-page.png"
    first_page_png(archive.read(names[0]), png)
    assert _not_blank(png) > 0.002, "the first page of the exported PDF is blank"
    context.close()
