"""Factories shared by every app's tests. ID numbers are generated valid (GB 11643)."""
import datetime as dt
import itertools

import factory
from stdnum.cn import ric

from cadres.choices import AppointmentRole, Gender, SelectionMethod
from cadres.models import Appointment, Person, ReserveCandidate
from core.choices import Level, Role, Sector
from core.models import OrgUnit, User
from core.services.orgunits import org_unit_add

_seq = itertools.count(1)


def make_id_number(*, birth: dt.date, gender: str = "M", region: str = "430721", seq: int | None = None) -> str:
    """A valid 18-character number for the given birth date and gender."""
    n = next(_seq) if seq is None else seq
    order = (n * 2) % 1000
    order = order + 1 if gender == "M" else order  # odd 17th digit is male
    order %= 1000
    if (order % 2 == 1) != (gender == "M"):
        order = (order + 1) % 1000
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character


def make_unit(*, parent: OrgUnit | None = None, code: str | None = None, name: str | None = None,
              level: str = Level.BRANCH, sector: str = Sector.VILLAGE, **fields) -> OrgUnit:
    n = next(_seq)
    if parent is not None:
        parent.refresh_from_db()
    return org_unit_add(parent=parent, code=code or f"U{n:06d}", name=name or f"单位{n}", level=level,
                        sector=sector, **fields)


def make_user(*, unit: OrgUnit | None, role: str = Role.STAFF, username: str | None = None, **fields) -> User:
    n = next(_seq)
    return User.objects.create_user(username=username or f"user{n}", password="pw-123456-zhishu", unit=unit,
                                    role=role, **fields)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"张{n}")
    gender = Gender.MALE
    birth_date = dt.date(1980, 5, 17)
    id_number = factory.LazyAttribute(lambda o: make_id_number(birth=o.birth_date, gender=o.gender))
    education = "bachelor"


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    person = factory.SubFactory(PersonFactory, unit=factory.SelfAttribute("..unit"))
    role = AppointmentRole.SECRETARY
    start_date = dt.date(2024, 3, 1)
    selection_method = SelectionMethod.ELECTION


class ReserveCandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReserveCandidate

    person = factory.SubFactory(PersonFactory, unit=factory.SelfAttribute("..unit"))
    added_on = dt.date(2025, 1, 1)
