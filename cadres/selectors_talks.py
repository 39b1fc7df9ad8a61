"""R-TLK-1: the talks recorded with a person, and the talks missing or overdue in a jurisdiction.

Decisions (documented in the README too):

* **Overdue.** Each serving secretary (a current SECRETARY appointment started on or before
  ``as_of``) is talked with at least every ``talk_interval_months`` (the policy of the branch for
  ``as_of``'s year, R-POL-1). Calendar months with ``relativedelta``: the next talk is due on
  ``last talk + interval`` (the 31st plus six months is the end of the sixth month); overdue when
  that date lies before ``as_of`` — on the due date itself it is not yet overdue. A secretary
  not talked with since the post began (never, or only in an earlier post) counts from the
  appointment's start. A talk of any kind counts.
* **Appointment talk missing.** A current secretary appointment needs a talk of kind appointment or
  reappointment dated on or after its start (or linked to it). Only appointments started in
  ``as_of``'s year or the year before are asked for one, so posts held since before the system's
  records do not flood the list (as the training sweep does with its deadlines).
* **Departure talk missing.** A secretary appointment that ended within the last interval
  (``end_date + interval >= as_of``) needs a departure talk dated on or after its start (or
  linked to it).
* **Annual assessment talk missing.** Asked of higher apps through ``cadres.talk_requirements``
  (the assessment app registers it).
"""
import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from cadres.choices import AppointmentRole, TalkKind
from cadres.models import Appointment, Person, Talk
from core.formatting import date_text
from core.models import OrgUnit, Policy
from core.services.policies import PolicyResolver

RULE = "R-TLK-1"
OVERDUE = "overdue"
POLICY_FIELD = "talk_interval_months"

REQUIREMENT_LABELS = {
    OVERDUE: _("Regular talk overdue"),
    TalkKind.APPOINTMENT: _("Appointment talk missing"),
    TalkKind.DEPARTURE: _("Departure talk missing"),
    TalkKind.ANNUAL_ASSESSMENT: _("Annual assessment talk missing"),
    TalkKind.REAPPOINTMENT: _("Reappointment talk missing"),
    TalkKind.REGULAR: _("Regular talk missing"),
}
REASON_OVERDUE = _("No talk since {last}; one is due at least every {months} months, so by {due}.")
REASON_NEVER = _("No talk recorded since the appointment on {start}; one was due within {months} months, by {due}.")
REASON_APPOINTMENT = _("Appointed on {start} without an appointment or reappointment talk.")
REASON_DEPARTURE = _("Left the post on {end} without a departure talk.")


@dataclass
class TalkDue:
    """One missing or overdue talk, with what it was computed from (R-POL-2)."""

    person: Person
    unit: OrgUnit
    requirement: str  # a TalkKind value (that talk is missing) or "overdue"
    due_date: dt.date
    last_talk_date: dt.date | None
    reason: str
    interval_months: int
    policy: dict = field(default_factory=dict)
    rule: str = RULE

    @property
    def requirement_label(self) -> str:
        return str(REQUIREMENT_LABELS.get(self.requirement, self.requirement))

    @property
    def kind_to_record(self) -> str:
        """The kind of talk that settles this row."""
        return TalkKind.REGULAR if self.requirement == OVERDUE else self.requirement


def talks_for_person(*, person: Person, limit: int | None = None):
    """R-TLK-1 / R-DOS-1: a person's talks, newest first (the person page; the dossier later)."""
    qs = Talk.objects.filter(person=person).select_related("unit").order_by("-date", "-pk")
    return qs[:limit] if limit else qs


def _add_months(day: dt.date, months: int) -> dt.date:
    return day + relativedelta(months=months)


