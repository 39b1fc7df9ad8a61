"""R-DOS-1: a secretary's term file (任期履职档案) — its content, built from the record, and its PDF.

``dossier_content(person=)`` is reader-independent (it signs the record, R-DOS-1) and language-independent
(labels are taken in Chinese, as the file prints them, so a reader's interface language cannot change the
digest); the renderer masks what the reader may not see (R-SEC-1). Set-based: a fixed number of queries
whatever the record holds — one per section's table, never one per row or per year.
"""
import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Min, Q
from django.utils import timezone, translation

from assessment.choices import HonourKind, Tier
from assessment.models import (
    Classification,
    DutyReport,
    EvaluationRating,
    EvaluationSample,
    Honour,
    Sanction,
)
from assessment.selectors import AGG_NOT_CLOSED, AGG_TOO_FEW
from assessment.services.scores import member_score_compute, satisfaction_share
from cadres.choices import AppointmentRole
from cadres.models import Appointment, Person, ReserveCandidate, Talk
from core.models import Policy
from core.services.policies import PolicyResolver
from dossiers.choices import PrintKind
from dossiers.models import DossierPrint
from dossiers.services.pdf import RenderedPdf, pdf_render, print_context
from dossiers.services.verification import print_stamp
from rectification.models import RectificationCase
from stipends.choices import SheetState
from stipends.models import HealthCheck, HealthCheckEntitlement, StipendLine, StipendSheet
from training.choices import CourseKind
from training.models import Attendance
from training.selectors import _initial_applies, report_as_of
from training.services.compliance import (
    annual_training_status,
    days_display,
    hours_per_day,
    initial_training_status,
    rotation_status,
)

# Every section the file holds, in print order; each says 无 when empty.
SECTION_LABELS = {
    "profile": "基本信息",
    "appointments": "任职经历",
    "reserve": "后备人选",
    "training": "培训",
    "duty_reports": "述职报告",
    "evaluations": "民主测评",
    "classifications": "考核等次",
    "rectification": "整顿",
    "honours": "表彰与处理",
    "stipends": "补贴",
    "health": "健康体检",
    "talks": "谈心谈话",
}

RATING_ORDER = ("good", "fairly_good", "average", "poor")


def _d(value) -> str | None:
    """Dates (and the local date of a datetime) as ISO strings: JSON-able and stable."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.isoformat()


def _n(value) -> str | None:
    """Decimals as exact strings."""
    return None if value is None else format(Decimal(value), "f")


class _LoadedPolicies(PolicyResolver):
    """A PolicyResolver over policies already loaded (one query for every year the file needs)."""

    def __init__(self, *, year: int, policies):  # noqa: D107 — deliberately skips the parent's query
        self.year = year
        self._by_path = {p.unit.path: p for p in policies if p.year == year}
        self._cache = {}


def _resolvers(years) -> dict[int, PolicyResolver]:
    years = sorted(set(years))
    policies = list(Policy.objects.filter(year__in=years).select_related("unit")) if years else []
    return {y: _LoadedPolicies(year=y, policies=policies) for y in years}


def _term_years(appointment, *, today: dt.date) -> range:
    """The calendar years of an appointment, up to today's year for one still held."""
    last = appointment.end_date.year if appointment.end_date else today.year
    return range(appointment.start_date.year, max(last, appointment.start_date.year) + 1)


def _led(appointments) -> list:
    return [a for a in appointments if a.role == AppointmentRole.SECRETARY]


def _in_term(led, *, unit_id: int, year: int) -> bool:
    """Whether ``year`` at ``unit_id`` falls in one of the person's secretary terms (open terms have no end)."""
    return any(a.unit_id == unit_id and a.start_date.year <= year
               and (a.end_date is None or year <= a.end_date.year) for a in led)


def _profile(person) -> dict:
    unit = person.unit
    return {
        "name": person.name, "gender": person.get_gender_display(), "ethnicity": person.ethnicity,
        "birth_date": _d(person.birth_date), "id_number": person.id_number, "unit": unit.name,
        "unit_code": unit.code, "education": person.get_education_display(),
        "party_join_date": _d(person.party_join_date), "employer": person.employer, "job_title": person.job_title,
        "is_retired": person.is_retired, "specialty": person.get_specialty_display(),
    }


