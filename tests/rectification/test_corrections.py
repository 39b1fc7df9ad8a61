"""R-RCT-4: deadline correction, the adjustment it proposes, the decisions, and the daily sweep's notices."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cadres.choices import EndReason
from core.models import Notice, Policy
from core.sweeps import daily_sweep_run
from rectification.choices import AdjustmentCause, CaseEventKind, CorrectionState
from rectification.models import CaseEvent, CorrectionOrder, RectificationCase
from rectification.services.corrections import (
    ERR_NOT_SECRETARY,
    ERR_REASON,
    ERR_REQUIREMENT,
    NOTICE_DUE,
    NOTICE_PROPOSED,
    correction_accept,
    correction_decline,
    correction_mark_met,
    correction_order,
    corrections_propose_due,
    corrections_sweep,
)
from tests.factories import AppointmentFactory, PersonFactory

TODAY = dt.date.today()


@pytest.fixture
def order(world):
    case = RectificationCase.objects.create(unit=world.village_a1, year=TODAY.year - 1, origins=["poor_tier"])
    return correction_order(appointment=world.appointment_a1, requirement="三会一课不规范",
                            deadline=TODAY + dt.timedelta(days=30), by=world.staff_a, case=case)


def test_an_order_goes_to_the_current_secretary_with_its_case(world, order):
    assert (order.person, order.unit, order.state, order.year) == (world.secretary_a1, world.village_a1,
                                                                   CorrectionState.OPEN, TODAY.year - 1)
    assert CaseEvent.objects.filter(case=order.case, kind=CaseEventKind.CORRECTION_ORDERED).count() == 1


def test_bad_orders_are_refused_naming_the_field(world):
    deputy = AppointmentFactory(person=PersonFactory(unit=world.village_a1), unit=world.village_a1,
                                role="deputy_secretary", start_date=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as err:
        correction_order(appointment=deputy, requirement=" ", deadline=TODAY - dt.timedelta(days=1),
                         by=world.staff_a)
    assert set(err.value.message_dict) == {"appointment", "requirement", "deadline"}
    assert err.value.message_dict["appointment"] == [str(ERR_NOT_SECRETARY)]
    assert err.value.message_dict["requirement"] == [str(ERR_REQUIREMENT)]


def test_a_passed_deadline_proposes_adjustment_once(world, order):
    assert corrections_propose_due(as_of=order.deadline) == 0  # due today: not passed yet
    assert corrections_propose_due(as_of=order.deadline + dt.timedelta(days=1)) == 1
    order.refresh_from_db()
    assert (order.state, order.cause) == (CorrectionState.ADJUSTMENT_PROPOSED, AdjustmentCause.DEADLINE_PASSED)
    assert corrections_propose_due(as_of=order.deadline + dt.timedelta(days=2)) == 0
    assert CaseEvent.objects.filter(case=order.case, kind=CaseEventKind.ADJUSTMENT_PROPOSED).count() == 1


def test_a_met_order_is_not_proposed(world, order):
    correction_mark_met(order=order, note="已按期整改", by=world.staff_a)
    assert corrections_propose_due(as_of=order.deadline + dt.timedelta(days=5)) == 0


def test_accepting_ends_the_secretary_appointment_with_adjustment(world, order):
    corrections_propose_due(as_of=order.deadline + dt.timedelta(days=1))
    with pytest.raises(ValidationError) as err:
        correction_accept(order=order, reason="", by=world.staff_a, end_date=TODAY)
    assert err.value.message_dict["reason"] == [str(ERR_REASON)]
    correction_accept(order=order, reason="逾期未整改", by=world.staff_a, end_date=TODAY)
    world.appointment_a1.refresh_from_db()
    assert (world.appointment_a1.end_date, world.appointment_a1.end_reason) == (TODAY, EndReason.ADJUSTMENT)
    order.refresh_from_db()
    assert order.state == CorrectionState.ADJUSTED and order.decided_by == world.staff_a
    with pytest.raises(ValidationError):
        correction_decline(order=order, reason="再议", by=world.staff_a)


def test_declining_keeps_the_secretary(world, order):
    corrections_propose_due(as_of=order.deadline + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        correction_decline(order=order, reason="  ", by=world.staff_a)
    correction_decline(order=order, reason="客观原因", by=world.staff_a)
    world.appointment_a1.refresh_from_db()
    assert world.appointment_a1.end_date is None
    order.refresh_from_db()
    assert order.state == CorrectionState.DECLINED


def test_the_sweep_reminds_the_secretary_from_the_policy_days_once(world, order):
    """task_reminder_days (default 7): 8 days before nothing; 7 days before one notice, never twice."""
    assert Policy.objects.count() == 0
    assert corrections_sweep(as_of=order.deadline - dt.timedelta(days=8)) == 0
    assert corrections_sweep(as_of=order.deadline - dt.timedelta(days=7)) == 1
    assert corrections_sweep(as_of=order.deadline - dt.timedelta(days=3)) == 0
    notice = Notice.objects.get(kind=NOTICE_DUE)
    assert notice.recipient == world.secretary_user and notice.key == f"{NOTICE_DUE}:{order.pk}:{order.deadline}"


def test_a_county_policy_moves_the_reminder(world, order):
    Policy.objects.create(unit=world.county_a, year=(order.deadline - dt.timedelta(days=10)).year,
                          task_reminder_days=10)
    assert corrections_sweep(as_of=order.deadline - dt.timedelta(days=10)) == 1


def test_the_sweep_tells_township_and_county_staff_of_the_proposal_once(world, order):
    as_of = order.deadline + dt.timedelta(days=1)
    assert daily_sweep_run(as_of=as_of, only=["rectification.corrections"]) == {"rectification.corrections": 3}
    recipients = set(Notice.objects.filter(kind=NOTICE_PROPOSED).values_list("recipient__username", flat=True))
    assert recipients == {"staff_a", "supervisor_a", "township_staff"}
    assert corrections_sweep(as_of=as_of) == 0
    assert not Notice.objects.filter(recipient=world.outsider).exists()


# --- pages and API ---

def test_staff_order_from_a_case_and_decide_with_confirmation(world, login):
    case = RectificationCase.objects.create(unit=world.village_a1, year=TODAY.year - 1, origins=["poor_tier"])
    client = login(world.staff_a)
    assert client.get(f"/rectification/cases/{case.pk}/corrections/new/").status_code == 200
    bad = client.post(f"/rectification/cases/{case.pk}/corrections/new/", {"requirement": "", "deadline": ""})
    assert bad.status_code == 400
    deadline = TODAY + dt.timedelta(days=10)
    ok = client.post(f"/rectification/cases/{case.pk}/corrections/new/",
                     {"requirement": "整改组织生活", "deadline": deadline.isoformat()})
    order = case.corrections.get()
    assert ok.status_code == 302 and order.person == world.secretary_a1
    corrections_propose_due(as_of=deadline + dt.timedelta(days=1))
    # without the confirmation nothing ends
    client.post(f"/rectification/corrections/{order.pk}/", {"action": "accept", "reason": "逾期",
                                                            "end_date": TODAY.isoformat()})
    order.refresh_from_db()
    assert order.state == CorrectionState.ADJUSTMENT_PROPOSED
    client.post(f"/rectification/corrections/{order.pk}/", {"action": "accept", "reason": "逾期", "confirm": "yes",
                                                            "end_date": TODAY.isoformat()})
    order.refresh_from_db()
    assert order.state == CorrectionState.ADJUSTED
    page = client.get("/rectification/corrections/?state=adjusted")
    assert page.status_code == 200 and "秦秀英" in page.content.decode() and "书记已调整" in page.content.decode()


def test_the_standalone_form_orders_the_chosen_branch_secretary(world, login):
    client = login(world.staff_a)
    deadline = (TODAY + dt.timedelta(days=10)).isoformat()
    ok = client.post("/rectification/corrections/new/", {"unit": world.village_a2.pk, "requirement": "r",
                                                         "deadline": deadline})
    assert ok.status_code == 302
    assert CorrectionOrder.objects.get().appointment == world.appointment_a2
    outside = client.post("/rectification/corrections/new/", {"unit": world.village_b1.pk, "requirement": "r",
                                                              "deadline": deadline})
    assert outside.status_code == 400 and CorrectionOrder.objects.count() == 1


def test_the_secretary_reads_their_own_order_only(world, order, login, api):
    client = login(world.secretary_user)
    assert client.get(f"/rectification/corrections/{order.pk}/").status_code == 200
    assert client.post(f"/rectification/corrections/{order.pk}/", {"action": "met", "note": "x"}).status_code == 403
    assert api(world.secretary_user).get("/api/v1/correction-orders/").json()["count"] == 1
    assert api(world.person_a2.user or world.outsider).get("/api/v1/correction-orders/").json()["count"] == 0


def test_the_api_marks_met_and_refuses_a_blank_note(world, order, api):
    url = f"/api/v1/correction-orders/{order.pk}/met/"
    blank = api(world.staff_a).post(url, {"note": ""}, format="json")
    assert blank.status_code == 400 and "note" in blank.json()
    assert api(world.staff_a).post(url, {"note": "已整改"}, format="json").json()["state"] == "met"
