"""Issue 8 item 4: training's page exports — the compliance file under its Chinese name, courses, due-soon."""
import datetime as dt
import io
from urllib.parse import quote

import openpyxl
import pytest
from django.urls import reverse

from training.views import COMPLIANCE_HEADERS

pytestmark = pytest.mark.django_db


def _rows(response):
    assert response.status_code == 200, response.status_code
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def test_the_old_compliance_address_serves_the_same_file_under_a_chinese_name(world, login):
    client = login(world.staff_a)
    old = client.get(reverse("training:compliance-export") + "?year=2025")
    new = client.get(reverse("export_compliance_xlsx") + "?year=2025")
    assert quote("培训达标情况-2025.xlsx") in old["Content-Disposition"]
    assert "training-compliance" not in old["Content-Disposition"]
    assert _rows(old) == _rows(new)


def test_the_compliance_file_reads_statuses_in_chinese(world, login):
    headers, rows = _rows(login(world.supervisor_a).get(reverse("export_compliance_xlsx") + "?year=2025"))
    assert headers == list(COMPLIANCE_HEADERS)
    names = {r["姓名"] for r in rows}
    assert names == {world.secretary_a1.name, world.person_a2.name}
    for row in rows:
        assert row["初任培训"] and not row["初任培训"].isascii(), row
        assert row["任职日期"].date() in (dt.date(2024, 3, 1), dt.date(2024, 11, 1))


def test_the_due_soon_export_is_for_staff_and_supervisors(world, login):
    assert login(world.secretary_user).get(reverse("export_due-soon_xlsx")).status_code == 403
    assert login(world.supervisor_a).get(reverse("export_due-soon_xlsx")).status_code == 200