def _appointments(appointments) -> list[dict]:
    rows = []
    for a in sorted(appointments, key=lambda a: (a.start_date, a.pk)):
        rows.append({
            "unit": a.unit.name, "role": a.get_role_display(), "start_date": _d(a.start_date),
            "planned_end_date": _d(a.planned_end_date), "end_date": _d(a.end_date),
            "end_reason": a.get_end_reason_display(), "selection_method": a.get_selection_method_display(),
            "source_channel": a.get_source_channel_display(), "eligible_voters": a.eligible_voters,
            "votes_cast": a.votes_cast, "votes_for": a.votes_for, "is_full_time": a.is_full_time,
            "is_dual_leader": a.is_dual_leader, "concurrent_posts": a.concurrent_posts,
        })
    return rows


def _reserve(person) -> list[dict]:
    qs = ReserveCandidate.objects.filter(person=person).select_related("unit").order_by("added_on", "pk")
    return [{"unit": r.unit.name, "sector": r.get_sector_display(), "added_on": _d(r.added_on),
             "status": r.get_status_display(), "closed_on": _d(r.closed_on),
             "cultivation_plan": r.cultivation_plan, "assigned_training": r.assigned_training} for r in qs]


def _training(person, led, *, today: dt.date) -> dict:
    """The attendances, and R-TRN-1..3 for each year of each secretary term (training.services.compliance)."""
    attendances = list(Attendance.objects.filter(person=person).select_related("course")
                       .order_by("completed_on", "course__start_date", "pk"))
    courses = [{
        "course": a.course.name, "code": a.course.code, "kind": a.course.get_kind_display(),
        "start_date": _d(a.course.start_date), "end_date": _d(a.course.end_date),
        "hours": _n(a.hours if a.hours is not None else a.course.hours), "days": _n(a.days),
        "completed": a.completed, "completed_on": _d(a.completed_on), "certificate": a.certificate_number,
    } for a in attendances]
    done = [a for a in attendances if a.completed and a.completed_on]
    first_start = min((a.start_date for a in led), default=None)
    pairs = [(a, y) for a in sorted(led, key=lambda a: (a.start_date, a.pk)) for y in _term_years(a, today=today)]
    resolvers = _resolvers(y for _, y in pairs)
    years = []
    for a, year in pairs:
        as_of = report_as_of(year=year, today=today)
        policy = resolvers[year].for_unit(unit_id=a.unit_id, path=a.unit.path)
        per_day = hours_per_day(policy=policy)
        in_year = [x for x in done if x.completed_on.year == year and x.completed_on <= as_of]
        days = sum((Decimal(x.days) if x.days is not None
                    else Decimal(x.hours if x.hours is not None else x.course.hours) / per_day for x in in_year),
                   Decimal("0"))
        initial_on = min((x.completed_on for x in done
                          if x.course.kind == CourseKind.INITIAL and x.completed_on <= as_of), default=None)
        term_end = min(a.planned_end_date or as_of, as_of)
        rotations = sum(1 for x in done if x.course.kind == CourseKind.PARTY_SCHOOL_ROTATION
                        and a.start_date <= x.completed_on <= term_end)
        initial = initial_training_status(first_start=first_start, trained_on=initial_on, as_of=as_of, policy=policy)
        statuses = {
            "initial": initial if _initial_applies(initial, year=year, first_start=first_start) else None,
            "annual": annual_training_status(year=year, days=days, office_start=a.start_date, office_end=a.end_date,
                                             as_of=as_of, policy=policy),
            "rotation": rotation_status(term_start=a.start_date, term_end=a.planned_end_date, rotations=rotations,
                                        as_of=as_of, policy=policy),
        }
        years.append({
            "year": year, "unit": a.unit.name, "days": _n(days_display(days)),
            "days_required": _n(policy.annual_training_days),
            **{key: None if s is None else {"rule": s.rule, "status": s.status_display, "deadline": _d(s.deadline),
                                            "failing": s.is_failing}
               for key, s in statuses.items()},
        })
    return {"courses": courses, "years": years}


