"""Issue 8 item 4: the registry's page exports (cadres.exports) — what the cells say, and whose rows they are."""
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import PersonFactory, ReserveCandidateFactory

pytestmark = pytest.mark.django_db


def _rows(response):
    assert response.status_code == 200, response.status_code
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_the_under_35_ledger_lists_leaders_then_reserves_with_their_age(world, login):
    on = dt.date(2026, 6, 1)
    world.secretary_a1.birth_date = dt.date(1995, 7, 1)
    world.secretary_a1.save()
    young = PersonFactory(unit=world.village_a2, birth_date=dt.date(2000, 1, 1))
    ReserveCandidateFactory(unit=world.village_a2, person=young, added_on=dt.date(2025, 5, 1))
    rows = _rows(login(world.staff_a).get(reverse("export_under-35_xlsx") + f"?on_date={on:%Y-%m-%d}"))
    assert [(r["类别"], r["姓名"], r["年龄"]) for r in rows] == [("村干部", world.secretary_a1.name, 30),
                                                               ("后备人选", young.name, 26)]
    assert rows[1]["纳入后备时间"].date() == dt.date(2025, 5, 1)


def test_a_secretary_exports_only_their_own_record(world, login):
    rows = _rows(login(world.secretary_user).get(reverse("export_people_xlsx")))
    assert [r["姓名"] for r in rows] == [world.secretary_a1.name]
    assert rows[0]["公民身份号码"] == world.secretary_a1.masked_id_number


def test_the_appointments_export_reads_posts_in_chinese(world, login):
    rows = _rows(login(world.supervisor_a).get(reverse("export_appointments_xlsx") + f"?unit={world.village_a1.pk}"))
    assert [(r["姓名"], r["职务"], r["所在党组织"]) for r in rows] == [
        (world.secretary_a1.name, "书记", world.village_a1.name)]
    assert rows[0]["任职时间"].date() == dt.date(2024, 3, 1)
    assert rows[0]["公民身份号码"] == world.secretary_a1.masked_id_number


def test_the_csv_writes_dates_in_chinese(world, login):
    content = login(world.staff_a).get(reverse("export_appointments_csv") + f"?unit={world.village_a1.pk}").content
    text = content.decode("utf-8-sig")
    assert "2024年3月1日" in text and "2024-03-01" not in text


def test_the_under_35_page_pages_its_reserves_on_their_own_and_the_export_has_them_all(world, login):
    """Issue 8 item 7's class of defect: a list longer than a page gets page links (R-RES-3's second table
    pages with ``rpage``); the export holds every row whatever page is shown."""
    on = dt.date(2026, 6, 1)
    for i in range(53):
        person = PersonFactory(unit=world.village_a2, birth_date=dt.date(2000, 1, 1))
        ReserveCandidateFactory(unit=world.village_a2, person=person, added_on=dt.date(2025, 5, 1))
    client = login(world.staff_a)
    first = client.get(reverse("cadres:report_under_35") + f"?on_date={on:%Y-%m-%d}").content.decode()
    assert first.count("?on_date=2026-06-01&amp;rpage=2") >= 1
    second = client.get(reverse("cadres:report_under_35") + f"?on_date={on:%Y-%m-%d}&rpage=2").content.decode()
    assert "第 2 页，共 2 页" in second
    rows = _rows(client.get(reverse("export_under-35_xlsx") + f"?on_date={on:%Y-%m-%d}&rpage=2"))
    assert sum(1 for r in rows if r["类别"] == "后备人选") == 53
