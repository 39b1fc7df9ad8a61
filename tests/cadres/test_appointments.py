"""R-SEL-2 and R-RES-1: appointments and the one-current-secretary rule."""
import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from cadres.choices import AppointmentRole, EndReason, ReserveStatus, SelectionMethod
from cadres.models import Appointment
from cadres.services import appointments as svc
from cadres.services.appointments import appointment_create, appointment_end
from cadres.services.id_numbers import validate_id_number
from tests.factories import PersonFactory, ReserveCandidateFactory


def test_factory_id_numbers_are_valid(db, world):
    assert validate_id_number(world.secretary_a1.id_number) == world.secretary_a1.id_number


def test_a_second_current_secretary_is_refused_with_a_message_naming_the_unit(world):
    newcomer = PersonFactory(unit=world.village_a1)
    with pytest.raises(ValidationError) as exc:
        appointment_create(data={"person": newcomer, "unit": world.village_a1, "role": AppointmentRole.SECRETARY,
                                 "start_date": dt.date(2026, 1, 1)})
    message = exc.value.message_dict["unit"][0]
    assert "东风村党支部" in message and "秦秀英" in message
    assert Appointment.objects.filter(unit=world.village_a1).count() == 1


def test_the_database_refuses_a_second_current_secretary_too(world):
    newcomer = PersonFactory(unit=world.village_a1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(person=newcomer, unit=world.village_a1, role=AppointmentRole.SECRETARY,
                                   start_date=dt.date(2026, 1, 1))


def test_after_ending_the_old_one_a_new_secretary_can_start(world):
    appointment_end(appointment=world.appointment_a1, end_date=dt.date(2025, 12, 31), end_reason=EndReason.TERM_CHANGE)
    newcomer = PersonFactory(unit=world.village_a1)
    new = appointment_create(data={"person": newcomer, "unit": world.village_a1, "role": AppointmentRole.SECRETARY,
                                   "start_date": dt.date(2026, 1, 1)})
    assert new.pk and Appointment.objects.current().secretaries().get(unit=world.village_a1) == new


def test_a_deputy_may_serve_beside_the_secretary(world):
    deputy = PersonFactory(unit=world.village_a1)
    appointment_create(data={"person": deputy, "unit": world.village_a1, "role": AppointmentRole.DEPUTY_SECRETARY,
                             "start_date": dt.date(2026, 1, 1)})
    assert Appointment.objects.current().filter(unit=world.village_a1).count() == 2


def test_an_end_date_before_the_start_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        appointment_end(appointment=world.appointment_a1, end_date=dt.date(2024, 2, 28), end_reason=EndReason.ADJUSTMENT)
    assert exc.value.message_dict["end_date"] == [str(svc.ERR_END_BEFORE_START)]
    world.appointment_a1.refresh_from_db()
    assert world.appointment_a1.end_date is None


def test_votes_are_checked_and_kept_only_for_elections(world):
    person = PersonFactory(unit=world.village_a2)
    base = {"person": person, "unit": world.village_a2, "role": AppointmentRole.DEPUTY_SECRETARY,
            "start_date": dt.date(2026, 1, 1)}
    with pytest.raises(ValidationError) as exc:
        appointment_create(data={**base, "selection_method": SelectionMethod.ELECTION, "votes_cast": 40,
                                 "votes_for": 41})
    assert exc.value.message_dict["votes_for"] == [str(svc.ERR_VOTES_FOR)]
    with pytest.raises(ValidationError) as exc:
        appointment_create(data={**base, "selection_method": SelectionMethod.DISPATCH, "votes_cast": 40})
    assert exc.value.message_dict["selection_method"] == [str(svc.ERR_VOTES_NOT_ELECTION)]


def test_appointing_a_reserve_candidate_closes_the_entry_as_appointed(world):
    """R-RES-1."""
    appointment_end(appointment=world.appointment_a2, end_date=dt.date(2025, 12, 31), end_reason=EndReason.RESIGNATION)
    entry = ReserveCandidateFactory(unit=world.village_a2)
    other_pool = ReserveCandidateFactory(unit=world.village_b1, person=entry.person)
    appointment_create(data={"person": entry.person, "unit": world.village_a2, "role": AppointmentRole.SECRETARY,
                             "start_date": dt.date(2026, 1, 5)})
    entry.refresh_from_db()
    other_pool.refresh_from_db()
    assert (entry.status, entry.closed_on) == (ReserveStatus.APPOINTED, dt.date(2026, 1, 5))
    assert other_pool.status == ReserveStatus.CULTIVATING


def test_history_keeps_who_changed_an_appointment(world):
    """R-SEC-2."""
    appointment_end(appointment=world.appointment_a1, end_date=dt.date(2025, 12, 31), end_reason=EndReason.TERM_CHANGE)
    history = world.appointment_a1.history.all()
    assert [h.history_type for h in history] == ["~", "+"]
    assert history[0].end_date == dt.date(2025, 12, 31)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writers_cannot_both_appoint_a_secretary(world):
    """R-SEL-2 under concurrency: the database constraint decides, the loser gets the clear message."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    appointment_end(appointment=world.appointment_a2, end_date=dt.date(2025, 12, 31), end_reason=EndReason.RESIGNATION)
    people = [PersonFactory(unit=world.village_a2) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def appoint(person):
        try:
            barrier.wait()
            appointment_create(data={"person": person, "unit": world.village_a2, "role": AppointmentRole.SECRETARY,
                                     "start_date": dt.date(2026, 1, 1)})
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.message_dict["unit"][0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=appoint, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes, key=lambda o: o != "ok")[0] == "ok"
    assert outcomes.count("ok") == 1
    assert Appointment.objects.current().secretaries().filter(unit=world.village_a2).count() == 1
