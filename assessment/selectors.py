"""Read-side queries of the annual assessment, used by pages, the API and reports."""
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.choices import DISTRICT_OR_ABOVE, HonourKind, HonourStage, Tier
from assessment.models import (
    AssessmentCycle,
    Classification,
    DutyReport,
    EvaluationRating,
    EvaluationSample,
    Honour,
    Sanction,
)
from assessment.services.classification import upgrade_targets_compute
from assessment.services.scores import member_score_compute, satisfaction_share
from core.models import OrgUnit
from core.selectors import anchor_unit
from core.services.policies import PolicyResolver, policy_defaults, policy_effective


def upgrade_targets_for_unit(*, unit: OrgUnit | None, year: int, user=None) -> dict:
    """R-CLS-4 for one jurisdiction: two queries (the classifications, the policy).

    With ``user``, only the classifications that user may see are counted: a secretary's are the
    published ones of their own branch, never the tiers of a year still in calibration (R-CLS-6).
    Without a unit (a login attached to none) nothing is counted. Only the annual review, which
    runs for its cycle's whole jurisdiction, passes no user."""
    rows = Classification.objects.all() if user is None else Classification.objects.visible_to(user)
    if unit is None:
        rows = rows.none()
    else:
        rows = rows.filter(unit__path__startswith=unit.path)
    rows = (rows.filter(year=year).exclude(previous_tier="").order_by("unit__path")
            .values("unit_id", "unit__name", "previous_tier", "tier"))
    policy = policy_effective(unit=unit, year=year) if unit is not None else policy_defaults(year=year)
    data = upgrade_targets_compute(
        rows=({"unit_id": r["unit_id"], "name": r["unit__name"], "previous_tier": r["previous_tier"],
               "tier": r["tier"]} for r in rows),
        policy=policy,
    )
    data.update({"unit": unit.pk if unit else None, "unit_name": unit.name if unit else "", "year": year})
    return data


def upgrade_targets(*, user, year: int, unit: OrgUnit | None = None) -> dict:
    """R-CLS-4 for the user's jurisdiction, or a unit within it, counting only what the user may see.

    Each group also carries what its chart and table show: the tier's Chinese ``label``, the shares in
    percent and ``behind_count`` — the page, its chart (via /api/v1/reports/upgrade-targets/) and the API
    all read this one dict, so they cannot disagree."""
    data = upgrade_targets_for_unit(unit=unit or anchor_unit(user=user), year=year, user=user)
    labels = dict(Tier.choices)
    for g in data["groups"]:
        g["label"] = str(labels[g["previous_tier"]])
        g["target_pct"] = round(float(g["target"]) * 100, 1)
        g["actual_pct"] = round(float(g["actual"]) * 100, 1) if g["actual"] is not None else None
        g["behind_count"] = len(g["behind"])
    return data


TIER_NONE_LABEL = _("Unclassified")


def calibration(*, user, year: int, unit: OrgUnit | None = None) -> dict:
    """R-CLS-6: the tier distribution per township and per sector, side by side (two queries)."""
    base = unit or anchor_unit(user=user)
    qs = Classification.objects.visible_to(user).filter(year=year)
    qs = qs.filter(unit__path__startswith=base.path) if base else qs.none()
    step = OrgUnit.steplen
    # The township of a branch is its ancestor one level below the county, i.e. by path prefix.
    counts = list(qs.order_by().values("unit__path", "unit__sector", "tier").annotate(n=Count("id")))
    by_sector: dict = defaultdict(lambda: defaultdict(int))
    by_prefix: dict = defaultdict(lambda: defaultdict(int))
    depth = base.depth + 1 if base else 1
    for row in counts:
        by_sector[row["unit__sector"]][row["tier"] or ""] += row["n"]
        by_prefix[row["unit__path"][: depth * step]][row["tier"] or ""] += row["n"]
    names = dict(OrgUnit.objects.filter(path__in=list(by_prefix)).values_list("path", "name"))
    tiers = [t.value for t in Tier] + [""]
    tier_labels = {**{t.value: str(t.label) for t in Tier}, "": str(TIER_NONE_LABEL)}

    def rows(source, label):
        out = []
        for key, per in sorted(source.items()):
            total = sum(per.values())
            cells, offset = [], 0.0
            for t in tiers:
                share = round(per.get(t, 0) * 100 / total, 1) if total else 0
                cells.append({"tier": t, "label": tier_labels[t], "count": per.get(t, 0), "share": share,
                              "offset": round(offset, 1)})
                offset += share
            # ``counts`` by tier code ("none": unclassified) is what the chart reads (data-chart-url).
            out.append({"key": key, "label": label(key), "total": total, "tiers": cells,
                        "counts": {c["tier"] or "none": c["count"] for c in cells}})
        return out

    from core.choices import Sector

    sector_labels = dict(Sector.choices)
    return {
        "rule": "R-CLS-6",
        "unit": base,
        "year": year,
        "tiers": tiers,
        "tier_legend": [{"tier": t or "none", "label": tier_labels[t]} for t in tiers],
        "by_township": rows(by_prefix, lambda k: names.get(k, k)),
        "by_sector": rows(by_sector, lambda k: str(sector_labels.get(k, k))),
        "cycle": AssessmentCycle.objects.filter(unit=base, year=year).first() if base else None,
    }


