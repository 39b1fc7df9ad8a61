"""Factories of the training app's tests."""
import datetime as dt
import itertools
from decimal import Decimal

import factory

from cadres.choices import AppointmentRole
from cadres.models import Appointment, Person
from core.models import OrgUnit
from tests.factories import make_id_number
from training.choices import ContentCategory, CourseKind
from training.models import Attendance, Course

_seq = itertools.count(1)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"PX{n:05d}")
    name = factory.Sequence(lambda n: f"支部书记培训班{n}")
    kind = CourseKind.ANNUAL
    start_date = dt.date(2026, 3, 1)
    end_date = dt.date(2026, 3, 7)
    hours = Decimal("56")
    content_categories = factory.LazyFunction(lambda: [ContentCategory.THEORY.value])


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    completed = True
    completed_on = factory.LazyAttribute(lambda o: o.course.end_date)


def bulk_secretaries(*, parent: OrgUnit, count: int, start_date=dt.date(2024, 3, 1), with_attendance=None):
    """``count`` village branches under ``parent``, each with a current secretary — set-based, for
    query-count tests. ``with_attendance`` (a course) gives each secretary one completed attendance."""
    parent.refresh_from_db()
    base = parent.numchild
    units = []
    for i in range(count):
        n = next(_seq)
        units.append(OrgUnit(
            path=OrgUnit._get_path(parent.path, parent.depth + 1, base + i + 1), depth=parent.depth + 1, numchild=0,
            code=f"BULK{n:07d}", name=f"批量村{n}党支部", level="branch", sector="village",
        ))
    OrgUnit.objects.bulk_create(units)
    OrgUnit.objects.filter(pk=parent.pk).update(numchild=base + count)
    units = list(OrgUnit.objects.filter(code__in=[u.code for u in units]).order_by("path"))
    people = []
    for u in units:
        # make_id_number yields 500 numbers per birth date and gender: vary the birth date.
        birth = dt.date(1970, 1, 1) + dt.timedelta(days=next(_seq))
        people.append(Person(name=f"书记{u.code}", gender="M", birth_date=birth, unit=u,
                             id_number=make_id_number(birth=birth, seq=next(_seq))))
    Person.objects.bulk_create(people)
    people = list(Person.objects.filter(unit__in=units).order_by("unit__path"))
    Appointment.objects.bulk_create([
        Appointment(person=p, unit_id=p.unit_id, role=AppointmentRole.SECRETARY, start_date=start_date,
                    planned_end_date=start_date.replace(year=start_date.year + 5))
        for p in people
    ])
    if with_attendance is not None:
        Attendance.objects.bulk_create([
            Attendance(person=p, course=with_attendance, completed=True, completed_on=with_attendance.end_date)
            for p in people
        ])
    return units, people
