"""R-SEC-1: application logs carry no ID number and no phone — neither what code logs nor what the root
handlers write (core.log_filters.RedactPersonalDataFilter)."""
import datetime as dt
import logging

import pytest
from django.db import connection

from cadres.imports.readers import read_table
from cadres.models import Person
from core.log_filters import ID_NUMBER_RE, MOBILE_RE, RedactPersonalDataFilter, redact
from tests.cadres.test_import import ROSTER_SAMPLE, import_samples
from tests.factories import make_id_number


def test_the_filter_redacts_id_numbers_and_mobiles_in_messages_args_and_tracebacks():
    number = make_id_number(birth=dt.date(1980, 5, 17))
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "person %s phone %s", (number, "13812345678"), None)
    try:
        raise ValueError(f"bad {number}")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    assert RedactPersonalDataFilter().filter(record) is True
    assert number not in record.getMessage() and "13812345678" not in record.getMessage()
    assert number not in record.exc_text and "[ID number]" in record.exc_text
    # Hashes, tokens and longer numbers are left alone.
    assert redact("a" + number + "b c" + "9" * 20) == "a" + number + "b c" + "9" * 20


def test_the_root_handlers_carry_the_filter(settings):
    """Every handler settings.LOGGING puts on the root logger redacts what it writes."""
    import copy
    import io
    import logging.config

    config = copy.deepcopy(settings.LOGGING)
    assert config["root"]["handlers"]
    for name in config["root"]["handlers"]:
        assert "redact_personal_data" in config["handlers"][name]["filters"]
    stream = io.StringIO()
    config["handlers"]["console"]["stream"] = stream
    try:
        logging.config.dictConfig(config)
        logging.getLogger("zhishu.test").warning("called %s", "13812345678")
    finally:
        logging.config.dictConfig(settings.LOGGING)
    assert stream.getvalue() == "called [phone]\n"


def _sample_values() -> set[str]:
    table = read_table(ROSTER_SAMPLE.read_bytes(), filename=ROSTER_SAMPLE.name)
    values = set()
    for row in table.rows:
        for header in ("公民身份号码", "联系电话"):
            value = row.values.get(header)
            if value:
                values.add(str(value).strip())
    return values


@pytest.fixture
def sql_logged():
    """Log every SQL statement with its parameters (django.db.backends at DEBUG) as DEBUG=True would."""
    connection.force_debug_cursor = True
    yield
    connection.force_debug_cursor = False


@pytest.mark.django_db
def test_a_roster_import_and_an_api_session_log_no_id_number_and_no_phone(caplog, sql_logged, api):
    caplog.set_level(logging.DEBUG)
    for name in ("django.request", "django.db.backends", "django.server", "cadres", "core", "celery"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    plain = _sample_values()
    assert len(plain) >= 30

    user, _result = import_samples()
    client = api(user)
    people = client.get("/api/v1/people/").json()["results"]
    person = Person.objects.get(pk=people[0]["id"])
    plain |= {person.id_number, person.phone} - {""}
    client.get(f"/api/v1/people/{person.pk}/")
    client.get(f"/api/v1/people/{person.pk}/?reveal=id_number,phone&purpose=核对")
    new_number = make_id_number(birth=dt.date(1985, 3, 4), seq=321)
    plain |= {new_number, "13912345678"}
    created = client.post("/api/v1/people/", {
        "name": "测试", "gender": "M", "birth_date": "1985-03-04", "id_number": new_number, "phone": "13912345678",
        "unit": person.unit_id}, format="json")
    assert created.status_code == 201
    again = client.post("/api/v1/people/", {  # a 400 is logged by django.request as a warning
        "name": "重复", "gender": "M", "birth_date": "1985-03-04", "id_number": new_number, "phone": "13912345678",
        "unit": person.unit_id}, format="json")
    assert again.status_code == 400
    client.patch(f"/api/v1/people/{person.pk}/", {"phone": "13700001111"}, format="json")
    plain.add("13700001111")

    # SQL statements included (the import reads and writes set-based since issue 12: a few dozen statements)
    assert len(caplog.records) > 30 and any(r.name == "django.db.backends" for r in caplog.records)
    assert any(r.name == "django.db.backends" for r in caplog.records)
    assert any(r.name == "django.request" for r in caplog.records)
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "")
        assert not ID_NUMBER_RE.search(text), (record.name, text[:300])
        assert not MOBILE_RE.search(text), (record.name, text[:300])
        leaked = [v for v in plain if v in text]
        assert not leaked, (record.name, leaked)