AGG_NOT_CLOSED = "not_closed"
AGG_TOO_FEW = "too_few_answers"


def evaluation_aggregates(*, samples, year: int | None = None) -> dict[int, dict]:
    """R-ASM-3: counts, member score and satisfaction share per sample, in two queries.

    An aggregate is given only once the sample is closed (staff closed it, or a cycle over the
    branch is past its evaluations-due date) and at least the policy's minimum of answers
    exists. Otherwise it says only why — not how many answers there are, since a count of one
    or two, beside who handed in a ballot, points at the people who rated.
    """
    samples = list(samples)
    ids = [s.pk for s in samples]
    counts: dict = defaultdict(dict)
    for sample_id, rating, n in (EvaluationRating.objects.filter(sample__in=ids)
                                 .order_by().values_list("sample_id", "rating").annotate(n=Count("id"))):
        counts[sample_id][rating] = n
    closed = set(EvaluationSample.objects.filter(pk__in=ids).closed().values_list("pk", flat=True)) if ids else set()
    resolvers: dict[int, PolicyResolver] = {}
    out = {}
    for s in samples:
        if s.year not in resolvers:  # not setdefault: its default would load the policies per sample
            resolvers[s.year] = PolicyResolver(year=s.year)
        resolver = resolvers[s.year]
        policy = resolver.for_unit(unit_id=s.unit_id, path=s.unit.path)
        c = counts.get(s.pk, {})
        minimum = policy.evaluation_min_answers
        is_closed = s.pk in closed
        shown = is_closed and sum(c.values()) >= minimum
        out[s.pk] = {
            "rule": "R-ASM-3",
            "closed": is_closed,
            "closed_at": s.closed_at,
            "min_answers": minimum,
            "shown": shown,
            "reason": None if shown else (AGG_TOO_FEW if is_closed else AGG_NOT_CLOSED),
            "answers": sum(c.values()) if shown else None,
            "rating_counts": dict(sorted(c.items())) if shown else None,
            "member_score": member_score_compute(counts=c) if shown else None,
            "satisfaction": satisfaction_share(counts=c) if shown else None,
            "policy": policy.explain("evaluation_min_answers"),
        }
    return out


def evaluation_satisfaction_for_jurisdiction(*, user, year: int, unit: OrgUnit | None = None) -> dict:
    """R-ASM-3: the satisfaction share over all branches of a jurisdiction with enough answers."""
    base = unit or anchor_unit(user=user)
    samples = EvaluationSample.objects.visible_to(user).filter(year=year).select_related("unit")
    samples = samples.filter(unit__path__startswith=base.path) if base else samples.none()
    aggs = evaluation_aggregates(samples=samples)
    total: dict = defaultdict(int)
    branches = 0
    for agg in aggs.values():
        if agg["shown"]:
            branches += 1
            for k, v in agg["rating_counts"].items():
                total[k] += v
    return {"rule": "R-ASM-3", "unit": base.pk if base else None, "year": year, "branches": branches,
            "answers": sum(total.values()), "satisfaction": satisfaction_share(counts=total)}


