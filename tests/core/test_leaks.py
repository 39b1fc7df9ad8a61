"""Issue 7, reads that crossed the subtree (R-ORG-2, R-SEC-1): each test failed on the code before its fix.

The names of county A's units, people and courses stand for its data: none of them may reach
a user outside county A, whatever the page, renderer or role.
"""
import datetime as dt
import importlib

import django_filters
import pytest
from django.apps import apps

from core.choices import Role
from tests.factories import make_user
from tests.training.factories import CourseFactory

COUNTY_A_NAMES = ("甲县委", "甲镇党委", "东风村党支部", "新华村党支部", "秦秀英", "杨志强", "甲县示范培训班")
BROWSABLE = ["attendances", "people", "appointments", "honours", "duty-reports", "sanctions", "policies",
             "cycles", "courses", "classifications", "reserve-candidates", "org-units", "scores",
             "evaluations", "branch-listings", "indicator-templates"]


@pytest.fixture
def course_a(world):
    return CourseFactory(name="甲县示范培训班", organiser=world.county_a)


def _filtersets():
    for app in apps.get_app_configs():
        if app.name.split(".")[0] in ("core", "cadres", "training", "assessment", "stipends"):
            try:
                importlib.import_module(f"{app.name}.filtersets")
            except ModuleNotFoundError:
                continue
    seen, todo = set(), [django_filters.FilterSet]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [c for c in seen if c.__module__.split(".")[0] in ("core", "cadres", "training", "assessment",
                                                               "stipends")]


def test_every_filterset_of_the_project_inherits_the_scoped_base():
    """R-ORG-2: a filterset that builds its choices from .objects.all() cannot be added unnoticed."""
    from core import filtersets

    base = getattr(filtersets, "ScopedFilterSet", None)
    found = _filtersets()
    assert len(found) >= 10
    assert base is not None and [c.__name__ for c in found if not issubclass(c, base)] == []


@pytest.mark.parametrize("name", BROWSABLE)
def test_the_browsable_api_filter_form_offers_nothing_of_another_county(world, client, course_a, name):
    """Issue 7 leak 1: the filter dropdowns listed every unit, person and course of the city."""
    client.force_login(world.outsider)
    response = client.get(f"/api/v1/{name}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    body = response.content.decode()
    assert [n for n in COUNTY_A_NAMES if n in body] == []
    # The create forms still list the caller's own units; the filters' unit and person choices are
    # pickers that list nothing until searched (issue 8 item 3).
    assert "乙县委" in body or name not in ("people", "appointments", "policies")
    if name == "attendances":
        assert 'data-picker-url="/api/v1/org-units/' in body


@pytest.mark.parametrize("name", ["attendances", "people", "appointments", "duty-reports", "courses"])
def test_a_secretary_sees_no_other_branch_in_the_browsable_api(world, client, course_a, name):
    client.force_login(world.secretary_user)
    body = client.get(f"/api/v1/{name}/", HTTP_ACCEPT="text/html").content.decode()
    assert [n for n in ("新华村党支部", "杨志强", "石桥村党支部", "吴国庆", "乙县委") if n in body] == []


@pytest.mark.parametrize("url,field", [
    ("/api/v1/people/?unit={}", "unit"),
    ("/api/v1/appointments/?unit={}", "unit"),
    ("/api/v1/attendances/?unit={}", "unit"),
    ("/api/v1/courses/?organiser={}", "organiser"),
    ("/api/v1/policies/?unit={}", "unit"),
    ("/api/v1/cycles/?unit={}", "unit"),
    ("/api/v1/sanctions/?unit={}", "unit"),
    ("/api/v1/honours/?within={}", "within"),
    ("/api/v1/duty-reports/?within={}", "within"),
    ("/api/v1/org-units/?within={}", "within"),
    ("/api/v1/org-units/?parent={}", "parent"),
    ("/api/v1/reports/upgrade-targets/?unit={}", "unit"),
])
def test_a_unit_of_another_county_answers_like_an_unknown_one(world, api, url, field):
    """Issue 7 leak 1: ``?unit=<another county>`` gave 200-empty and an unknown id 400: an existence oracle."""
    client = api(world.outsider)
    foreign = client.get(url.format(world.county_a.pk))
    unknown = client.get(url.format(999999))
    assert foreign.status_code == unknown.status_code == 400
    assert field in foreign.json()
    assert foreign.json() == unknown.json()
    assert client.get(url.format(world.county_b.pk)).status_code == 200


@pytest.mark.parametrize("url,field", [
    ("/api/v1/attendances/?person={}", "person"),
    ("/api/v1/appointments/?person={}", "person"),
    ("/api/v1/honours/?person={}", "person"),
])
def test_a_person_of_another_county_answers_like_an_unknown_one(world, api, url, field):
    client = api(world.outsider)
    foreign = client.get(url.format(world.person_a2.pk))
    unknown = client.get(url.format(999999))
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json() == unknown.json() and field in foreign.json()


def test_a_course_of_another_county_answers_like_an_unknown_one(world, api, course_a):
    client = api(world.outsider)
    foreign = client.get(f"/api/v1/attendances/?course={course_a.pk}")
    unknown = client.get("/api/v1/attendances/?course=999999")
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json() == unknown.json() and "course" in foreign.json()


def test_a_filterset_without_a_request_offers_nothing(world):
    from cadres.filtersets import PersonFilterSet

    assert list(PersonFilterSet().filters["unit"].queryset) == []


@pytest.mark.parametrize("user", ["outsider", "secretary_user"])
def test_the_courses_page_filter_lists_only_visible_units(world, login, course_a, user):
    """Issue 7 leak 2: /training/courses/'s organiser filter listed every unit of the city to every role."""
    body = login(getattr(world, user)).get("/training/courses/").content.decode()
    hidden = ("甲县委", "甲镇党委", "新华村党支部", "甲县示范培训班") if user == "outsider" else (
        "新华村党支部", "乙县委", "石桥村党支部")
    assert [n for n in hidden if n in body] == []


# ---------------------------------------------------------------- leak 3: admin history pages

def _admin_user(user):
    from django.contrib.auth.models import Permission

    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label__in=["core", "cadres", "training", "assessment"]))
    return user


