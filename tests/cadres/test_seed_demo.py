"""Issue item 9: ``manage.py seed_demo`` builds a realistic, valid and deterministic demo jurisdiction."""
import datetime as dt
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client

from cadres.choices import ELECTED_METHODS, AppointmentRole
from cadres.demo import DEFAULT_PASSWORD, DEMO_USERNAMES, ERR_NOT_DEMO, ERR_UNITS_EXIST, JOB_KIND
from cadres.models import Appointment, Person, ReserveCandidate
from cadres.selectors import reserve_coverage
from cadres.services.id_numbers import validate_id_consistency, validate_id_number
from core.choices import BRANCH_LEVELS, Level, Role
from core.models import Job, OrgUnit, User
from core.selectors import enterprise_coverage

AS_OF = "2026-11-23"


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", "--branches", "60", "--as-of", AS_OF, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    return seed()


def test_it_creates_the_requested_number_of_branches(demo):
    assert OrgUnit.objects.filter(level__in=BRANCH_LEVELS).count() == 60
    assert OrgUnit.objects.filter(level=Level.CITY).count() == 1
    assert OrgUnit.objects.filter(level=Level.COUNTY).count() >= 2
    assert OrgUnit.objects.filter(level=Level.SYSTEM).exists()
    job = Job.objects.get(kind=JOB_KIND)
    assert job.params["branches"] == 60 and job.result["branches"] == 60


def test_most_branches_have_one_current_secretary(demo):
    """R-SEL-2: at most one current secretary per unit; about 95% of branches have one."""
    per_unit = (Appointment.objects.current().secretaries().values("unit").annotate(n=Count("id"))
                .order_by("-n"))
    assert per_unit[0]["n"] == 1
    assert len(per_unit) >= 0.85 * 60
    assert not Appointment.objects.current().secretaries().exclude(unit__level__in=BRANCH_LEVELS).exists()


def test_every_id_number_is_valid_and_agrees_with_birth_date_and_gender(demo):
    """R-SEL-1: GB 11643 check digit, a region code in use in the birth year, birth date and gender agreeing."""
    today = dt.date.fromisoformat(AS_OF)
    people = list(Person.objects.all())
    assert len(people) > 100
    for person in people:
        assert validate_id_number(person.id_number, today=today) == person.id_number
        assert validate_id_consistency(id_number=person.id_number, birth_date=person.birth_date,
                                       gender=person.gender) == []
        assert person.party_join_date >= person.birth_date + relativedelta(years=18), person
        assert len(person.phone) == 11 and person.phone.startswith("1")
    assert len({p.id_number for p in people}) == len(people)


def test_secretaries_joined_the_party_before_taking_office(demo):
    for a in Appointment.objects.secretaries().select_related("person"):
        assert a.person.party_join_date <= a.start_date, a


def test_appointments_carry_histories_methods_and_votes(demo):
    """R-SEL-2..5: ended appointments with reasons, deputies, selection methods and votes for elections."""
    ended = Appointment.objects.filter(end_date__isnull=False)
    assert ended.exists() and not ended.filter(end_reason="").exists()
    assert Appointment.objects.filter(role=AppointmentRole.DEPUTY_SECRETARY).exists()
    assert Appointment.objects.values("selection_method").distinct().count() >= 3
    with_votes = Appointment.objects.filter(votes_cast__isnull=False)
    assert with_votes.exists()
    for a in with_votes:
        assert a.selection_method in ELECTED_METHODS
        assert a.votes_for <= a.votes_cast <= a.eligible_voters
    current = Appointment.objects.current().secretaries()
    assert current.filter(is_dual_leader=True).exists() and current.filter(is_full_time=True).exists()


def test_the_logins_exist_and_can_log_in(demo):
    for username in DEMO_USERNAMES:
        assert username in demo
        assert Client().login(username=username, password=DEFAULT_PASSWORD), username
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="city_staff").unit.level == Level.CITY
    assert User.objects.get(username="county_staff").unit.level == Level.COUNTY
    supervisor = User.objects.get(username="township_supervisor")
    assert supervisor.role == Role.SUPERVISOR and supervisor.unit.level == Level.TOWNSHIP
    assert supervisor.unit.path.startswith(User.objects.get(username="county_staff").unit.path)
    secretary = User.objects.get(username="secretary_demo")
    assert secretary.role == Role.SECRETARY
    assert Appointment.objects.current().secretaries().filter(person=secretary.person, unit=secretary.unit).exists()
    assert list(Person.objects.visible_to(secretary)) == [secretary.person]


