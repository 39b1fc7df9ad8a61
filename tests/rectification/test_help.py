"""R-RCT-2: help by tier, first secretaries as appointments, and R-CLS-5 sanctions reaching linked people."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from assessment.choices import HonourKind, HonourLevel, SanctionReason, Tier
from assessment.models import Honour, Sanction
from assessment.services.classification import annual_review_run
from cadres.choices import AppointmentRole, EndReason
from rectification.choices import CaseEventKind, HelpKind
from rectification.models import CaseEvent, RectificationCase
from rectification.services.help import (
    ERR_PARTNER_RED_FLAG,
    ERR_PERSON,
    help_assign,
    help_end,
    help_suggested_kinds,
)
from tests.assessment.helpers import make_cycle, make_template, set_previous, set_scores
from tests.factories import PersonFactory


@pytest.fixture
def case(world):
    return RectificationCase.objects.create(unit=world.village_a2, year=2025, origins=["poor_tier"])


def test_suggested_help_by_tier():
    """001 item 9: 较差 → work team and its leader as first secretary; 一般 → first secretary; 较好 → liaison."""
    assert help_suggested_kinds(Tier.POOR) == [HelpKind.WORK_TEAM_LEADER, HelpKind.WORK_TEAM_MEMBER]
    assert help_suggested_kinds(Tier.AVERAGE) == [HelpKind.FIRST_SECRETARY]
    assert help_suggested_kinds(Tier.FAIRLY_GOOD) == [HelpKind.LIAISON]
    assert help_suggested_kinds(Tier.GOOD) == [] and help_suggested_kinds("") == []


def test_a_first_secretary_is_appointed_and_ends_with_the_help(world, case):
    cadre = PersonFactory(name="周建国", unit=world.county_a)
    help_ = help_assign(case=case, kind=HelpKind.FIRST_SECRETARY, person=cadre, from_unit=world.county_a,
                        start_date=dt.date(2025, 3, 1), by=world.staff_a)
    a = help_.appointment
    assert (a.person, a.unit, a.role, a.start_date) == (cadre, world.village_a2, AppointmentRole.FIRST_SECRETARY,
                                                        dt.date(2025, 3, 1))
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.HELP_ASSIGNED).count() == 1
    help_end(assignment=help_, end_date=dt.date(2026, 2, 28), by=world.staff_a)
    a.refresh_from_db()
    assert (a.end_date, a.end_reason) == (dt.date(2026, 2, 28), EndReason.TERM_CHANGE)
    with pytest.raises(ValidationError):
        help_end(assignment=help_, end_date=dt.date(2026, 3, 1), by=world.staff_a)


def test_a_liaison_needs_a_person_and_gets_no_appointment(world, case):
    with pytest.raises(ValidationError) as err:
        help_assign(case=case, kind=HelpKind.LIAISON, start_date=dt.date(2025, 3, 1), by=world.staff_a)
    assert err.value.message_dict["person"] == [str(ERR_PERSON)]
    help_ = help_assign(case=case, kind=HelpKind.LIAISON, person=world.secretary_a1, start_date=dt.date(2025, 3, 1),
                        by=world.staff_a)
    assert help_.appointment is None


def test_red_flag_pairing_needs_a_red_flag_branch_in_force(world, case):
    with pytest.raises(ValidationError) as err:
        help_assign(case=case, kind=HelpKind.RED_FLAG_PAIRING, partner_unit=world.village_a1,
                    start_date=dt.date(2025, 3, 1), by=world.staff_a)
    assert err.value.message_dict["partner_unit"] == [ERR_PARTNER_RED_FLAG.format(unit=world.village_a1.name)]
    honour = Honour.objects.create(kind=HonourKind.RED_FLAG, year=2024, unit=world.village_a1, level=HonourLevel.CITY)
    assert help_assign(case=case, kind=HelpKind.RED_FLAG_PAIRING, partner_unit=world.village_a1,
                       start_date=dt.date(2025, 3, 1), by=world.staff_a).partner_unit == world.village_a1
    honour.withdrawn_at = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
    honour.save()
    with pytest.raises(ValidationError):
        help_assign(case=case, kind=HelpKind.RED_FLAG_PAIRING, partner_unit=world.village_a1,
                    start_date=dt.date(2025, 5, 1), by=world.staff_a)


@pytest.mark.parametrize("kind", [HelpKind.FIRST_SECRETARY, HelpKind.LIAISON])
def test_a_linked_helper_of_an_average_branch_that_stayed_average_is_sanctioned_next_year(world, case, kind):
    """R-CLS-5: 一般 in 2024, 一般 again in 2025 → the linked first secretary (appointment) or liaison (link)
    may not be promoted in 2026, as the branch's secretary."""
    set_previous(units=[world.village_a2], year=2024, tier=Tier.AVERAGE)
    set_scores(units=[world.village_a2], score="65", template=make_template(unit=world.county_a))
    cadre = PersonFactory(name="郑卫东", unit=world.county_a)
    help_assign(case=case, kind=kind, person=cadre, start_date=dt.date(2025, 3, 1), by=world.staff_a)
    annual_review_run(cycle_id=make_cycle(unit=world.county_a).pk)
    s = Sanction.objects.get(person=cadre, unit=world.village_a2, year=2025)
    assert (s.applies_to_year, s.reason) == (2026, SanctionReason.NOT_MOVED_UP)
    assert Sanction.objects.filter(person=world.person_a2, year=2025).exists()