def _history_targets(world, course_a):
    from assessment.models import DutyReport
    from core.models import Policy

    policy = Policy.objects.create(unit=world.county_a, year=2026)
    report = DutyReport.objects.create(unit=world.village_a1, person=world.secretary_a1, year=2026,
                                       work_done="甲县述职")
    return {
        "cadres/person": world.person_a2, "cadres/appointment": world.appointment_a2,
        "core/orgunit": world.village_a2, "core/policy": policy, "assessment/dutyreport": report,
        "training/course": course_a,
    }


@pytest.mark.parametrize("target", ["cadres/person", "cadres/appointment", "core/orgunit", "core/policy",
                                    "assessment/dutyreport", "training/course"])
def test_admin_history_of_another_countys_row_is_not_found(world, client, course_a, target):
    """Issue 7 leak 3: a county-B admin user read a county-A person's versions, with the full ID number."""
    obj = _history_targets(world, course_a)[target]
    version = obj.history.latest("history_date")
    client.force_login(_admin_user(world.outsider))
    assert client.get(f"/admin/{target}/{obj.pk}/history/").status_code == 404
    assert client.get(f"/admin/{target}/{obj.pk}/history/{version.history_id}/").status_code == 404
    client.force_login(_admin_user(world.staff_a))
    assert client.get(f"/admin/{target}/{obj.pk}/history/").status_code == 200
    assert client.get(f"/admin/{target}/{obj.pk}/history/{version.history_id}/").status_code == 200


def test_admin_history_of_a_deleted_row_is_refused_to_a_scoped_admin(world, client):
    pk = world.person_b1.pk
    version = world.person_b1.history.latest("history_date").history_id
    world.appointment_b1.delete()
    world.person_b1.delete()
    client.force_login(_admin_user(world.outsider))
    assert client.get(f"/admin/cadres/person/{pk}/history/").status_code == 404
    assert client.get(f"/admin/cadres/person/{pk}/history/{version}/").status_code == 404


def test_every_history_admin_goes_through_the_scoped_queryset():
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    from core.admin import ScopedAdminMixin

    history_admins = [a for a in admin.site._registry.values() if isinstance(a, SimpleHistoryAdmin)]
    assert len(history_admins) >= 10
    assert [type(a).__name__ for a in history_admins if not isinstance(a, ScopedAdminMixin)] == []
    assert [type(a).__name__ for a in history_admins
            if type(a).history_view is not ScopedAdminMixin.history_view
            or type(a).history_form_view is not ScopedAdminMixin.history_form_view] == []