def talks_due(*, scope_path: str = "", as_of: dt.date, person_ids=None) -> list[TalkDue]:
    """R-TLK-1: the missing and overdue talks of the secretaries in the subtree at ``scope_path``.

    Set-based: one query for the current posts (with each person's last talk and whether the
    appointment talk exists, as subqueries), one for the posts ended lately, one for the
    policies, and what the registered providers need (a few each); none per row.
    ``person_ids`` narrows the list (a secretary sees only their own).
    """
    resolver = PolicyResolver(year=as_of.year)

    def policy_of(unit):
        return resolver.for_unit(unit_id=unit.pk, path=unit.path)

    talks = Talk.objects.filter(person=OuterRef("person_id"), date__lte=as_of)
    last_talk = talks.order_by().values("person").annotate(last=Max("date")).values("last")
    opening_talk = talks.filter(Q(appointment=OuterRef("pk")) | Q(
        kind__in=(TalkKind.APPOINTMENT, TalkKind.REAPPOINTMENT), date__gte=OuterRef("start_date")))
    posts = (Appointment.objects.filter(role=AppointmentRole.SECRETARY, end_date__isnull=True,
                                        start_date__lte=as_of, unit__path__startswith=scope_path)
             .select_related("person", "unit")
             .annotate(last_talk=Subquery(last_talk), has_opening_talk=Exists(opening_talk)))
    if person_ids is not None:
        posts = posts.filter(person_id__in=person_ids)
    rows: list[TalkDue] = []
    opening_since = dt.date(as_of.year - 1, 1, 1)
    for post in posts.order_by("unit__path", "pk"):
        policy = policy_of(post.unit)
        months = policy.talk_interval_months
        explained = policy.explain(POLICY_FIELD)
        if not post.has_opening_talk and post.start_date >= opening_since:
            rows.append(TalkDue(
                person=post.person, unit=post.unit, requirement=TalkKind.APPOINTMENT, due_date=post.start_date,
                last_talk_date=post.last_talk, interval_months=months, policy=explained,
                reason=str(REASON_APPOINTMENT).format(start=date_text(post.start_date))))
        # A talk held before this post began (in an earlier post) does not push the start back.
        talked_in_post = post.last_talk is not None and post.last_talk >= post.start_date
        base = post.last_talk if talked_in_post else post.start_date
        due = _add_months(base, months)
        if due < as_of:
            template = REASON_OVERDUE if talked_in_post else REASON_NEVER
            rows.append(TalkDue(
                person=post.person, unit=post.unit, requirement=OVERDUE, due_date=due,
                last_talk_date=post.last_talk, interval_months=months, policy=explained,
                reason=str(template).format(last=date_text(base), start=date_text(base), months=months,
                                            due=date_text(due))))

    # Posts ended lately: the longest interval in force bounds the window of the query; each
    # post is then checked against its own branch's interval.
    longest = max(resolver.for_unit(unit_id=0, path="").talk_interval_months,
                  Policy.objects.filter(year=as_of.year).aggregate(m=Max(POLICY_FIELD))["m"] or 0)
    closing_talk = Talk.objects.filter(person=OuterRef("person_id"), date__lte=as_of).filter(
        Q(appointment=OuterRef("pk")) | Q(kind=TalkKind.DEPARTURE, date__gte=OuterRef("start_date")))
    ended = (Appointment.objects.filter(role=AppointmentRole.SECRETARY, end_date__isnull=False,
                                        end_date__lte=as_of, end_date__gte=as_of - relativedelta(months=longest),
                                        unit__path__startswith=scope_path)
             .select_related("person", "unit")
             .annotate(last_talk=Subquery(last_talk), has_closing_talk=Exists(closing_talk))
             .filter(has_closing_talk=False))
    if person_ids is not None:
        ended = ended.filter(person_id__in=person_ids)
    for post in ended.order_by("unit__path", "pk"):
        policy = policy_of(post.unit)
        months = policy.talk_interval_months
        if _add_months(post.end_date, months) < as_of:
            continue
        rows.append(TalkDue(
            person=post.person, unit=post.unit, requirement=TalkKind.DEPARTURE, due_date=post.end_date,
            last_talk_date=post.last_talk, interval_months=months, policy=policy.explain(POLICY_FIELD),
            reason=str(REASON_DEPARTURE).format(end=date_text(post.end_date))))

    rows.extend(_required_by_providers(scope_path=scope_path, as_of=as_of, person_ids=person_ids,
                                       policy_of=policy_of))
    rows.sort(key=lambda r: (r.unit.path, r.person.name, r.due_date, r.requirement))
    return rows


def _required_by_providers(*, scope_path, as_of, person_ids, policy_of) -> list[TalkDue]:
    from cadres.talk_requirements import registered_talk_requirements

    wanted = []
    for _name, provider in registered_talk_requirements():
        wanted.extend(provider(scope_path=scope_path, as_of=as_of))
    if person_ids is not None:
        allowed = set(person_ids)
        wanted = [w for w in wanted if w[0] in allowed]
    if not wanted:
        return []
    people = Person.objects.in_bulk({w[0] for w in wanted})
    units = OrgUnit.objects.in_bulk({w[1] for w in wanted})
    last = dict(Talk.objects.filter(person_id__in=people, date__lte=as_of).order_by().values("person")
                .annotate(last=Max("date")).values_list("person", "last"))
    rows = []
    for person_id, unit_id, kind, due, reason in wanted:
        person, unit = people.get(person_id), units.get(unit_id)
        if person is None or unit is None or not unit.path.startswith(scope_path):
            continue
        policy = policy_of(unit)
        rows.append(TalkDue(person=person, unit=unit, requirement=kind, due_date=due,
                            last_talk_date=last.get(person_id), interval_months=policy.talk_interval_months,
                            policy=policy.explain(POLICY_FIELD), reason=str(reason)))
    return rows


def talks_due_for_user(*, user, unit: OrgUnit | None = None, as_of: dt.date) -> list[TalkDue]:
    """R-TLK-1 / R-ORG-2: the talks-due list a user may see — their subtree (or ``unit``'s, which the
    caller has checked is visible); a secretary only their own rows; nothing without a unit."""
    from core.choices import Role
    from core.selectors import anchor_unit

    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if unit is None and user.is_superuser and not user.unit_id:
        return talks_due(scope_path="", as_of=as_of)
    top = unit or anchor_unit(user=user)
    if top is None:
        return []
    person_ids = None
    if not user.is_superuser and user.role == Role.SECRETARY:
        person_ids = list(Person.objects.filter(user=user).values_list("pk", flat=True))
        if not person_ids:
            return []
    elif not user.is_superuser and not top.path.startswith(user.unit.path):
        return []
    return talks_due(scope_path=top.path, as_of=as_of, person_ids=person_ids)