def person_assessment(*, user, person) -> dict:
    """R-CLS-5, R-HON-1..3: what the person's assessment page shows: sanctions, honours, the promotion flag."""
    sanctions = list(Sanction.objects.visible_to(user).filter(person=person).select_related("unit"))
    honours = list(Honour.objects.visible_to(user).filter(person=person).select_related("unit"))
    policy = policy_effective(unit=person.unit, year=timezone.localdate().year)
    counted = [h for h in honours if h.kind != HonourKind.RED_FLAG and h.stage == HonourStage.NAMED
               and not h.is_withdrawn and h.level in DISTRICT_OR_ABOVE]
    return {
        "sanctions": sanctions,
        "honours": honours,
        "district_honours": len(counted),
        "promotion_candidate": len(counted) >= policy.promotion_award_count,
        "promotion_policy": policy.explain("promotion_award_count"),
    }


def sanctioned_person_ids(*, year: int, person_ids) -> set[int]:
    """R-CLS-5: who among ``person_ids`` may not be promoted or awarded in ``year``."""
    return set(Sanction.objects.filter(applies_to_year=year, person_id__in=list(person_ids))
               .values_list("person_id", flat=True))


def classifications_for(*, user, year: int):
    return (Classification.objects.visible_to(user).filter(year=year)
            .select_related("unit", "cycle").order_by("unit__path"))


def duty_reports_waiting(*, user):
    from assessment.choices import DutyReportState
    from assessment.models import DutyReport

    return DutyReport.objects.visible_to(user).filter(Q(state=DutyReportState.SUBMITTED))


def secretaries_of_year(*, unit_ids, year: int) -> dict[int, list]:
    """The people who held a branch's secretary post during ``year``, per branch (one query)."""
    import datetime as dt

    from cadres.choices import AppointmentRole
    from cadres.models import Appointment

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out: dict[int, list] = defaultdict(list)
    for a in (Appointment.objects.filter(unit_id__in=list(unit_ids), role=AppointmentRole.SECRETARY,
                                         start_date__lte=last)
              .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
              .select_related("person").order_by("unit_id", "start_date")):
        out[a.unit_id].append(a.person)
    return out


def _policy_rows(explained: dict) -> list[dict]:
    """R-POL-2: an explanation's policy values with their labels and where they came from."""
    from core.models import Policy

    rows = []
    for name, p in explained.items():
        try:
            label = Policy._meta.get_field(name).verbose_name
        except Exception:  # noqa: BLE001 — a field renamed since the explanation was stored
            label = name
        rows.append({"name": name, "label": label, "value": p.get("value"), "unit": p.get("unit"),
                     "year": p.get("year"), "default": p.get("default"), "rule": p.get("rule")})
    return rows


def assessment_report(*, classification: Classification) -> dict:
    """R-ASM-5: what a secretary's published assessment report holds: tier, scores and their parts,
    stars, the member evaluation (aggregate only above the minimum), the duty reports and the
    explanation (R-POL-2). The caller has authorised ``classification`` (access_by_id)."""
    from assessment.models import DutyReport

    unit, year = classification.unit, classification.year
    explanation = classification.explained()
    sample = EvaluationSample.objects.filter(unit=unit, year=year).select_related("unit").first()
    evaluation = evaluation_aggregates(samples=[sample])[sample.pk] if sample else None
    duty_reports = list(DutyReport.objects.filter(unit=unit, year=year).select_related("person")
                        .order_by("person__name"))
    policy = explanation.get("policy") or {}
    weights = {k: (policy.get(k) or {}).get("value") for k in ("superior_score_weight", "member_score_weight")}
    thresholds = [(Tier.GOOD, (policy.get("tier_good_min") or {}).get("value")),
                  (Tier.FAIRLY_GOOD, (policy.get("tier_fairly_good_min") or {}).get("value")),
                  (Tier.AVERAGE, (policy.get("tier_average_min") or {}).get("value"))]
    return {
        "rule": "R-ASM-5",
        "classification": classification,
        "published": bool(classification.cycle_id and classification.cycle.is_published),
        "secretaries": secretaries_of_year(unit_ids=[unit.pk], year=year).get(unit.pk, []),
        "weights": weights,
        "thresholds": [(t.label, v) for t, v in thresholds],
        "tier_by_score": Tier(explanation["tier_by_score"]).label if explanation.get("tier_by_score") else "",
        "overrides": explanation.get("overrides") or [],
        "staff_tier": explanation.get("staff_tier"),
        "policy": policy,
        "policy_rows": _policy_rows(policy),
        "evaluation": evaluation,
        "duty_reports": duty_reports,
    }