def _duty_reports(person) -> list[dict]:
    qs = DutyReport.objects.filter(person=person).select_related("unit").order_by("year", "unit__path", "pk")
    return [{"year": r.year, "unit": r.unit.name, "state": r.get_state_display(),
             "submitted_at": _d(r.submitted_at), "decided_at": _d(r.decided_at),
             "commitments": r.commitments, "work_done": r.work_done, "problems": r.problems, "plans": r.plans,
             "return_reason": r.return_reason} for r in qs]


def _evaluations(led, *, today: dt.date) -> list[dict]:
    """R-ASM-3 aggregates of the branch samples of the person's terms — never a ballot. Shown only once the
    sample is closed and holds the policy's minimum of answers, as assessment.selectors.evaluation_aggregates
    rules; otherwise only why (no count, which beside who handed in a ballot would point at the raters)."""
    unit_ids = {a.unit_id for a in led}
    samples = [s for s in (EvaluationSample.objects.filter(unit_id__in=unit_ids).with_closed(today=today)
                           .select_related("unit").order_by("year", "unit__path", "pk"))
               if _in_term(led, unit_id=s.unit_id, year=s.year)] if unit_ids else []
    counts: dict = defaultdict(dict)
    if samples:
        for sample_id, rating, n in (EvaluationRating.objects.filter(sample__in=[s.pk for s in samples])
                                     .order_by().values_list("sample_id", "rating").annotate(n=Count("id"))):
            counts[sample_id][rating] = n
    resolvers = _resolvers(s.year for s in samples)
    rows = []
    for s in samples:
        policy = resolvers[s.year].for_unit(unit_id=s.unit_id, path=s.unit.path)
        c = counts.get(s.pk, {})
        shown = bool(s.is_closed) and sum(c.values()) >= policy.evaluation_min_answers
        rows.append({
            "year": s.year, "unit": s.unit.name, "sample_size": s.sample_size, "shown": shown,
            "reason": None if shown else ("答卷数不足最低要求" if s.is_closed else "测评尚未结束"),
            "reason_code": None if shown else (AGG_TOO_FEW if s.is_closed else AGG_NOT_CLOSED),
            "answers": sum(c.values()) if shown else None,
            "ratings": [c.get(k, 0) for k in RATING_ORDER] if shown else None,
            "member_score": _n(member_score_compute(counts=c)) if shown else None,
            "satisfaction": _n(satisfaction_share(counts=c)) if shown else None,
        })
    return rows


def _classifications(led) -> list[dict]:
    unit_ids = {a.unit_id for a in led}
    qs = (Classification.objects.filter(unit_id__in=unit_ids).select_related("unit").order_by("year", "unit__path")
          if unit_ids else [])
    return [{"year": c.year, "unit": c.unit.name, "tier": c.get_tier_display(), "stars": c.stars,
             "composite_score": _n(c.composite_score), "superior_score": _n(c.superior_score),
             "member_score": _n(c.member_score), "movement": c.get_movement_display(),
             "override_reason": c.override_reason}
            for c in qs if _in_term(led, unit_id=c.unit_id, year=c.year)]


def _rectification(led) -> list[dict]:
    unit_ids = {a.unit_id for a in led}
    qs = (RectificationCase.objects.filter(unit_id__in=unit_ids).select_related("unit")
          .order_by("year", "unit__path") if unit_ids else [])
    return [{"year": c.year, "unit": c.unit.name, "origins": "、".join(c.origin_labels), "state": c.get_state_display(),
             "opened_on": _d(c.opened_at), "closed_on": _d(c.closed_at), "summary": c.summary,
             "sign_off_note": c.sign_off_note}
            for c in qs if _in_term(led, unit_id=c.unit_id, year=c.year)]


