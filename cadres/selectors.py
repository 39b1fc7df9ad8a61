"""Read-side queries of the cadre registry (pages, API, reports, exports use these)."""
import datetime as dt

from dateutil.relativedelta import relativedelta
import re

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from cadres.choices import AppointmentRole, ReserveStatus
from cadres.models import Appointment, Person, ReserveCandidate
from cadres.services.id_numbers import normalise_id_number
from core.choices import Level, Sector
from core.crypto import keyed_hash
from core.models import OrgUnit
from core.selectors import anchor_unit, count_by_path_prefix, initials_q, initials_query, search_text, unit_counts
from core.services.policies import PolicyResolver, policy_defaults, policy_effective


def person_find_by_id_number(*, id_number: str, queryset=None) -> Person | None:
    """The one way to find a person by resident ID number: the column is encrypted, so the
    normalised number's keyed hash is matched (R-SEC-1)."""
    try:
        key = normalise_id_number(id_number)
    except Exception:  # noqa: BLE001 — an unreadable number matches nobody
        return None
    if not key:
        return None
    qs = queryset if queryset is not None else Person.objects.all()
    return qs.filter(id_number_hash=keyed_hash(key)).first()


def people_by_id_numbers(*, id_numbers, queryset=None) -> dict[str, Person]:
    """Bulk form of person_find_by_id_number: normalised number → person, in one query."""
    hashes = set()
    for value in id_numbers:
        try:
            key = normalise_id_number(value)
        except Exception:  # noqa: BLE001
            continue
        if key:
            hashes.add(keyed_hash(key))
    qs = queryset if queryset is not None else Person.objects.all()
    return {p.id_number: p for p in qs.filter(id_number_hash__in=hashes)}


_ID_NUMBER_LIKE = re.compile(r"\d{17}[\dX]|\d{15}")


def people_search(*, queryset, q: str, user):
    """Issue 8 item 3: people of ``queryset`` (already scoped, R-ORG-2) matching a picker's text —
    name (contains) or pinyin initials ("zsy" → 张三一), best first; a full resident ID number
    matches its keyed hash, for staff only (R-SEC-1): for anyone else it matches nobody, so a
    supervisor cannot learn whether a number is on file."""
    q = search_text(q)
    if not q:
        return queryset
    try:
        number = normalise_id_number(q)
    except Exception:  # noqa: BLE001 — not a number
        number = ""
    if number and _ID_NUMBER_LIKE.fullmatch(number):
        if not getattr(user, "is_staff_role", False):
            return queryset.none()
        return queryset.filter(id_number_hash=keyed_hash(number))
    initials = initials_query(q)
    match = Q(name__icontains=q)
    starts = Q(name__startswith=q)
    if initials:
        match |= initials_q(initials)
        starts |= initials_q(initials)
    rank = Case(When(name=q, then=Value(0)), When(starts, then=Value(1)), default=Value(2),
                output_field=IntegerField())
    return queryset.filter(match).annotate(search_rank=rank).order_by("search_rank", "name", "pk")


def current_secretary_subquery():
    return Appointment.objects.filter(
        person=OuterRef("pk"), role=AppointmentRole.SECRETARY, end_date__isnull=True
    )


def people_list(*, user):
    """People in the user's subtree with what their list row shows, in one query."""
    return (
        Person.objects.visible_to(user)
        .select_related("unit")
        .annotate(is_current_secretary=Exists(current_secretary_subquery()))
    )


def reserve_coverage(*, user, year: int) -> dict:
    """R-RES-2: every village branch must have its reserve candidates (一村一名).

    One query for the villages with their open reserve count, one for the policies.
    """
    resolver = PolicyResolver(year=year)
    villages = (
        OrgUnit.objects.visible_to(user)
        .filter(level=Level.BRANCH, sector=Sector.VILLAGE, is_active=True)
        .annotate(reserves=Count("reserve_candidates", filter=Q(reserve_candidates__status=ReserveStatus.CULTIVATING)))
        .only("id", "path", "code", "name")
        .order_by("path")
    )
    lacking, total = [], 0
    for unit in villages:
        total += 1
        required = resolver.for_unit(unit_id=unit.pk, path=unit.path).reserve_min_per_village
        if unit.reserves < required:
            lacking.append({"unit": unit, "reserves": unit.reserves, "required": required})
    covered = total - len(lacking)
    return {
        "rule": "R-RES-2",
        "villages": total,
        "covered": covered,
        "share": round(covered * 100 / total, 1) if total else None,
        "lacking": lacking,
    }


def under_35_ledger(*, user, on_date: dt.date) -> dict:
    """R-RES-3: village secretaries, deputies and reserves younger than the policy's limit on ``on_date``."""
    anchor = anchor_unit(user=user)
    policy = policy_effective(unit=anchor, year=on_date.year) if anchor else policy_defaults(year=on_date.year)
    limit = policy.youth_age_limit
    born_after = on_date - relativedelta(years=limit)
    leaders = (
        Appointment.objects.visible_to(user)
        .current()
        .filter(unit__sector=Sector.VILLAGE, person__birth_date__gt=born_after)
        .select_related("person", "unit")
        .order_by("unit__path", "role")
    )
    reserves = (
        ReserveCandidate.objects.visible_to(user)
        .filter(status=ReserveStatus.CULTIVATING, person__birth_date__gt=born_after)
        .filter(Q(unit__sector=Sector.VILLAGE) | Q(sector=Sector.VILLAGE))
        .select_related("person", "unit")
        .order_by("unit__path")
    )
    return {
        "rule": "R-RES-3",
        "on_date": on_date,
        "age_limit": limit,
        "born_after": born_after,
        "policy": policy.explain("youth_age_limit"),
        "leaders": leaders,
        "reserves": reserves,
    }


