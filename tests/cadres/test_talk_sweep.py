"""R-TLK-1 / R-JOB-2: the talks part of the daily sweep tells the branch's superiors once."""
import datetime as dt

from cadres.choices import TalkKind
from cadres.models import Talk
from cadres.sweeps import NOTICE_KIND, talk_notice_key, talks_due_sweep
from core.choices import Role
from core.models import Notice
from core.sweeps import daily_sweep_run, registered_sweeps
from tests.factories import make_user

AS_OF = dt.date(2026, 9, 1)


def test_the_sweep_is_registered_as_a_part_of_the_daily_sweep():
    assert "cadres.talks" in {s.name for s in registered_sweeps()}


def test_overdue_talks_reach_the_parent_unit_staff_once(world):
    township_sup = make_user(unit=world.township_a, role=Role.SUPERVISOR, username="township_sup")
    Talk.objects.create(person=world.secretary_a1, unit=world.village_a1, date=dt.date(2026, 5, 1),
                        kind=TalkKind.REGULAR, talker_name="王书记")
    first = talks_due_sweep(as_of=AS_OF)
    notices = Notice.objects.filter(kind=NOTICE_KIND).exclude(recipient__username="outsider")
    # 杨志强 (village A2) is overdue; 秦秀英 talked four months ago is not; 吴国庆 goes to county B's staff
    assert first == 3 and notices.count() == 2
    assert set(notices.values_list("recipient__username", flat=True)) == {"township_staff", "township_sup"}
    assert {n.key for n in notices} == {talk_notice_key(person_id=world.person_a2.pk, requirement="overdue",
                                                        due=dt.date(2025, 5, 1))}
    notice = notices.first()
    assert "杨志强" in notice.title and notice.url.startswith("/cadres/talks/new/?person=")
    assert f"person={world.person_a2.pk}" in notice.url
    assert talks_due_sweep(as_of=AS_OF) == 0
    assert daily_sweep_run(as_of=AS_OF, only=["cadres.talks"]) == {"cadres.talks": 0}
    assert Notice.objects.filter(kind=NOTICE_KIND).count() == 3
    del township_sup


def test_with_nobody_at_the_parent_unit_the_nearest_unit_above_with_users_is_told(world):
    world.township_staff.delete()
    # county A's two secretaries × (staff_a, supervisor_a), and county B's one to its staff
    assert talks_due_sweep(as_of=AS_OF) == 5
    recipients = set(Notice.objects.filter(kind=NOTICE_KIND).values_list("recipient__username", flat=True))
    assert recipients == {"staff_a", "supervisor_a", "outsider"}
    # county B's secretary: nobody above in county B but the outsider, who is county B's staff
    assert not Notice.objects.filter(kind=NOTICE_KIND, recipient__username="outsider",
                                     key__contains=f":{world.person_a2.pk}:").exists()
    assert Notice.objects.filter(recipient__username="outsider", key__contains=f":{world.person_b1.pk}:").exists()
