"""R-TLK-1 in the API and on the pages: scoped (R-ORG-2), written by staff and supervisors, explained (R-POL-2)."""
import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from cadres.choices import TalkKind
from cadres.models import Talk
from tests.factories import AppointmentFactory, PersonFactory, make_unit


def talk(person, day, kind=TalkKind.REGULAR, **fields):
    fields.setdefault("unit", person.unit)
    return Talk.objects.create(person=person, date=day, kind=kind, talker_name="王书记", **fields)


def body(person):
    return {"person": person.pk, "kind": "regular", "date": "2026-05-01", "talker_name": "李部长",
            "talker_position": "组织部部长", "notes": "谈了村务"}


# ---------------------------------------------------------------- /api/v1/talks/

def test_staff_and_supervisors_record_talks_the_branch_defaults_to_the_post(world, api):
    for user in (world.staff_a, world.supervisor_a):
        response = api(user).post("/api/v1/talks/", body(world.person_a2), format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["unit"] == world.village_a2.pk and response.json()["kind_display"] == "日常谈心谈话"
    assert Talk.objects.filter(person=world.person_a2, created_by=world.staff_a).count() == 1


def test_a_secretary_cannot_record_and_reads_only_their_own_talks(world, api):
    own = talk(world.secretary_a1, dt.date(2026, 5, 1))
    talk(world.person_a2, dt.date(2026, 5, 2))
    client = api(world.secretary_user)
    assert client.post("/api/v1/talks/", body(world.secretary_a1), format="json").status_code == 403
    assert [t["id"] for t in client.get("/api/v1/talks/").json()["results"]] == [own.pk]
    assert client.patch(f"/api/v1/talks/{own.pk}/", {"notes": "x"}, format="json").status_code == 403


def test_the_sibling_county_sees_nothing_and_cannot_write_into_county_a(world, api):
    t = talk(world.person_a2, dt.date(2026, 5, 2))
    client = api(world.outsider)
    assert client.get("/api/v1/talks/").json()["results"] == []
    assert client.get(f"/api/v1/talks/{t.pk}/").status_code == 404
    assert client.patch(f"/api/v1/talks/{t.pk}/", {"notes": "x"}, format="json").status_code == 404
    response = client.post("/api/v1/talks/", body(world.person_a2), format="json")
    assert response.status_code == 400 and "person" in response.json()


def test_bad_input_is_a_400_naming_the_field(world, api):
    client = api(world.staff_a)
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post("/api/v1/talks/", {**body(world.person_a2), "date": future}, format="json")
    assert response.status_code == 400 and "date" in response.json()
    response = client.post("/api/v1/talks/", {**body(world.person_a2), "kind": "chat"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()
    response = client.post("/api/v1/talks/", {**body(world.person_a2), "talker_name": ""}, format="json")
    assert response.status_code == 400 and "talker_name" in response.json()
    assert not Talk.objects.exists()


def test_updates_by_staff_follow_the_rules(world, api):
    t = talk(world.person_a2, dt.date(2026, 5, 2))
    client = api(world.supervisor_a)
    response = client.patch(f"/api/v1/talks/{t.pk}/", {"notes": "补记", "kind": "annual_assessment"}, format="json")
    assert response.status_code == 200, response.json()
    t.refresh_from_db()
    assert t.notes == "补记" and t.kind == TalkKind.ANNUAL_ASSESSMENT


def test_the_list_filters_by_person_subtree_kind_dates_year_and_search(world, api):
    a = talk(world.secretary_a1, dt.date(2025, 5, 1), TalkKind.APPOINTMENT)
    b = talk(world.person_a2, dt.date(2026, 5, 2), notes="乡村振兴")
    client = api(world.staff_a)

    def ids(query):
        response = client.get("/api/v1/talks/?" + query)
        assert response.status_code == 200, response.json()
        return [t["id"] for t in response.json()["results"]]

    assert ids(f"person={world.person_a2.pk}") == [b.pk]
    assert ids(f"unit={world.township_a.pk}") == [b.pk, a.pk]
    assert ids(f"unit={world.village_a1.pk}") == [a.pk]
    assert ids("kind=appointment") == [a.pk]
    assert ids("date_after=2026-01-01") == [b.pk] and ids("date_before=2025-12-31") == [a.pk]
    assert ids("year=2025") == [a.pk]
    assert ids("search=振兴") == [b.pk]
    assert client.get("/api/v1/talks/?year=0").status_code == 400
    assert client.get(f"/api/v1/talks/?unit={world.village_b1.pk}").status_code == 400


def test_the_talks_list_costs_the_same_queries_for_many_rows(world, api, django_assert_num_queries):
    client = api(world.staff_a)
    for i in range(6):
        talk(world.person_a2, dt.date(2026, 1, 1 + i))
    # 1 count, 2 the page with each talk's person and unit joined in
    with django_assert_num_queries(2):
        client.get("/api/v1/talks/")


# ---------------------------------------------------------------- /api/v1/reports/talks-due/

def test_the_talks_due_report_explains_each_row(world, api):
    talk(world.secretary_a1, dt.date(2026, 5, 1))
    response = api(world.staff_a).get(f"/api/v1/reports/talks-due/?unit={world.township_a.pk}&as_of=2026-09-01")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["person_name"], r["requirement"]) for r in rows] == [("杨志强", "overdue")]
    row = rows[0]
    assert row["rule"] == "R-TLK-1" and row["due_date"] == "2025-05-01" and row["last_talk_date"] is None
    assert row["interval_months"] == 6 and row["requirement_display"] == "日常谈话逾期"
    assert row["policy"]["talk_interval_months"]["value"] == 6 and row["policy"]["talk_interval_months"]["default"]


def test_the_talks_due_report_is_scoped(world, api):
    url = "/api/v1/reports/talks-due/?as_of=2026-09-01"
    assert {r["person_name"] for r in api(world.staff_a).get(url).json()["results"]} == {"秦秀英", "杨志强"}
    assert {r["person_name"] for r in api(world.outsider).get(url).json()["results"]} == {"吴国庆"}
    assert {r["person_name"] for r in api(world.secretary_user).get(url).json()["results"]} == {"秦秀英"}
    assert api(world.outsider).get(url + f"&unit={world.county_a.pk}").status_code == 400
    assert api(world.staff_a).get("/api/v1/reports/talks-due/?as_of=soon").status_code == 400
    assert api(None).get(url).status_code == 401


def test_the_talks_due_report_costs_the_same_queries_for_many_secretaries(world, api, django_assert_num_queries):
    client = api(world.staff_a)
    url = f"/api/v1/reports/talks-due/?unit={world.county_a.pk}&as_of=2026-09-01"
    township = make_unit(parent=world.county_a, name="测试镇")
    for i in range(8):
        unit = make_unit(parent=township, name=f"测试{i}村")
        AppointmentFactory(person=PersonFactory(unit=unit), unit=unit, start_date=dt.date(2026, 1, 1))
    # 1 the unit, 2 the policies, 3 the current posts with last talks, 4 the longest interval,
    # 5 the posts ended lately, 6 the published cycles (the assessment's requirement)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.json()["count"] == 18  # 10 overdue, 8 appointment talks missing


# ---------------------------------------------------------------- pages

def test_the_talks_pages_list_record_and_show_the_due_rows(world, login):
    client = login(world.staff_a)
    talk(world.secretary_a1, dt.date(2026, 5, 1), notes="谈了换届")
    page = client.get(reverse("cadres:talks"))
    assert page.status_code == 200 and "谈了换届" in page.content.decode()
    form = client.get(reverse("cadres:talk_create") + f"?person={world.person_a2.pk}&kind=departure")
    assert form.status_code == 200
    assert form.context["form"].initial == {"person": str(world.person_a2.pk), "kind": "departure"}
    assert "杨志强 · 新华村党支部" in form.content.decode()  # the picker shows the person asked for
    response = client.post(reverse("cadres:talk_create"), {
        "person": world.person_a2.pk, "kind": "regular", "date": "2026-06-01", "talker_name": "李部长",
        "talker_position": "", "unit": "", "notes": "谈了产业"})
    assert response.status_code == 302 and response.url == reverse("cadres:person_detail", args=[world.person_a2.pk])
    assert Talk.objects.get(notes="谈了产业").unit == world.village_a2
    due = client.get(reverse("cadres:talks_due") + "?as_of=2026-09-01")
    text = due.content.decode()
    assert due.status_code == 200 and "R-TLK-1" in text
    # 杨志强 was talked with on 2026-06-01; 秦秀英 on 2026-05-01: neither overdue on 2026-09-01
    assert "杨志强" not in text.split('id="talks-due"')[1] and "秦秀英" not in text.split('id="talks-due"')[1]
    late = client.get(reverse("cadres:talks_due") + "?as_of=2026-12-01").content.decode()
    assert "日常谈话逾期" in late and "2026年11月1日" in late  # 秦秀英's talk was due six months after 5 May
    assert f"{reverse('cadres:talk_create')}?person={world.secretary_a1.pk}&amp;kind=regular" in late


def test_a_future_date_on_the_form_is_shown_beside_the_field(world, login):
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = login(world.staff_a).post(reverse("cadres:talk_create"), {
        "person": world.person_a2.pk, "kind": "regular", "date": future, "talker_name": "李部长"})
    assert response.status_code == 200 and "date" in response.context["form"].errors
    assert not Talk.objects.exists()


def test_the_person_page_shows_the_last_talks_and_a_link_to_record_one(world, login):
    talk(world.person_a2, dt.date(2026, 5, 1), notes="谈了集体经济")
    text = login(world.staff_a).get(reverse("cadres:person_detail", args=[world.person_a2.pk])).content.decode()
    assert "谈心谈话" in text and "谈了集体经济" in text
    assert f"{reverse('cadres:talk_create')}?person={world.person_a2.pk}" in text
    own = login(world.secretary_user).get(reverse("cadres:person_detail", args=[world.secretary_a1.pk]))
    assert own.status_code == 200 and reverse("cadres:talk_create") not in own.content.decode()


def test_secretaries_cannot_record_or_edit_on_the_pages(world, login):
    t = talk(world.secretary_a1, dt.date(2026, 5, 1))
    client = login(world.secretary_user)
    assert client.get(reverse("cadres:talk_create")).status_code == 403
    assert client.get(reverse("cadres:talk_edit", args=[t.pk])).status_code == 403
    assert client.get(reverse("cadres:talks")).status_code == 200


def test_the_edit_page_corrects_a_talk_and_refuses_other_counties(world, login):
    t = talk(world.person_a2, dt.date(2026, 5, 1))
    assert login(world.outsider).get(reverse("cadres:talk_edit", args=[t.pk])).status_code == 404
    client = login(world.staff_a)
    assert client.get(reverse("cadres:talk_edit", args=[t.pk])).status_code == 200
    response = client.post(reverse("cadres:talk_edit", args=[t.pk]), {
        "person": world.person_a2.pk, "kind": "annual_assessment", "date": "2026-05-01", "talker_name": "张部长"})
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.kind == TalkKind.ANNUAL_ASSESSMENT and t.talker_name == "张部长"


def _rows(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_the_exports_hold_what_the_pages_show(world, login):
    talk(world.person_a2, dt.date(2026, 5, 1), notes="谈了产业")
    client = login(world.staff_a)
    rows = _rows(client.get(reverse("export_talks_xlsx") + f"?unit={world.village_a2.pk}"))
    assert any("谈了产业" in [str(c) for c in r] for r in rows)
    due = _rows(client.get(reverse("export_talks-due_xlsx") + "?as_of=2026-12-01"))
    flat = [str(c) for r in due for c in r]
    assert "日常谈话逾期" in flat and "秦秀英" in flat
    assert "吴国庆" not in flat