def age_on(birth_date: dt.date, on_date: dt.date) -> int:
    return relativedelta(on_date, birth_date).years


def talent_pool(*, user, sector: str | None = None, age_min: int | None = None, age_max: int | None = None,
                education: str | None = None, specialty: str | None = None, on_date: dt.date | None = None):
    """R-RES-4: the party-work talent pool filtered by sector, age band, education and specialty."""
    on_date = on_date or dt.date.today()
    qs = people_list(user=user)
    if sector:
        qs = qs.filter(unit__sector=sector)
    if education:
        qs = qs.filter(education=education)
    if specialty:
        qs = qs.filter(specialty=specialty)
    if age_min is not None:  # at least age_min years old on on_date
        qs = qs.filter(birth_date__lte=on_date - relativedelta(years=age_min))
    if age_max is not None:  # not yet age_max + 1
        qs = qs.filter(birth_date__gt=on_date - relativedelta(years=age_max + 1))
    return qs


def secretaries_below(*, user, prefixes: list[str], width: int) -> dict[str, int]:
    """Current secretaries the user may see in each subtree (registered with ``core.selectors.subtree_counts``)."""
    return count_by_path_prefix(Appointment.objects.visible_to(user).current().secretaries(), path_field="unit__path",
                      prefixes=prefixes, width=width)


def units_by_sector(*, user) -> dict:
    """R-ORG-1: organisations and current secretaries per sector in the user's subtree (two grouped queries).

    The dashboard's chart, its table and ``/api/v1/reports/units-by-sector/`` all read this."""
    counts = unit_counts(user=user)
    secretaries = dict(
        Appointment.objects.visible_to(user).current().secretaries()
        .order_by().values_list("unit__sector").annotate(n=Count("id")))
    # Sectors with neither a unit nor a secretary in the subtree are left out (the chart would be mostly empty rows).
    rows = [{"sector": value, "label": str(label), "units": n_units, "secretaries": secretaries.get(value, 0)}
            for value, label, n_units in counts["by_sector"] if n_units or secretaries.get(value)]
    return {"rule": "R-ORG-1", "units": counts["total"], "secretaries": sum(secretaries.values()), "results": rows}


def dual_leader_share(*, user) -> dict:
    """R-SEL-4: share of current secretaries who are dual leaders, in one aggregate query."""
    agg = (
        Appointment.objects.visible_to(user)
        .current()
        .secretaries()
        .aggregate(total=Count("id"), dual=Count("id", filter=Q(is_dual_leader=True)),
                   full_time=Count("id", filter=Q(is_full_time=True)))
    )
    total = agg["total"]
    return {
        "rule": "R-SEL-4",
        "secretaries": total,
        "dual_leaders": agg["dual"],
        "full_time": agg["full_time"],
        "share": round(agg["dual"] * 100 / total, 1) if total else None,
    }


def _diff(model, newer, older) -> list[str]:
    """Verbose names of the fields that changed between two history rows (no query)."""
    if older is None:
        return []
    changed = []
    for field in model._meta.concrete_fields:
        if field.name in ("id", "created_at", "updated_at", "id_number_hash"):
            continue
        if getattr(newer, field.attname, None) != getattr(older, field.attname, None):
            changed.append(str(field.verbose_name))
    return changed


def person_history(*, user, person: Person, limit: int = 50) -> list[dict]:
    """R-SEC-2: who changed the person or their appointments, and when — two queries.

    Only appointments in units ``user`` can see are told (R-ORG-2): a post the person held in
    another county stays out of sight, as it does on the rest of the page."""
    rows = []
    records = list(person.history.select_related("history_user").order_by("history_date", "history_id"))
    previous = None
    for record in records:
        rows.append({"when": record.history_date, "who": record.history_user, "type": record.history_type,
                     "what": _("profile"), "fields": _diff(Person, record, previous)})
        previous = record
    by_appointment: dict[int, object] = {}
    for record in (Appointment.history.filter(person_id=person.pk,
                                                           unit_id__in=OrgUnit.objects.visible_to(user).values("pk"))
                   .select_related("history_user", "unit")
                   .order_by("history_date", "history_id")):
        older = by_appointment.get(record.id)
        rows.append({"when": record.history_date, "who": record.history_user, "type": record.history_type,
                     "what": _("appointment at {unit}").format(unit=record.unit.name if record.unit_id else "—"),
                     "fields": _diff(Appointment, record, older)})
        by_appointment[record.id] = record
    rows.sort(key=lambda r: r["when"], reverse=True)
    return rows[:limit]
