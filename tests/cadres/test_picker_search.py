"""Issue 8 item 3: the people API answers a picker's search — by name, pinyin initials and, for staff
only, a full ID number — within the caller's subtree (R-ORG-2), in a light form without the number."""
import pytest
from django.db import connection

from cadres.models import Person
from cadres.services.people import person_update
from core.fields import InitialsField
from tests.factories import PersonFactory, make_unit

PEOPLE = "/api/v1/people/"


def _labels(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [row["label"] for row in response.json()["results"]]


@pytest.fixture
def zhang(world):
    return PersonFactory(name="张三一", unit=world.village_a2)


def test_initials_are_stored_when_a_person_is_saved_created_in_bulk_or_renamed(world):
    person = PersonFactory(name="张三一", unit=world.village_a1)
    assert Person.objects.get(pk=person.pk).name_initials == "zsy"
    [bulk] = Person.objects.bulk_create([PersonFactory.build(name="新华", unit=world.village_a1)])
    assert Person.objects.filter(name="新华").values_list("name_initials", flat=True).get() == "xh"
    person.name = "李四"
    person.save(update_fields=["name"])
    assert Person.objects.get(pk=person.pk).name_initials == "ls"
    person_update(person=person, data={"name": "王五"})
    assert Person.objects.get(pk=person.pk).name_initials.split()[0] == "ww"
    bulk.name = "赵六"
    InitialsField.fill([bulk])
    Person.objects.bulk_update([bulk], ["name", "name_initials"])
    assert Person.objects.get(pk=bulk.pk).name_initials == "zl"


def test_a_surname_with_two_readings_is_found_by_either(world):
    PersonFactory(name="单田芳", unit=world.village_a1)
    assert set(Person.objects.get(name="单田芳").name_initials.split()) >= {"dtf", "stf"}


@pytest.mark.parametrize("q", ["张三", "三一", "zsy", "ZSY", "zs"])
def test_staff_find_a_person_by_name_or_initials(world, api, zhang, q):
    assert "张三一 · 新华村党支部" in _labels(api(world.staff_a).get(PEOPLE, {"search": q, "view": "picker"}))


def test_q_is_the_same_as_search(world, api, zhang):
    assert _labels(api(world.staff_a).get(PEOPLE, {"q": "zsy", "view": "picker"})) == ["张三一 · 新华村党支部"]


def test_the_best_match_comes_first(world, api, zhang):
    PersonFactory(name="李张三", unit=world.village_a1)
    PersonFactory(name="张三", unit=world.village_a1)
    labels = _labels(api(world.staff_a).get(PEOPLE, {"search": "张三", "view": "picker"}))
    assert labels == ["张三 · 东风村党支部", "张三一 · 新华村党支部", "李张三 · 东风村党支部"]


def test_a_picker_row_is_a_label_never_the_id_number(world, api, zhang):
    row = api(world.staff_a).get(PEOPLE, {"search": "张三一", "view": "picker"}).json()["results"][0]
    assert row == {"id": zhang.pk, "label": "张三一 · 新华村党支部", "name": "张三一", "unit": world.village_a2.pk,
                   "unit_name": "新华村党支部"}
    assert zhang.id_number[6:14] not in str(row)


def test_staff_of_another_county_never_get_the_people_of_county_a(world, api, zhang):
    PersonFactory(name="张三二", unit=world.village_b1)
    client = api(world.outsider)
    assert _labels(client.get(PEOPLE, {"search": "张三", "view": "picker"})) == ["张三二 · 石桥村党支部"]
    assert _labels(client.get(PEOPLE, {"search": "zs", "view": "picker"})) == ["张三二 · 石桥村党支部"]
    assert _labels(client.get(PEOPLE, {"search": zhang.id_number, "view": "picker"})) == []


def test_staff_find_a_person_by_the_full_id_number(world, api, zhang):
    client = api(world.staff_a)
    assert _labels(client.get(PEOPLE, {"search": zhang.id_number, "view": "picker"})) == ["张三一 · 新华村党支部"]
    # Full-width digits and a lower-case x are normalised as everywhere else.
    full_width = zhang.id_number.translate(str.maketrans("0123456789X", "０１２３４５６７８９ｘ"))
    assert _labels(client.get(PEOPLE, {"search": full_width, "view": "picker"})) == ["张三一 · 新华村党支部"]
    # A part of a number is no search key: the column is encrypted (R-SEC-1).
    assert _labels(client.get(PEOPLE, {"search": zhang.id_number[:10], "view": "picker"})) == []


@pytest.mark.parametrize("role", ["supervisor_a", "secretary_user"])
def test_a_supervisor_or_secretary_cannot_search_by_id_number(world, api, zhang, role):
    user = getattr(world, role)
    for number in (zhang.id_number, world.secretary_a1.id_number):
        assert _labels(api(user).get(PEOPLE, {"search": number, "view": "picker"})) == []
        assert api(user).get(PEOPLE, {"search": number}).json()["count"] == 0


def test_a_supervisor_still_finds_by_name(world, api, zhang):
    assert _labels(api(world.supervisor_a).get(PEOPLE, {"search": "zsy", "view": "picker"})) == ["张三一 · 新华村党支部"]


def test_a_secretary_finds_only_their_own_record(world, api, zhang):
    assert _labels(api(world.secretary_user).get(PEOPLE, {"search": "秦", "view": "picker"})) == ["秦秀英 · 东风村党支部"]
    assert _labels(api(world.secretary_user).get(PEOPLE, {"search": "zsy", "view": "picker"})) == []


def test_the_search_is_paginated(world, api):
    for i in range(30):
        PersonFactory(name=f"张{i:02d}", unit=world.village_a1)
    body = api(world.staff_a).get(PEOPLE, {"search": "张", "view": "picker", "page_size": 20}).json()
    assert body["count"] == 30 and len(body["results"]) == 20 and body["next"]


def test_the_picker_search_reads_no_encrypted_column(world, api, zhang, django_assert_num_queries):
    client = api(world.staff_a)
    # 1 count, 2 the page with each person's unit joined in — however many rows match.
    with django_assert_num_queries(2) as ctx:
        client.get(PEOPLE, {"search": "zs", "view": "picker"})
    page_sql = ctx.captured_queries[-1]["sql"]
    assert '"id_number"' not in page_sql and '"phone"' not in page_sql
    for _ in range(15):
        PersonFactory(name="张三", unit=make_unit(parent=world.township_a))
    with django_assert_num_queries(2):
        assert client.get(PEOPLE, {"search": "zs", "view": "picker"}).json()["count"] == 16
    assert connection.vendor  # the count above ran against the real database


def test_people_search_within_a_unit(world, api, zhang):
    PersonFactory(name="张三", unit=world.village_a1)
    labels = _labels(api(world.staff_a).get(PEOPLE, {"search": "zs", "unit": world.village_a1.pk, "view": "picker"}))
    assert labels == ["张三 · 东风村党支部"]
