"""R-SEC-1: ID numbers and phones are encrypted at rest (history tables too), found only through their keyed hash."""
import datetime as dt
import re

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from simple_history.utils import bulk_create_with_history

from cadres.models import Person
from cadres.selectors import people_by_id_numbers, person_find_by_id_number
from cadres.services.people import person_create, person_update
from tests.factories import make_id_number

ID_PATTERN = re.compile(r"\d{17}[\dX]")
PHONE = "13812345678"


def raw_rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return cursor.fetchall()


def raw_text(table: str) -> str:
    return " ".join(str(v) for row in raw_rows(table) for v in row)


def new_person(world, **extra) -> Person:
    data = {"name": "李明", "gender": "M", "birth_date": dt.date(1981, 2, 3), "unit": world.village_a2,
            "id_number": make_id_number(birth=dt.date(1981, 2, 3), seq=77), "phone": PHONE, **extra}
    return person_create(data=data)


@pytest.mark.django_db
def test_the_raw_columns_of_people_and_their_history_hold_no_id_number_and_no_phone(world):
    """R-SEC-1: read with a raw cursor, cadres_person and cadres_historicalperson show only tokens and hashes."""
    person = new_person(world)
    person_update(person=person, data={"phone": "13987654321"})
    bulk = Person(name="王芳", gender="F", birth_date=dt.date(1990, 1, 1), unit=world.village_a1, phone="13700001111",
                  id_number=make_id_number(birth=dt.date(1990, 1, 1), gender="F", seq=12))
    bulk_create_with_history([bulk], Person)
    assert Person.history.count() >= 3
    for table in ("cadres_person", "cadres_historicalperson"):
        text = raw_text(table)
        assert ID_PATTERN.search(text) is None, table
        for plain in (person.id_number, bulk.id_number, PHONE, "13987654321", "13700001111"):
            assert plain not in text, (table, plain)
    # Read back through the model, the values are the plaintext.
    assert Person.objects.get(pk=person.pk).phone == "13987654321"
    assert Person.history.filter(id=person.pk).earliest("history_date").phone == PHONE


@pytest.mark.django_db
def test_a_person_is_found_by_id_number_through_the_keyed_hash(world):
    person = new_person(world)
    lower = person.id_number[:-1] + person.id_number[-1].lower()
    assert person_find_by_id_number(id_number=f" {lower} ") == person
    assert people_by_id_numbers(id_numbers=[person.id_number, "nonsense"]) == {person.id_number: person}
    assert person_find_by_id_number(id_number=world.person_b1.id_number,
                                    queryset=Person.objects.visible_to(world.staff_a)) is None


@pytest.mark.django_db
def test_filtering_on_the_encrypted_columns_is_refused(world):
    """A lookup on the ciphertext would silently match nothing: it raises, so the finder is the only way."""
    with pytest.raises(FieldError):
        list(Person.objects.filter(id_number=world.person_a2.id_number))
    with pytest.raises(FieldError):
        list(Person.objects.filter(phone__startswith="138"))
    assert Person.objects.filter(phone="").count() == 3  # the empty string is stored as is


@pytest.mark.django_db
def test_a_second_person_with_the_same_id_number_is_refused_beside_the_field(world):
    with pytest.raises(ValidationError) as exc:
        new_person(world, id_number=world.person_a2.id_number, birth_date=world.person_a2.birth_date)
    assert list(exc.value.message_dict) == ["id_number"]


NEW_KEY = Fernet.generate_key().decode()


@pytest.mark.django_db
def test_rotate_field_keys_re_encrypts_with_the_newest_key(world, settings):
    """R-SEC-1: after rotation every token opens with the new key alone, and hashes follow a new hash key."""
    person = new_person(world)
    old_keys = list(settings.ZHISHU_FIELD_KEYS)
    with override_settings(ZHISHU_FIELD_KEYS=[NEW_KEY, *old_keys], ZHISHU_HASH_KEY="another-hash-key"):
        call_command("rotate_field_keys", stdout=open("/dev/null", "w"))
    new_only = Fernet(NEW_KEY.encode())
    for table in ("cadres_person", "cadres_historicalperson"):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id_number, phone FROM {table}")
            for id_token, phone_token in cursor.fetchall():
                new_only.decrypt(id_token.encode())  # raises InvalidToken if still under the old key
                if phone_token:
                    new_only.decrypt(phone_token.encode())
    with override_settings(ZHISHU_FIELD_KEYS=[NEW_KEY], ZHISHU_HASH_KEY="another-hash-key"):
        assert Person.objects.get(pk=person.pk).phone == PHONE
        assert person_find_by_id_number(id_number=person.id_number) == person


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_rows_and_their_history():
    """R-SEC-1: rows written in plaintext before 0004 are encrypted and hashed by it, history rows included;
    the later migrations fill the pickers' pinyin initials of those rows (issue 8 item 3)."""
    from django.db.migrations.executor import MigrationExecutor

    # core goes back too: its later migrations add columns the models of "before" do not know.
    before = [("cadres", "0003_person_full_name_label"), ("core", "0003_access_log")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        number = make_id_number(birth=dt.date(1970, 7, 7), seq=5)
        old = executor.loader.project_state(before).apps  # the models as they were: plain text columns
        unit = old.get_model("core", "OrgUnit").objects.create(path="0001", depth=1, code="43", name="市委",
                                                               level="city", sector="organ")
        fields = {"name": "旧人", "gender": "M", "birth_date": dt.date(1970, 7, 7), "id_number": number,
                  "phone": PHONE, "unit_id": unit.pk}
        pk = old.get_model("cadres", "Person").objects.create(**fields).pk
        old.get_model("cadres", "HistoricalPerson").objects.create(
            id=pk, history_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), history_type="+",
            created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            **fields)
        assert number in raw_text("cadres_person") and number in raw_text("cadres_historicalperson")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())  # 0004 and on: the schema the other tests expect
    for table in ("cadres_person", "cadres_historicalperson"):
        text = raw_text(table)
        assert number not in text and PHONE not in text, table
    person = person_find_by_id_number(id_number=number)
    assert (person.pk, person.phone) == (pk, PHONE)
    assert person.history.get().id_number == number
    assert (person.name_initials, person.unit.name_initials.split()[0]) == ("jr", "sw")


def test_the_system_check_refuses_missing_or_malformed_keys(settings):
    from core.crypto import check_keys

    assert check_keys() == []
    settings.ZHISHU_FIELD_KEYS = ["not-a-key"]
    settings.ZHISHU_HASH_KEY = ""
    assert [e.id for e in check_keys()] == ["zhishu.E001", "zhishu.E002"]
    settings.ZHISHU_FIELD_KEYS = []
    assert [e.id for e in check_keys()][:1] == ["zhishu.E001"]


@pytest.mark.django_db
def test_saving_only_the_id_number_updates_its_hash_too(world):
    person = world.person_a2
    person.id_number = make_id_number(birth=person.birth_date, seq=909)
    person.save(update_fields=["id_number"])
    assert person_find_by_id_number(id_number=person.id_number) == person
