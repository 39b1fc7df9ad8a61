"""Read-side queries of the organisation tree, used by pages, the API and reports."""
import re

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _

from core.choices import PARTY_ORGANISATION_LEVELS, Level, Sector
from core.models import OrgUnit
from core.services.policies import PolicyResolver

# R-ORG-3 outcomes, each explained by its rule and policy values.
ORG3_LARGE_NO_BRANCH = "large_enterprise_without_branch"
ORG3_MEMBERS_NO_BRANCH = "enough_members_without_branch"
ORG3_NO_JOINT = "few_members_not_joint"
ORG3_NO_INSTRUCTOR = "no_members_no_instructor"


def units_visible(*, user):
    return OrgUnit.objects.visible_to(user)


SEARCH_MAX_LENGTH = 100
_INITIALS_QUERY = re.compile(r"[a-z0-9]+")


def search_text(q: str | None) -> str:
    """A picker's typed text, trimmed to what a search needs."""
    return (q or "").strip()[:SEARCH_MAX_LENGTH]


def initials_query(q: str) -> str | None:
    """The typed text as pinyin initials ("ZSY", "z s y" → "zsy"), or None if it cannot be any."""
    letters = q.lower().replace(" ", "")
    return letters if _INITIALS_QUERY.fullmatch(letters) else None


def initials_q(q: str, *, field: str = "name_initials", anywhere: bool = False) -> Q:
    """Rows whose initials (one variant per reading of the first character, space-separated)
    start with ``q`` — or contain it, for unit names that begin with a place name."""
    if anywhere:
        return Q(**{f"{field}__contains": q})
    return Q(**{f"{field}__startswith": q}) | Q(**{f"{field}__contains": f" {q}"})


def parent_name_subquery():
    """The name of a unit's parent, from its materialised path (one indexed lookup per row, no N+1)."""
    step = OrgUnit.steplen
    return Subquery(OrgUnit.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - step)).values("name")[:1])


def org_units_search(*, queryset, q: str):
    """Issue 8 item 3: units of ``queryset`` (already scoped, R-ORG-2) matching a picker's text —
    name (contains), code (starts with) or pinyin initials ("xhc" → 新华村党支部) — best first:
    exact code or name, then those starting with the text, then the rest in tree order."""
    q = search_text(q)
    if not q:
        return queryset
    initials = initials_query(q)
    match = Q(name__icontains=q) | Q(code__istartswith=q)
    starts = Q(name__startswith=q) | Q(code__istartswith=q)
    if initials:
        match |= initials_q(initials, anywhere=True)
        starts |= initials_q(initials)
    rank = Case(When(Q(code__iexact=q) | Q(name=q), then=Value(0)), When(starts, then=Value(1)),
                default=Value(2), output_field=IntegerField())
    return queryset.filter(match).annotate(search_rank=rank).order_by("search_rank", "path")


def anchor_unit(*, user) -> OrgUnit | None:
    """The top of the user's jurisdiction: their own unit, the tree's root only for a superuser
    without one, and None for anyone else without a unit — who then sees nothing (R-ORG-2)."""
    if getattr(user, "unit_id", None):
        return user.unit
    return OrgUnit.objects.visible_to(user).order_by("depth", "path").first()


def unit_counts(*, user) -> dict:
    """Counts per sector and per level within the user's subtree, for the dashboard."""
    qs = OrgUnit.objects.visible_to(user)
    by_sector = dict(qs.order_by().values_list("sector").annotate(n=Count("id")))
    by_level = dict(qs.order_by().values_list("level").annotate(n=Count("id")))
    return {
        "by_sector": [(s.value, s.label, by_sector.get(s.value, 0)) for s in Sector],
        "by_level": [(lv.value, lv.label, by_level.get(lv.value, 0)) for lv in Level],
        "total": sum(by_sector.values()),
    }


def enterprise_coverage(*, user, year: int) -> list[dict]:
    """R-ORG-3: non-public enterprises in the subtree that break the coverage rule.

    Two queries whatever the size: the enterprises, then the policies of the year.
    """
    resolver = PolicyResolver(year=year)
    rows = []
    units = (
        OrgUnit.objects.visible_to(user)
        .filter(sector=Sector.NON_PUBLIC)
        .exclude(level__in=[Level.CITY, Level.COUNTY, Level.TOWNSHIP])
        .only("id", "path", "code", "name", "level", "employees", "members", "joint_branch_id", "instructor")
    )
    for unit in units:
        policy = resolver.for_unit(unit_id=unit.pk, path=unit.path)
        own_branch = unit.level in PARTY_ORGANISATION_LEVELS
        employees, members = unit.employees or 0, unit.members or 0
        problem = None
        if own_branch:
            continue
        if employees >= policy.enterprise_branch_min_employees:
            problem = ORG3_LARGE_NO_BRANCH
        elif members >= policy.branch_min_members:
            problem = ORG3_MEMBERS_NO_BRANCH
        elif members > 0 and unit.joint_branch_id is None:
            problem = ORG3_NO_JOINT
        elif members == 0 and not unit.instructor:
            problem = ORG3_NO_INSTRUCTOR
        if problem:
            rows.append({
                "unit": unit,
                "problem": problem,
                "employees": employees,
                "members": members,
                "explanation": {
                    "rule": "R-ORG-3",
                    "inputs": {"employees": employees, "members": members, "own_branch": own_branch,
                               "joint_branch": unit.joint_branch_id, "instructor": unit.instructor},
                    "policy": policy.explain("enterprise_branch_min_employees", "branch_min_members"),
                },
            })
    return rows