def test_the_password_option_sets_the_logins_password(db):
    seed("--password", "another-pass-2026")
    assert Client().login(username="county_staff", password="another-pass-2026")


def test_enterprise_coverage_has_findings(demo):
    """R-ORG-3: some enterprises without a branch of their own break the rule."""
    rows = enterprise_coverage(user=User.objects.get(username="city_staff"), year=2026)
    assert rows
    assert OrgUnit.objects.filter(level=Level.ENTERPRISE).exclude(instructor="").exists()
    assert OrgUnit.objects.filter(level=Level.ENTERPRISE, joint_branch__isnull=False).exists()


def test_reserve_coverage_has_a_village_lacking_a_reserve(demo):
    """R-RES-2: most villages have a reserve candidate, some do not."""
    report = reserve_coverage(user=User.objects.get(username="city_staff"), year=2026)
    assert report["lacking"]
    assert report["covered"] > len(report["lacking"])
    assert ReserveCandidate.objects.exists()


def test_some_village_leaders_are_under_35(db):
    seed("--branches", "300")
    born_after = dt.date.fromisoformat(AS_OF) - relativedelta(years=35)
    assert Appointment.objects.current().filter(unit__sector="village", person__birth_date__gt=born_after).exists()


def test_the_same_seed_gives_the_same_names(db):
    seed("--seed", "7")
    first = list(Person.objects.order_by("unit__path", "id").values_list("name", "id_number"))
    units = list(OrgUnit.objects.values_list("path", "name"))
    seed("--seed", "7", "--reset")
    assert list(Person.objects.order_by("unit__path", "id").values_list("name", "id_number")) == first
    assert list(OrgUnit.objects.values_list("path", "name")) == units
    seed("--seed", "8", "--reset")
    assert list(Person.objects.order_by("unit__path", "id").values_list("name", "id_number")) != first


def test_it_refuses_when_units_exist(demo):
    with pytest.raises(CommandError) as exc:
        seed()
    assert str(exc.value) == str(ERR_UNITS_EXIST.format(count=OrgUnit.objects.count()))


def test_reset_refuses_units_not_made_by_seed_demo(world):
    with pytest.raises(CommandError) as exc:
        seed("--reset")
    assert str(exc.value) == str(ERR_NOT_DEMO)
    assert OrgUnit.objects.filter(pk=world.city.pk).exists()


def test_reset_replaces_the_demo_and_keeps_other_users(demo):
    other = User.objects.create_user(username="someone", password="x-123456-zhishu",
                                     unit=OrgUnit.objects.get(level=Level.CITY))
    seed("--reset", "--seed", "2")
    other.refresh_from_db()
    assert other.unit is None
    assert Job.objects.filter(kind=JOB_KIND).count() == 1
    assert OrgUnit.objects.filter(level__in=BRANCH_LEVELS).count() == 60


def test_history_is_written_unless_switched_off(db):
    seed()
    assert Person.history.filter(history_change_reason="seed_demo").count() == Person.objects.count()
    seed("--reset", "--no-history")
    assert Person.objects.exists() and not Person.history.exists()
    assert Job.objects.get(kind=JOB_KIND).params["history"] is False


def test_if_empty_keeps_existing_data(world):
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert OrgUnit.objects.count() == 8
    assert "secretary_demo" in out.getvalue()


def test_every_demo_person_and_unit_carries_its_pinyin_initials(demo):
    """Issue 8 item 3: the demo goes in with bulk_create; the pickers still find it by initials."""
    from core.pinyin import name_initials

    assert not Person.objects.filter(name_initials="").exists()
    assert not OrgUnit.objects.filter(name_initials="").exists()
    for person in Person.objects.order_by("pk")[:20]:
        assert person.name_initials == name_initials(person.name)
