"""Read-side queries of rectification (R-RCT-1/3): the ledger (台账) of a jurisdiction and one case's page."""
import datetime as dt

from django.utils import timezone
from django.db.models import Count, Prefetch, Q

from rectification.choices import CaseOrigin, CaseState, TaskState
from rectification.models import (
    CaseEvent,
    CaseResponsibility,
    CorrectionOrder,
    HelpAssignment,
    RectificationCase,
    RectificationTask,
    TaskEvidenceFile,
)


def ledger_annotate(queryset, *, today: dt.date):
    """Task counts per case in the same query: total, done, overdue (open and deadline before today)."""
    return queryset.annotate(
        tasks_total=Count("tasks", distinct=True),
        tasks_done=Count("tasks", filter=Q(tasks__state=TaskState.DONE), distinct=True),
        tasks_overdue=Count("tasks", filter=Q(tasks__state=TaskState.OPEN, tasks__deadline__lt=today),
                            distinct=True),
    )


def ledger_filter(queryset, *, year=None, state=None, unit=None):
    if year:
        queryset = queryset.filter(year=year)
    if state:
        queryset = queryset.filter(state=state)
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    return queryset


def case_age_days(case, *, today: dt.date) -> int:
    """Days from opening to the sign-off, or to today while open."""
    # Calendar days where the department works (TIME_ZONE), not UTC: after 16:00 UTC it is already tomorrow.
    start = timezone.localtime(case.opened_at).date() if case.opened_at else today
    end = timezone.localtime(case.closed_at).date() if case.closed_at else today
    return max(0, (end - start).days)


def ledger_rows(*, user, year=None, state=None, unit=None, today: dt.date | None = None):
    """R-RCT-1/3: the cases the user may see, with their task counts (one query, no query per row)."""
    today = today or dt.date.today()
    qs = RectificationCase.objects.visible_to(user).select_related("unit", "closed_by")
    qs = ledger_filter(qs, year=year, state=state, unit=unit)
    return ledger_annotate(qs, today=today).order_by("-year", "state", "unit__path", "pk")


def ledger_summary(queryset, *, today: dt.date | None = None) -> dict:
    """Open, closed and with overdue tasks, over an (unannotated or annotated) case queryset: one query."""
    today = today or dt.date.today()
    base = RectificationCase.objects.filter(pk__in=queryset.values("pk"))
    return base.aggregate(
        total=Count("pk", distinct=True),
        open=Count("pk", filter=Q(state=CaseState.OPEN), distinct=True),
        closed=Count("pk", filter=Q(state=CaseState.CLOSED), distinct=True),
        with_overdue=Count("pk", filter=Q(tasks__state=TaskState.OPEN, tasks__deadline__lt=today), distinct=True),
    )


def ledger_row_dict(case, *, today: dt.date) -> dict:
    return {
        "id": case.pk, "unit": case.unit_id, "unit_name": case.unit.name, "year": case.year,
        "state": case.state, "state_label": str(case.get_state_display()),
        "origins": list(case.origins), "origin_labels": case.origin_labels,
        "opened_at": case.opened_at.isoformat() if case.opened_at else None,
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "age_days": case_age_days(case, today=today),
        "tasks_total": case.tasks_total, "tasks_done": case.tasks_done, "tasks_overdue": case.tasks_overdue,
    }


def ledger_report(*, user, year=None, state=None, unit=None, today: dt.date | None = None) -> dict:
    """The ledger as a report: its rows and its summary (two queries)."""
    today = today or dt.date.today()
    rows = ledger_rows(user=user, year=year, state=state, unit=unit, today=today)
    return {
        "year": year, "state": state or None, "unit": unit.pk if unit is not None else None,
        "as_of": today.isoformat(),
        "summary": ledger_summary(rows, today=today),
        "results": [ledger_row_dict(c, today=today) for c in rows],
    }


def case_detail(*, user, pk):
    """One case with its lists, history, help and correction orders prefetched (a fixed number of queries)."""
    tasks = (RectificationTask.objects.select_related("owner_person__unit", "owner_unit", "done_by")
             .prefetch_related(Prefetch("files", queryset=TaskEvidenceFile.objects.order_by("uploaded_at", "pk"))))
    return (RectificationCase.objects.visible_to(user).select_related("unit", "opened_by", "closed_by")
            .prefetch_related(
                "problems",
                Prefetch("tasks", queryset=tasks),
                Prefetch("responsibilities", queryset=CaseResponsibility.objects.select_related("person__unit", "unit")),
                Prefetch("events", queryset=CaseEvent.objects.select_related("by").order_by("at", "pk")),
                Prefetch("help", queryset=HelpAssignment.objects.select_related("person", "partner_unit",
                                                                                 "from_unit")),
                Prefetch("corrections", queryset=CorrectionOrder.objects.select_related("person")),
            ).get(pk=pk))


def explanation_items(case) -> list[dict]:
    """R-POL-2: why the case opened, one entry per origin, from what ``case_open``'s callers stored.

    Read robustly: any key may be missing, ``policy`` is the ``EffectivePolicy.explain()`` dict."""
    items = []
    explanation = case.explanation if isinstance(case.explanation, dict) else {}
    for origin in case.origins or []:
        data = explanation.get(origin)
        data = data if isinstance(data, dict) else {}
        label = str(CaseOrigin(origin).label) if origin in CaseOrigin.values else str(origin)
        policy = data.get("policy") if isinstance(data.get("policy"), dict) else {}
        items.append({
            "origin": origin, "label": label, "rule": data.get("rule", ""),
            "tier": data.get("tier"), "composite_score": data.get("composite_score"),
            "listing_reason": data.get("listing_reason"), "reason": data.get("reason"),
            "rank": data.get("rank"), "policy": policy,
            "policy_values": _policy_values(policy),
            "extra": {k: v for k, v in data.items()
                      if k not in {"rule", "tier", "composite_score", "listing_reason", "reason", "rank", "policy"}
                      and isinstance(v, str | int | float)},
        })
    return items


def _policy_values(policy: dict) -> list[dict]:
    """``EffectivePolicy.explain()``'s dict as rows: the field's label, its value, whose policy (or the default)."""
    from core.models import Policy

    rows = []
    for name, value in policy.items():
        try:
            label = str(Policy._meta.get_field(name).verbose_name)
        except Exception:  # an unknown or renamed field still shows, by its name
            label = str(name)
        if isinstance(value, dict):
            rows.append({"name": name, "label": label, "value": value.get("value"), "rule": value.get("rule", ""),
                         "unit": value.get("unit") or "", "year": value.get("year"),
                         "default": bool(value.get("default", not value.get("unit")))})
        else:
            rows.append({"name": name, "label": label, "value": value, "rule": "", "unit": "", "year": None,
                         "default": False})
    return rows


def dashboard_panel(*, user, today: dt.date | None = None) -> dict | None:
    """The dashboard's count of open cases and overdue tasks within the user's subtree (two queries)."""
    today = today or dt.date.today()
    open_cases = RectificationCase.objects.visible_to(user).open().count()
    overdue = (RectificationTask.objects.visible_to(user)
               .filter(state=TaskState.OPEN, case__state=CaseState.OPEN, deadline__lt=today).count())
    if not open_cases and not overdue:
        return None
    return {"open_cases": open_cases, "overdue_tasks": overdue}