ORG3_LABELS = {
    ORG3_LARGE_NO_BRANCH: _("{employees} or more employees but no branch of its own"),
    ORG3_MEMBERS_NO_BRANCH: _("{members} or more members but no branch of its own"),
    ORG3_NO_JOINT: _("fewer than {members} members and not in a joint branch"),
    ORG3_NO_INSTRUCTOR: _("no members and no party-building instructor"),
}


def org3_problem_label(row: dict) -> str:
    policy = row["explanation"]["policy"]
    return str(ORG3_LABELS[row["problem"]]).format(
        employees=policy["enterprise_branch_min_employees"]["value"], members=policy["branch_min_members"]["value"]
    )


def branch_counts_by_child(*, root: OrgUnit, filter_q: Q | None = None) -> dict[str, int]:
    """Branches per direct child of ``root`` (one grouped query on the path prefix)."""
    from django.db.models.functions import Substr

    width = (root.depth + 1) * OrgUnit.steplen
    qs = OrgUnit.objects.filter(path__startswith=root.path, depth__gt=root.depth, level=Level.BRANCH)
    if filter_q is not None:
        qs = qs.filter(filter_q)
    return dict(qs.order_by().annotate(prefix=Substr("path", 1, width)).values_list("prefix").annotate(n=Count("id")))


# ---------------------------------------------------------------- counts below units (the tree, R-ORG-1)

# Apps add counts of their own rows below a unit (cadres: current secretaries) without core importing them:
# ``register_subtree_counter("secretaries", func)`` from ``AppConfig.ready()``, where
# ``func(*, user, prefixes: list[str], width: int) -> dict[str, int]`` counts the rows the user may see whose
# unit's path starts with one of ``prefixes`` (all ``width`` long), keyed by that prefix, in one query.
_subtree_counters: dict = {}


def register_subtree_counter(name: str, func) -> None:
    _subtree_counters[name] = func


def count_by_path_prefix(qs, *, path_field: str, prefixes: list[str], width: int) -> dict[str, int]:
    """``qs`` grouped by the first ``width`` characters of ``path_field``, for the given prefixes: one query."""
    from django.db.models.functions import Substr

    common = prefixes[0][: width - OrgUnit.steplen] if prefixes else ""
    for p in prefixes[1:]:  # the longest common prefix keeps the indexed ``startswith`` in the query
        while not p.startswith(common):
            common = common[:-1]
    return dict(qs.filter(**{f"{path_field}__startswith": common})
                .annotate(prefix=Substr(path_field, 1, width)).filter(prefix__in=prefixes)
                .order_by().values_list("prefix").annotate(n=Count("id")))


def subtree_counts(*, user, units) -> dict[int, dict[str, int]]:
    """For each unit: ``units_below`` (excluding itself), ``branches`` (including itself when it is one)
    and each registered counter (``secretaries``), counting only what ``user`` may see (R-ORG-2).

    Set-based: per distinct depth among ``units`` (siblings share one), one query per count — never a
    query per unit. The tree page's first level and ``/api/v1/org-units/`` both use this.
    """
    units = list(units)
    out = {u.pk: {"units_below": 0, "branches": 0} for u in units}
    by_depth: dict[int, list] = {}
    for u in units:
        by_depth.setdefault(u.depth, []).append(u)
    visible = OrgUnit.objects.visible_to(user)
    for depth, group in by_depth.items():
        width = depth * OrgUnit.steplen
        prefixes = [u.path for u in group]
        below = count_by_path_prefix(visible.filter(depth__gt=depth), path_field="path", prefixes=prefixes, width=width)
        branches = count_by_path_prefix(visible.filter(level=Level.BRANCH), path_field="path", prefixes=prefixes, width=width)
        extra = {name: func(user=user, prefixes=prefixes, width=width) for name, func in _subtree_counters.items()}
        for u in group:
            row = out[u.pk]
            row["units_below"] = below.get(u.path, 0)
            row["branches"] = branches.get(u.path, 0)
            for name, counts in extra.items():
                row[name] = counts.get(u.path, 0)
    return out