def _honours(person, led) -> dict:
    unit_ids = {a.unit_id for a in led}
    honours = (Honour.objects.filter(Q(person=person) | Q(unit_id__in=unit_ids, kind=HonourKind.RED_FLAG))
               .select_related("unit").order_by("year", "kind", "unit__path", "pk"))
    sanctions = Sanction.objects.filter(person=person).select_related("unit").order_by("year", "unit__path", "pk")
    return {
        "honours": [{"year": h.year, "kind": h.get_kind_display(), "unit": h.unit.name, "level": h.get_level_display(),
                     "stage": h.get_stage_display(), "withdrawn_on": _d(h.withdrawn_at),
                     "withdrawn_reason": h.withdrawn_reason}
                    for h in honours if h.person_id == person.pk or _in_term(led, unit_id=h.unit_id, year=h.year)],
        "sanctions": [{"year": s.year, "unit": s.unit.name, "applies_to_year": s.applies_to_year,
                       "reason": s.get_reason_display()} for s in sanctions],
    }


def _stipends(person) -> list[dict]:
    """R-STP-4: lines of approved sheets only (a draft may still change; a superseded one was corrected)."""
    qs = (StipendLine.objects.filter(person=person, sheet__state=SheetState.APPROVED)
          .select_related("sheet", "unit").order_by("sheet__year", "unit__path", "pk"))
    return [{"year": line.sheet.year, "version": line.sheet.version, "unit": line.unit.name,
             "regime": line.get_regime_display(), "form": line.get_form_display(),
             "tier": str(Tier(line.tier).label) if line.tier in Tier.values else line.tier,
             "coefficient": _n(line.coefficient), "months": line.months, "in_office_from": _d(line.in_office_from),
             "in_office_until": _d(line.in_office_until), "amount": _n(line.amount),
             "approved_on": _d(line.sheet.approved_at)} for line in qs]


def _health(person) -> dict:
    checks = HealthCheck.objects.filter(person=person).select_related("unit").order_by("decided_on", "pk")
    entitlements = (HealthCheckEntitlement.objects.filter(person=person).select_related("unit")
                    .order_by("year", "unit__path", "pk"))
    return {
        "entitlements": [{"year": e.year, "unit": e.unit.name, "period_start": _d(e.period_start),
                          "qualified_on": _d(e.qualified_on), "good_years": sorted(e.good_years or [])}
                         for e in entitlements],
        "checks": [{"kind": c.get_kind_display(), "basis": c.get_basis_display(), "unit": c.unit.name,
                    "decided_on": _d(c.decided_on), "decision": c.decision, "done_on": _d(c.done_on),
                    "place": c.place, "cost": _n(c.cost), "paid_by": c.paid_by} for c in checks],
    }


def _talks(person) -> list[dict]:
    qs = Talk.objects.filter(person=person).select_related("unit").order_by("date", "pk")
    return [{"date": _d(t.date), "kind": t.get_kind_display(), "unit": t.unit.name, "talker": t.talker_name,
             "talker_position": t.talker_position, "notes": t.notes} for t in qs]


def dossier_content(*, person: Person, today: dt.date | None = None) -> dict:
    """The record as printed: one key per section (SECTION_LABELS, in order), JSON-able values in a fixed order.

    About 16 queries whatever the record holds. Labels are Chinese whatever the active language.
    """
    today = today or timezone.localdate()
    with translation.override("zh-hans"):
        appointments = list(Appointment.objects.filter(person=person).select_related("unit")
                            .order_by("start_date", "pk"))
        led = _led(appointments)
        content = {
            "profile": _profile(person),
            "appointments": _appointments(appointments),
            "reserve": _reserve(person),
            "training": _training(person, led, today=today),
            "duty_reports": _duty_reports(person),
            "evaluations": _evaluations(led, today=today),
            "classifications": _classifications(led),
            "rectification": _rectification(led),
            "honours": _honours(person, led),
            "stipends": _stipends(person),
            "health": _health(person),
            "talks": _talks(person),
        }
    return content


def section_is_empty(value) -> bool:
    if isinstance(value, dict):
        return all(section_is_empty(v) for v in value.values())
    return not value