def assessment_reports_for_person(*, user, person) -> list[Classification]:
    """R-ASM-5: the published reports of the branches a person led as secretary — their term file (two queries)."""
    from cadres.choices import AppointmentRole

    posts = list(person.appointments.filter(role=AppointmentRole.SECRETARY)
                 .values_list("unit_id", "start_date", "end_date"))
    if not posts:
        return []
    cond = Q()
    for unit_id, start, end in posts:
        years = Q(year__gte=start.year) & (Q(year__lte=end.year) if end else Q())
        cond |= Q(unit_id=unit_id) & years
    return list(Classification.objects.visible_to(user).filter(cond, cycle__published_at__isnull=False)
                .select_related("unit", "cycle").order_by("-year", "unit__path"))


def promotion_candidate_ids(*, person_ids, year: int) -> set[int]:
    """R-HON-3: who among ``person_ids`` holds the policy's count of honours at district level or above."""
    counts = (Honour.objects.filter(person_id__in=list(person_ids), stage=HonourStage.NAMED,
                                    withdrawn_at__isnull=True, level__in=DISTRICT_OR_ABOVE)
              .exclude(kind=HonourKind.RED_FLAG).order_by().values("person_id", "person__unit_id",
                                                                    "person__unit__path")
              .annotate(n=Count("id")))
    resolver = PolicyResolver(year=year)
    return {r["person_id"] for r in counts
            if r["n"] >= resolver.for_unit(unit_id=r["person__unit_id"] or 0, path=r["person__unit__path"] or "")
            .promotion_award_count}


def red_flag_stages(*, user, year: int) -> dict:
    """R-HON-2: red-flag candidates per differential stage in the user's scope, and the year's quota."""
    rows = dict(Honour.objects.visible_to(user).filter(kind=HonourKind.RED_FLAG, year=year,
                                                        withdrawn_at__isnull=True)
                .order_by().values_list("stage").annotate(n=Count("id")))
    anchor = anchor_unit(user=user)
    policy = policy_effective(unit=anchor, year=year) if anchor else policy_defaults(year=year)
    return {"stages": [{"stage": s.value, "label": s.label, "count": rows.get(s.value, 0)} for s in HonourStage],
            "quota": policy.red_flag_quota, "named": rows.get(HonourStage.NAMED, 0),
            "policy": policy.explain("red_flag_quota")}


def secretary_assessment_panel(*, user) -> dict:
    """A secretary's home: the open cycles over their branch, with the duty-report deadline
    and the state of their own report for each (R-ASM-1/2)."""
    person = getattr(user, "person", None)
    if person is None or user.unit_id is None:
        return {"person": None, "cycles": []}
    cycles = list(
        AssessmentCycle.objects.filter(unit__path__in=user.unit.ancestor_paths(), published_at__isnull=True)
        .order_by("-year")
    )
    reports = {
        r.year: r for r in DutyReport.objects.filter(person=person, unit_id=user.unit_id,
                                                     year__in=[c.year for c in cycles])
    }
    return {"person": person, "cycles": [{"cycle": c, "report": reports.get(c.year)} for c in cycles]}


def review_scope(*, cycle: AssessmentCycle) -> dict:
    """R-JOB-1: what running the review of a cycle will touch, for its confirmation (four counts).

    The branches are those the review itself classifies: active branches under the cycle's unit."""
    from core.choices import BRANCH_LEVELS

    branches = OrgUnit.objects.filter(path__startswith=cycle.unit.path, level__in=BRANCH_LEVELS,
                                      is_active=True).count()
    existing = Classification.objects.filter(unit__path__startswith=cycle.unit.path, year=cycle.year).aggregate(
        classified=Count("id"), staff_tiers=Count("id", filter=~Q(override_tier="")))
    scored = (OrgUnit.objects.filter(path__startswith=cycle.unit.path, level__in=BRANCH_LEVELS, is_active=True,
                                     scores__year=cycle.year).count())
    return {"branches": branches, "classified": existing["classified"], "staff_tiers": existing["staff_tiers"],
            "scored": scored}