# ---------------------------------------------------------------- leak 4: the user admin

def _user_admin(user, *codenames):
    from django.contrib.auth.models import Permission

    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user", "add_user",
                                                                       *codenames]))
    return user


def _user_post(user, **changes):
    data = {"username": user.username, "first_name": user.first_name, "last_name": "", "email": "",
            "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
            "unit": str(user.unit_id or ""), "role": user.role, "user_permissions": [], "groups": []}
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(changes)
    return data


def test_a_scoped_admin_cannot_move_their_own_account_to_the_city(world, client):
    """Issue 7 leak 4: a scoped admin user set their own unit to the city and so saw everything."""
    admin_user = _user_admin(world.staff_a)
    client.force_login(admin_user)
    response = client.post(f"/admin/core/user/{admin_user.pk}/change/", _user_post(admin_user, unit=world.city.pk))
    assert response.status_code == 200 and "unit" in response.context["adminform"].form.errors
    admin_user.refresh_from_db()
    assert admin_user.unit_id == world.county_a.pk


def test_a_scoped_admin_cannot_place_a_user_in_another_county(world, client):
    client.force_login(_user_admin(world.staff_a))
    target = world.township_staff
    client.post(f"/admin/core/user/{target.pk}/change/", _user_post(target, unit=world.county_b.pk))
    target.refresh_from_db()
    assert target.unit_id == world.township_a.pk
    for unit in (world.county_b.pk, ""):
        response = client.post("/admin/core/user/add/", {"username": "newcomer", "usable_password": "false",
                                                         "unit": unit, "role": "staff"})
        assert response.status_code == 200 and "unit" in response.context["adminform"].form.errors
    response = client.post("/admin/core/user/add/", {"username": "newcomer", "usable_password": "false",
                                                     "unit": world.village_a2.pk, "role": "secretary"})
    assert response.status_code == 302