def dossier_content_for_print(row: DossierPrint) -> dict | None:
    """The content again, from the record as it is now but as of the print's day: the years of an open term
    and the state of a year still running are those of that day, so a file does not turn outdated on
    1 January by itself — only a change of the record does (R-DOS-1)."""
    person = Person.objects.select_related("unit").filter(pk=row.person_id).first()
    return dossier_content(person=person, today=timezone.localtime(row.printed_at).date()) if person else None


def dossier_changed_on(row: DossierPrint) -> dt.date | None:
    """The first day (local) after printing on which the person's record changed: the history tables of the
    file's sections (R-SEC-2) for this person, and those of the branches they led. One query per table."""
    after = row.printed_at
    pid = row.person_id
    branch_ids = list(Appointment.history.filter(person_id=pid, role=AppointmentRole.SECRETARY).order_by()
                      .values_list("unit_id", flat=True).distinct())
    sheets = StipendLine.objects.filter(person_id=pid).values("sheet_id")
    sources = [
        Person.history.filter(id=pid),
        Appointment.history.filter(person_id=pid),
        ReserveCandidate.history.filter(person_id=pid),
        Attendance.history.filter(person_id=pid),
        DutyReport.history.filter(person_id=pid),
        Classification.history.filter(unit_id__in=branch_ids),
        RectificationCase.history.filter(unit_id__in=branch_ids),
        Honour.history.filter(Q(person_id=pid) | Q(unit_id__in=branch_ids, kind=HonourKind.RED_FLAG)),
        Sanction.history.filter(person_id=pid),
        StipendSheet.history.filter(id__in=sheets),
        HealthCheck.history.filter(person_id=pid),
        Talk.history.filter(person_id=pid),
    ]
    firsts = [qs.filter(history_date__gt=after).aggregate(first=Min("history_date"))["first"] for qs in sources]
    firsts = [f for f in firsts if f is not None]
    return timezone.localtime(min(firsts)).date() if firsts else None


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _for_display(value):
    """The content as the template shows it: ISO date strings back to dates (for ``|date``)."""
    if isinstance(value, dict):
        return {k: _for_display(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_for_display(v) for v in value]
    if isinstance(value, str) and _ISO_DATE.match(value):
        return dt.date.fromisoformat(value)
    return value


def dossier_filename(person: Person) -> str:
    return f"{person.unit.name}-{person.name}-任期履职档案.pdf"


def dossier_pdf(*, person: Person, user, reveal_id: bool = False, purpose: str = "", ip: str | None = None,
                now=None) -> RenderedPdf:
    """Render ``person``'s dossier for ``user`` and record the print (its verification code).

    R-SEC-1: the ID number prints masked; with ``reveal_id`` it prints in full for staff of the person's
    subtree, after the reveal is written to the access log (``person_reveal``); anyone else asking gets
    PermissionDenied, as the person API answers the same question.
    """
    id_number = person.masked_id_number
    if reveal_id:
        from cadres.services.personal_data import person_reveal

        id_number = person_reveal(user=user, person=person, fields={"id_number"}, purpose=purpose,
                                  ip=ip)["id_number"]
    # In UTC, as the database gives it back: the code signs printed_at's ISO form (verification._code_for).
    now = (now or timezone.now()).replace(microsecond=0).astimezone(dt.timezone.utc)
    content = dossier_content(person=person, today=timezone.localtime(now).date())
    stamp = print_stamp(kind=PrintKind.PERSON_DOSSIER, content=content, unit=person.unit, person=person,
                        user=user, now=now)
    numerals = "一二三四五六七八九十"
    sections = {key: {"label": label, "number": numerals[i] if i < 10 else "十" + numerals[i - 10],
                      "empty": section_is_empty(content[key])}
                for i, (key, label) in enumerate(SECTION_LABELS.items())}
    context = {
        **print_context(user=user, stamp=stamp, title="任期履职档案", unit_name=person.unit.name,
                        person_name=person.name),
        "person": person, "content": _for_display(content), "sections": sections, "section_labels": SECTION_LABELS,
        "id_number": id_number,
    }
    rendered = pdf_render(template_name="dossiers/pdf/person.html", context=context,
                          filename=dossier_filename(person))
    DossierPrint.objects.filter(pk=stamp.pk).update(pages=rendered.pages)
    return rendered
