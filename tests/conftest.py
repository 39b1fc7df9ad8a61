"""The world every test starts from (STYLE.md: owner, member, outsider).

    city
    ├── county_a            staff_a (staff), supervisor_a
    │   └── township_a      township_staff (staff)
    │       ├── village_a1  secretary_user (secretary, person secretary_a1)
    │       └── village_a2
    └── county_b            outsider (staff of a sibling county)
        └── township_b
            └── village_b1
"""
import datetime as dt
import os

import pytest
from rest_framework.test import APIClient

from cadres.choices import AppointmentRole
from core.choices import Level, Role, Sector
from tests.factories import AppointmentFactory, PersonFactory, make_unit, make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class World:
    pass


@pytest.fixture
def world(db):
    w = World()
    w.city = make_unit(code="4307", name="市委", level=Level.CITY, sector=Sector.ORGAN)
    w.county_a = make_unit(parent=w.city, code="430721000", name="甲县委", level=Level.COUNTY, sector=Sector.ORGAN)
    w.township_a = make_unit(parent=w.county_a, code="430721001", name="甲镇党委", level=Level.TOWNSHIP,
                             sector=Sector.ORGAN)
    w.village_a1 = make_unit(parent=w.township_a, code="430721001001", name="东风村党支部")
    w.village_a2 = make_unit(parent=w.township_a, code="430721001002", name="新华村党支部")
    w.county_b = make_unit(parent=w.city, code="430722000", name="乙县委", level=Level.COUNTY, sector=Sector.ORGAN)
    w.township_b = make_unit(parent=w.county_b, code="430722001", name="乙镇党委", level=Level.TOWNSHIP,
                             sector=Sector.ORGAN)
    w.village_b1 = make_unit(parent=w.township_b, code="430722001001", name="石桥村党支部")
    for name in ("city", "county_a", "township_a", "village_a1", "village_a2", "county_b", "township_b", "village_b1"):
        getattr(w, name).refresh_from_db()

    w.staff_a = make_user(unit=w.county_a, role=Role.STAFF, username="staff_a")
    w.supervisor_a = make_user(unit=w.county_a, role=Role.SUPERVISOR, username="supervisor_a")
    w.township_staff = make_user(unit=w.township_a, role=Role.STAFF, username="township_staff")
    w.outsider = make_user(unit=w.county_b, role=Role.STAFF, username="outsider")
    w.secretary_user = make_user(unit=w.village_a1, role=Role.SECRETARY, username="secretary_a1")

    w.secretary_a1 = PersonFactory(name="秦秀英", unit=w.village_a1, user=w.secretary_user)
    w.appointment_a1 = AppointmentFactory(person=w.secretary_a1, unit=w.village_a1, role=AppointmentRole.SECRETARY,
                                          start_date=dt.date(2024, 3, 1))
    w.person_a2 = PersonFactory(name="杨志强", unit=w.village_a2)
    w.appointment_a2 = AppointmentFactory(person=w.person_a2, unit=w.village_a2, start_date=dt.date(2024, 11, 1))
    w.person_b1 = PersonFactory(name="吴国庆", unit=w.village_b1)
    w.appointment_b1 = AppointmentFactory(person=w.person_b1, unit=w.village_b1, start_date=dt.date(2024, 3, 1))
    return w


@pytest.fixture
def api():
    def client_for(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


@pytest.fixture
def login(client):
    """``login(user)`` → the test client logged in as ``user``."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user