def test_a_scoped_admin_grants_neither_superuser_nor_staff_nor_permissions_they_lack(world, client):
    from django.contrib.auth.models import Group, Permission

    admin_user = _user_admin(world.staff_a)
    powerful = Group.objects.create(name="全市管理员")
    delete_person = Permission.objects.get(codename="delete_person")
    client.force_login(admin_user)
    page = client.get(f"/admin/core/user/{world.township_staff.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page
    assert "全市管理员" not in page and "delete_person" not in page
    for target in (admin_user, world.township_staff):
        client.post(f"/admin/core/user/{target.pk}/change/", _user_post(
            target, is_superuser="on", is_staff="on", user_permissions=[delete_person.pk], groups=[powerful.pk]))
        target.refresh_from_db()
        assert not target.is_superuser and target.is_staff == (target == admin_user)
        assert not target.user_permissions.filter(pk=delete_person.pk).exists()
        assert not target.groups.exists()


def test_a_scoped_admin_keeps_the_permissions_a_user_holds_beyond_their_own(world, client):
    from django.contrib.auth.models import Permission

    delete_person = Permission.objects.get(codename="delete_person")
    world.township_staff.user_permissions.add(delete_person)
    client.force_login(_user_admin(world.staff_a))
    response = client.post(f"/admin/core/user/{world.township_staff.pk}/change/",
                           _user_post(world.township_staff, first_name="新名"))
    assert response.status_code == 302
    world.township_staff.refresh_from_db()
    assert world.township_staff.first_name == "新名"
    assert world.township_staff.user_permissions.filter(pk=delete_person.pk).exists()


def test_a_scoped_admin_sees_only_the_users_of_their_subtree(world, client):
    from core.models import User

    boss = User.objects.create_superuser("city_root", password="x", unit=world.county_a)
    client.force_login(_user_admin(world.staff_a))
    page = client.get("/admin/core/user/").content.decode()
    assert "township_staff" in page and "outsider" not in page and "city_root" not in page
    assert client.get(f"/admin/core/user/{world.outsider.pk}/change/").status_code == 302
    assert client.get(f"/admin/core/user/{boss.pk}/password/").status_code in (302, 404)


# ---------------------------------------------------------------- leaks 5 and 6: upgrade targets and calibration

def _classified_county_a(world, *, published: bool):
    from django.utils import timezone

    from assessment.choices import Tier
    from assessment.models import Classification
    from tests.assessment.helpers import make_cycle

    cycle = make_cycle(unit=world.county_a, year=2025)
    if published:
        cycle.published_at = timezone.now()
        cycle.save()
    for unit, tier in ((world.village_a1, Tier.FAIRLY_GOOD), (world.village_a2, Tier.POOR)):
        Classification.objects.create(unit=unit, year=2025, cycle=cycle, tier=tier, computed_tier=tier,
                                      previous_tier=Tier.POOR, superior_score=60, member_score=60,
                                      composite_score=60)
    return cycle


def _counts(data):
    return {g["previous_tier"]: g["count"] for g in data["groups"] if g["count"]}


@pytest.mark.parametrize("role", [Role.STAFF, Role.SUPERVISOR])
def test_a_login_without_a_unit_sees_no_upgrade_targets(world, api, login, role):
    """Issue 7 leak 5: a staff login with no unit saw the whole city (anchor_unit fell back to the root)."""
    _classified_county_a(world, published=True)
    nobody = make_user(unit=None, role=role, username=f"no_unit_{role}")
    response = api(nobody).get("/api/v1/reports/upgrade-targets/?year=2025")
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert _counts(response.json()) == {} and response.json()["unit"] is None
    body = api(nobody).get("/api/v1/reports/calibration/?year=2025").content.decode()
    assert "甲县委" not in body and "市委" not in body and '"count":1' not in body.replace(" ", "")
    page = login(nobody).get("/assessment/upgrade-targets/?year=2025")
    assert page.status_code in (200, 403)
    assert "市委" not in page.content.decode() and "新华村党支部" not in page.content.decode()


def test_a_login_without_a_unit_sees_no_city_policy_or_evaluations(world, api):
    from core.models import Policy

    Policy.objects.create(unit=world.city, year=2025, youth_age_limit=40)
    nobody = make_user(unit=None, role=Role.STAFF, username="no_unit")
    ledger = api(nobody).get("/api/v1/reports/under-35/?date=2025-06-01")
    assert ledger.status_code == 200
    assert ledger.json()["policy"]["youth_age_limit"]["unit_id"] is None
    assert ledger.json()["policy"]["youth_age_limit"]["value"] != 40
    assert api(nobody).get("/api/v1/evaluations/satisfaction/?year=2025").status_code in (200, 403, 404)


def test_upgrade_targets_for_unit_counts_only_what_the_user_sees(world):
    from assessment.selectors import upgrade_targets_for_unit

    _classified_county_a(world, published=False)
    assert _counts(upgrade_targets_for_unit(unit=world.city, year=2025, user=world.outsider)) == {}
    assert _counts(upgrade_targets_for_unit(unit=world.city, year=2025, user=world.staff_a)) == {"poor": 2}


def test_a_secretary_gets_no_counts_of_unpublished_tiers(world, api):
    """Issue 7 leak 6: a secretary read the counts of a year still in calibration through upgrade targets."""
    _classified_county_a(world, published=False)
    client = api(world.secretary_user)
    for url in ("/api/v1/reports/upgrade-targets/?year=2025",
                f"/api/v1/reports/upgrade-targets/?year=2025&unit={world.village_a1.pk}",
                "/api/v1/reports/calibration/?year=2025"):
        response = client.get(url)
        assert response.status_code in (200, 400, 403)
        if response.status_code == 200 and "groups" in response.json():
            assert _counts(response.json()) == {}
        if response.status_code == 200 and "by_sector" in response.json():
            assert all(row["total"] == 0 for row in response.json()["by_sector"])
    assert _counts(api(world.supervisor_a).get("/api/v1/reports/upgrade-targets/?year=2025").json()) == {"poor": 2}


def test_a_secretary_sees_only_their_own_published_branch_in_upgrade_targets(world, api):
    _classified_county_a(world, published=True)
    data = api(world.secretary_user).get("/api/v1/reports/upgrade-targets/?year=2025").json()
    assert _counts(data) == {"poor": 1}
    assert "新华村党支部" not in str(data)


# ---------------------------------------------------------------- leak 7: a person's change history

def test_a_persons_history_shows_no_appointment_in_a_unit_the_viewer_cannot_see(world, login):
    """Issue 7 leak 7: person_history read Appointment.history unscoped, naming posts in other counties."""
    from tests.factories import AppointmentFactory

    AppointmentFactory(person=world.person_a2, unit=world.village_b1, start_date=dt.date(2020, 1, 1),
                       end_date=dt.date(2021, 1, 1))
    page = login(world.staff_a).get(f"/cadres/people/{world.person_a2.pk}/").content.decode()
    assert "杨志强" in page and "石桥村党支部" not in page

    from cadres.selectors import person_history

    whats = [str(r["what"]) for r in person_history(user=world.staff_a, person=world.person_a2)]
    assert any("新华村党支部" in w for w in whats) and not any("石桥村党支部" in w for w in whats)
    everything = [str(r["what"]) for r in person_history(user=world.township_staff, person=world.person_a2)]
    assert not any("石桥村党支部" in w for w in everything)


# ---------------------------------------------------------------- dropdowns of the admin's change forms

def test_admin_change_forms_offer_no_account_or_unit_of_another_county(world, client):
    """The honour form's 'created by' listed every login of the city; Person.user accepted any account."""
    from assessment.models import Honour

    honour = Honour.objects.create(kind="outstanding_secretary", year=2025, unit=world.village_b1,
                                   person=world.person_b1, level="district", created_by=world.outsider)
    client.force_login(_admin_user(world.outsider))
    page = client.get(f"/admin/assessment/honour/{honour.pk}/change/").content.decode()
    assert "secretary_a1" not in page and "staff_a" not in page and "东风村党支部" not in page
    data = {"name": world.person_b1.name, "gender": world.person_b1.gender,
            "unit": world.village_b1.pk, "user": world.secretary_user.pk}
    response = client.post(f"/admin/cadres/person/{world.person_b1.pk}/change/", data)
    assert "user" in response.context["adminform"].form.errors


def test_the_admin_unit_form_offers_only_the_subtree_and_keeps_new_units_inside_it(world, client):
    """treebeard's 'relative to' listed the whole tree (and the root) to a scoped admin user."""
    from core.models import OrgUnit

    client.force_login(_admin_user(world.outsider))
    page = client.get("/admin/core/orgunit/add/").content.decode()
    assert [n for n in ("甲县委", "甲镇党委", "东风村党支部", "新华村党支部") if n in page] == []
    base = {"code": "430722009", "name": "乙县新设党委", "level": "township", "sector": "organ", "members": 0,
            "is_active": "on", "instructor": ""}
    for ref, position in ((world.county_b.pk, "sorted-sibling"), ("", "sorted-child"),
                          (world.county_a.pk, "sorted-child")):
        response = client.post("/admin/core/orgunit/add/", {**base, "treebeard_ref_node": ref,
                                                            "treebeard_position": position})
        assert response.status_code == 200, (ref, position)
        assert not OrgUnit.objects.filter(code="430722009").exists()
    response = client.post("/admin/core/orgunit/add/", {**base, "treebeard_ref_node": world.county_b.pk,
                                                        "treebeard_position": "sorted-child"})
    assert response.status_code == 302
    assert OrgUnit.objects.get(code="430722009").path.startswith(world.county_b.path)


def test_the_admin_notice_form_lists_only_accounts_of_the_subtree(world, client):
    client.force_login(_admin_user(world.outsider))
    page = client.get("/admin/core/notice/add/").content.decode()
    assert [n for n in ("staff_a", "secretary_a1", "supervisor_a", "township_staff") if n in page] == []


def test_a_filter_that_narrows_its_own_choices_stays_narrowed_and_scoped(world, rf):
    import django_filters as df

    from cadres.models import Person
    from core.filtersets import ScopedFilterSet
    from core.models import OrgUnit

    class Narrow(ScopedFilterSet):
        unit = df.ModelChoiceFilter(queryset=OrgUnit.objects.filter(level="branch"))
        other = df.ModelChoiceFilter(field_name="unit", queryset=lambda request: OrgUnit.objects.all())

        class Meta:
            model = Person
            fields = []

    request = rf.get("/")
    request.user = world.outsider
    fs = Narrow(request=request)
    assert set(fs.filters["unit"].queryset) == {world.village_b1}
    assert set(fs.filters["other"].queryset) == {world.county_b, world.township_b, world.village_b1}