def test_help_ended_before_the_year_is_not_sanctioned(world, case):
    set_previous(units=[world.village_a2], year=2024, tier=Tier.AVERAGE)
    set_scores(units=[world.village_a2], score="65", template=make_template(unit=world.county_a))
    cadre = PersonFactory(name="钱进", unit=world.county_a)
    h = help_assign(case=case, kind=HelpKind.LIAISON, person=cadre, start_date=dt.date(2024, 3, 1),
                    by=world.staff_a)
    help_end(assignment=h, end_date=dt.date(2024, 12, 31), by=world.staff_a)
    annual_review_run(cycle_id=make_cycle(unit=world.county_a).pk)
    assert not Sanction.objects.filter(person=cadre).exists()


def test_the_help_page_suggests_by_tier_and_staff_assign_and_end(world, case, login):
    from assessment.models import Classification

    Classification.objects.create(unit=world.village_a2, year=2025, tier=Tier.AVERAGE, computed_tier=Tier.AVERAGE)
    client = login(world.staff_a)
    page = client.get(f"/rectification/cases/{case.pk}/help/")
    assert page.status_code == 200 and "县级机关选派第一书记" in page.content.decode()
    cadre = PersonFactory(name="孙立新", unit=world.county_a)
    bad = client.post(f"/rectification/cases/{case.pk}/help/", {"kind": "first_secretary", "start_date": "2025-03-01"})
    assert bad.status_code == 400 and "请选择帮扶人员" in bad.content.decode()
    ok = client.post(f"/rectification/cases/{case.pk}/help/", {"kind": "first_secretary", "person": cadre.pk,
                                                               "start_date": "2025-03-01"})
    assert ok.status_code == 302
    help_ = case.help.get()
    assert help_.appointment.role == AppointmentRole.FIRST_SECRETARY
    client.post(f"/rectification/help/{help_.pk}/end/", {"end_date": "2025-12-31"})  # no confirmation
    help_.refresh_from_db()
    assert help_.end_date is None
    client.post(f"/rectification/help/{help_.pk}/end/", {"end_date": "2025-12-31", "confirm": "yes"})
    help_.refresh_from_db()
    assert help_.end_date == dt.date(2025, 12, 31)


def test_the_help_page_is_read_only_for_supervisors_and_hidden_from_outsiders(world, case, login):
    assert login(world.supervisor_a).post(f"/rectification/cases/{case.pk}/help/", {}).status_code == 403
    assert login(world.outsider).get(f"/rectification/cases/{case.pk}/help/").status_code == 404


def test_a_liaison_shows_on_the_helpers_page_and_on_no_one_elses(world, case, client):
    """R-RCT-2: help given is on the helper's record (a liaison has no appointment to show it)."""
    from django.urls import reverse

    cadre = PersonFactory(name="周建国", unit=world.county_a)
    help_assign(case=case, kind=HelpKind.LIAISON, person=cadre, start_date=dt.date(2025, 3, 1), by=world.staff_a)
    url = reverse("cadres:person_detail", args=[cadre.pk])
    client.force_login(world.staff_a)
    page = client.get(url).content.decode()
    assert 'id="help-links"' in page and "乡镇领导联系" in page and world.village_a2.name in page
    other = PersonFactory(name="吴明", unit=world.county_a)
    assert 'id="help-links"' not in client.get(reverse("cadres:person_detail", args=[other.pk])).content.decode()
