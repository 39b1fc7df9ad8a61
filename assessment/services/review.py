"""R-JOB-1, R-CLS-1/2/4/5, R-POL-1/2: the annual review in parts — one county (a contiguous range of the
jurisdiction's paths) at a time, each part set-based and in a fixed number of statements.

A part loads only the ids and paths of its branches (to resolve their policies), stores each policy
version it applies once (``ReviewPolicy``), then classifies its branches:

- on PostgreSQL in one ``INSERT … SELECT … ON CONFLICT`` per policy version (``classify_sql``), the
  scores, tiers, R-CLS-2 overrides, movements and each row's own explanation computed by the database;
- elsewhere (SQLite, the first-run demo) row by row in Python (``classify_python``) with
  ``classification_compute``, the reference the SQL is tested against (``tests/assessment/test_review_sql.py``).

Sanctions follow from the saved rows. The part returns a small tally; the review adds the parts up.
"""
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import Substr

from assessment.choices import DEFAULT_RATING_POINTS, TIER_RANK, Movement, Tier, UnclassifiedReason
from assessment.models import (
    BranchListing,
    BranchScore,
    Classification,
    EvaluationRating,
    EvaluationSample,
    ReviewPolicy,
)
from core.choices import BRANCH_LEVELS
from core.models import OrgUnit


RATING_POINTS = {k.value: str(v) for k, v in DEFAULT_RATING_POINTS.items()}


@dataclass(frozen=True)
class PathRange:
    """The branches of ``scope`` whose path is in [path_from, path_to) ("" for the scope's end)."""

    scope: str
    path_from: str = ""
    path_to: str = ""

    def q(self, prefix: str = "") -> Q:
        q = Q(**{f"{prefix}path__startswith": self.scope})
        if self.path_from:
            q &= Q(**{f"{prefix}path__gte": self.path_from})
        if self.path_to:
            q &= Q(**{f"{prefix}path__lt": self.path_to})
        return q


def review_parts_plan(*, scope: OrgUnit, target: int) -> list[dict]:
    """R-JOB-1: the parts of a review — the scope's children (its counties, for a city) in path order,
    consecutive small ones packed together up to ``target`` branches; a bigger child is a part of its
    own. One query. Each part is ``{"path_from", "path_to", "branches"}``."""
    width = len(scope.path) + OrgUnit.steplen
    counts = list(
        OrgUnit.objects.filter(path__startswith=scope.path, level__in=BRANCH_LEVELS, is_active=True)
        .annotate(child=Substr("path", 1, width)).order_by().values("child").annotate(n=Count("id"))
        .order_by("child").values_list("child", "n")
    )
    parts: list[dict] = []
    for child, n in counts:
        if parts and parts[-1]["branches"] + n <= target:
            parts[-1]["branches"] += n
            parts[-1]["last"] = child
        else:
            parts.append({"path_from": child, "last": child, "branches": n})
    for i, part in enumerate(parts):
        part["path_to"] = parts[i + 1]["path_from"] if i + 1 < len(parts) else ""
        del part["last"]
    if parts:
        parts[0]["path_from"] = ""  # the first part also takes a branch that is the scope itself
    return parts


def policy_content(policy) -> dict:
    from assessment.services.classification import EXPLAINED_POLICY_FIELDS

    return {"policy": policy.explain(*EXPLAINED_POLICY_FIELDS), "rating_points": RATING_POINTS}


def policy_digest(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def review_policy_for(*, cycle, policy) -> ReviewPolicy:
    """The cycle's row for the policy version ``policy`` (made when missing)."""
    content = policy_content(policy)
    return ReviewPolicy.objects.get_or_create(cycle=cycle, key=policy_digest(content),
                                              defaults={"content": content})[0]


def _branches_by_policy(*, cycle, part: PathRange, resolver) -> tuple[dict[int, list[int]], dict[int, object]]:
    """The part's branch ids grouped by the ReviewPolicy row of the policy each is under (two or three
    queries: the branches, the insert of new policy versions, their ids)."""
    groups: dict[str, list[int]] = defaultdict(list)
    policies: dict[str, object] = {}
    contents: dict[int, dict] = {}
    keys: dict[int, str] = {}
    for uid, path in (OrgUnit.objects.filter(part.q(), level__in=BRANCH_LEVELS, is_active=True)
                      .order_by("path").values_list("id", "path")):
        policy = resolver.for_unit(unit_id=uid, path=path)
        vid = id(policy.values)
        if vid not in keys:
            content = policy_content(policy)
            contents[vid], keys[vid] = content, policy_digest(content)
            policies[keys[vid]] = policy
        groups[keys[vid]].append(uid)
    if not groups:
        return {}, {}
    ReviewPolicy.objects.bulk_create(
        [ReviewPolicy(cycle=cycle, key=keys[vid], content=contents[vid]) for vid in keys], ignore_conflicts=True)
    ids = dict(ReviewPolicy.objects.filter(cycle=cycle, key__in=list(groups)).values_list("key", "pk"))
    return {ids[k]: v for k, v in groups.items()}, {ids[k]: policies[k] for k in groups}


def part_policy_groups(*, cycle, part: PathRange, resolver) -> tuple[dict, dict]:
    """The part's branch ids by the ReviewPolicy row of their policy, and those policies. A fanned-out part
    calls this before its transaction, so that parts adding the same policy version never wait for
    each other's (long) transaction on the unique key."""
    return _branches_by_policy(cycle=cycle, part=part, resolver=resolver)


def classify_part(*, cycle, part: PathRange, resolver, stamp, groups: tuple[dict, dict] | None = None) -> dict:
    """R-CLS-1/2/4, R-ASM-3/4: classify the part's branches; the tally of tiers and unclassified reasons."""
    groups, policies = groups or _branches_by_policy(cycle=cycle, part=part, resolver=resolver)
    tally = {"branches": 0, "tiers": defaultdict(int), "reasons": defaultdict(int), "staff_tiers": 0}
    classify = classify_sql if connection.vendor == "postgresql" else classify_python
    for policy_id, unit_ids in groups.items():
        for tier, reason, staff, n in classify(cycle=cycle, unit_ids=unit_ids, policy=policies[policy_id],
                                               policy_id=policy_id, stamp=stamp):
            tally["branches"] += n
            tally["tiers"][tier or "unclassified"] += n
            if not tier:
                tally["reasons"][reason] += n
            tally["staff_tiers"] += staff
    tally["tiers"], tally["reasons"] = dict(tally["tiers"]), dict(tally["reasons"])
    return tally


def _inputs(*, cycle, unit_ids: list[int]) -> dict:
    """What the Python path knows of each branch (set-based: six queries for the group)."""
    from assessment.services.classification import BranchInput

    year = cycle.year
    inputs = {uid: BranchInput(unit_id=uid) for uid in unit_ids}
    ids = Q(unit_id__in=unit_ids)
    for uid, score in BranchScore.objects.filter(ids, year=year).values_list("unit_id", "superior_score"):
        inputs[uid].superior = score
    samples = EvaluationSample.objects.filter(ids, year=year)
    for uid, is_closed in samples.with_closed().values_list("unit_id", "is_closed"):
        inputs[uid].evaluation_closed = bool(is_closed)
    for uid, rating, n in (EvaluationRating.objects.filter(sample__in=samples.closed().values("pk"))
                           .order_by().values_list("sample__unit_id", "rating").annotate(n=Count("id"))):
        inputs[uid].counts[rating] = n
    for uid, kind in BranchListing.objects.filter(ids, year=year).values_list("unit_id", "kind"):
        setattr(inputs[uid], kind, True)
    for uid, tier in Classification.objects.filter(ids, year=year - 1).values_list("unit_id", "tier"):
        inputs[uid].previous_tier = tier
    for uid, tier, reason in Classification.objects.filter(ids, year=year).values_list(
            "unit_id", "override_tier", "override_reason"):
        inputs[uid].override_tier, inputs[uid].override_reason = tier, reason
    return inputs


UPDATE_FIELDS = ["cycle", "superior_score", "member_score", "composite_score", "computed_tier", "tier",
                 "previous_tier", "movement", "explanation", "review_policy", "computed_at"]


def classify_python(*, cycle, unit_ids: list[int], policy, policy_id: int, stamp):
    """The reference path: ``classification_compute`` per branch, one upsert per 5,000 rows."""
    from assessment.services.bulk import bulk_upsert
    from assessment.services.classification import classification_compute, unclassified_reason

    inputs = _inputs(cycle=cycle, unit_ids=unit_ids)
    counts = defaultdict(int)
    rows = []
    for uid in unit_ids:
        branch = inputs[uid]
        out = classification_compute(branch=branch, policy=policy)
        rows.append({"unit_id": uid, "year": cycle.year, "cycle_id": cycle.pk, "computed_at": stamp,
                     "override_tier": "", "override_reason": "", "review_policy_id": policy_id, **out})
        reason = "" if out["tier"] else unclassified_reason(branch=branch, min_answers=policy.evaluation_min_answers)
        counts[(out["tier"], reason, bool(branch.override_tier))] += 1
    # The override fields are written only on insert; an existing staff tier is kept.
    bulk_upsert(model=Classification, rows=rows, unique_fields=["unit", "year"], update_fields=UPDATE_FIELDS)
    return [(tier, reason, n if staff else 0, n) for (tier, reason, staff), n in counts.items()]


def _tier_case(column: str) -> str:
    return "CASE " + " ".join(f"WHEN {column} = '{t.value}' THEN {r}" for t, r in TIER_RANK.items()) + " END"


def classify_sql(*, cycle, unit_ids: list[int], policy, policy_id: int, stamp):
    """R-CLS-1/2/4, R-ASM-3/4 in one statement on PostgreSQL — the same arithmetic as ``scores.py``:
    member score = Σ points × ballots / ballots, composite = weighted mean (the superior score alone
    without a usable evaluation), both half up to 0.01 (``round`` on numeric); thresholds inclusive;
    weak and lax → 较差, negative list → at most 较好; a staff tier stands; movement against last year.
    Returns the tally rows (tier, unclassified reason, staff tiers, branches)."""
    qn = connection.ops.quote_name
    t = {m: qn(m._meta.db_table) for m in (Classification, BranchScore, BranchListing, EvaluationRating)}
    smp_sql, smp_named = _samples_sql(year=cycle.year)
    points = " ".join(f"WHEN '{k}' THEN {v}" for k, v in RATING_POINTS.items())
    w_sup, w_mem = policy.superior_score_weight, policy.member_score_weight
    weighted = ("round((i.superior_score * %(w_sup)s + i.member_score * %(w_mem)s) / (%(w_sup)s + %(w_mem)s), 2)"
                if w_sup + w_mem > 0 else "round(i.superior_score, 2)")
    sql = f"""
WITH b AS (SELECT unnest(%(ids)s::int[]) AS unit_id),
smp AS ({smp_sql}),
cnt AS (
  SELECT smp.unit_id, r.rating, count(*) AS n
  FROM {t[EvaluationRating]} r JOIN smp ON r.sample_id = smp.id WHERE smp.is_closed
  GROUP BY smp.unit_id, r.rating),
agg AS (
  SELECT unit_id, sum(n) AS answers, sum(n * CASE rating {points} END) AS points,
         jsonb_object_agg(rating, n) AS counts
  FROM cnt GROUP BY unit_id),
lst AS (
  SELECT unit_id, bool_or(kind = 'negative_list') AS neg, bool_or(kind = 'weak_and_lax') AS wl
  FROM {t[BranchListing]} WHERE unit_id IN (SELECT unit_id FROM b) AND year = %(year)s GROUP BY unit_id),
i AS (
  SELECT b.unit_id, s.superior_score, smp.is_closed, coalesce(agg.answers, 0) AS answers, agg.counts,
         smp.id IS NOT NULL AS drawn,
         (coalesce(smp.is_closed, false) AND coalesce(agg.answers, 0) >= %(min)s) AS used,
         CASE WHEN coalesce(smp.is_closed, false) AND coalesce(agg.answers, 0) >= %(min)s AND agg.answers > 0
              THEN round(agg.points::numeric / agg.answers, 2) END AS member_score,
         coalesce(lst.neg, false) AS neg, coalesce(lst.wl, false) AS wl,
         coalesce(p.tier, '') AS previous_tier, coalesce(c.override_tier, '') AS override_tier,
         coalesce(c.override_reason, '') AS override_reason
  FROM b
  LEFT JOIN {t[BranchScore]} s ON s.unit_id = b.unit_id AND s.year = %(year)s
  LEFT JOIN smp ON smp.unit_id = b.unit_id
  LEFT JOIN agg ON agg.unit_id = b.unit_id
  LEFT JOIN lst ON lst.unit_id = b.unit_id
  LEFT JOIN {t[Classification]} p ON p.unit_id = b.unit_id AND p.year = %(year)s - 1
  LEFT JOIN {t[Classification]} c ON c.unit_id = b.unit_id AND c.year = %(year)s),
sc AS (
  SELECT i.*, CASE WHEN i.superior_score IS NULL THEN NULL
                   WHEN i.member_score IS NULL THEN round(i.superior_score, 2)
                   ELSE {weighted} END AS composite
  FROM i),
ts AS (
  SELECT sc.*, CASE WHEN composite IS NULL THEN NULL
                    WHEN composite >= %(good)s THEN 'good' WHEN composite >= %(fairly_good)s THEN 'fairly_good'
                    WHEN composite >= %(average)s THEN 'average' ELSE 'poor' END AS by_score
  FROM sc),
tl AS (
  SELECT ts.*, (wl AND by_score IS DISTINCT FROM 'poor') AS wl_applied,
         (neg AND NOT (wl AND by_score IS DISTINCT FROM 'poor') AND by_score = 'good') AS neg_applied
  FROM ts),
tc AS (
  SELECT tl.*, CASE WHEN wl_applied THEN 'poor' WHEN neg_applied THEN 'fairly_good' ELSE coalesce(by_score, '')
               END AS computed
  FROM tl),
f AS (
  SELECT tc.*, CASE WHEN override_tier <> '' THEN override_tier ELSE computed END AS tier FROM tc),
ins AS (
  INSERT INTO {t[Classification]} (unit_id, year, cycle_id, superior_score, member_score, composite_score,
      computed_tier, override_tier, override_reason, tier, previous_tier, movement, explanation, review_policy_id,
      computed_at)
  SELECT f.unit_id, %(year)s, %(cycle)s, f.superior_score, f.member_score, f.composite, f.computed, '', '', f.tier,
         f.previous_tier,
         CASE WHEN f.tier = '' THEN '' WHEN f.previous_tier = '' THEN '{Movement.NEW.value}'
              WHEN {_tier_case("f.tier")} > {_tier_case("f.previous_tier")} THEN '{Movement.UP.value}'
              WHEN {_tier_case("f.tier")} < {_tier_case("f.previous_tier")} THEN '{Movement.DOWN.value}'
              ELSE '{Movement.SAME.value}' END,
         jsonb_build_object(
           'rule', 'R-CLS-1',
           'superior_score', f.superior_score::text,
           'member_score', f.member_score::text,
           'member_evaluation', CASE WHEN f.used
               THEN jsonb_build_object('rule', 'R-ASM-3', 'used', true, 'min_answers', %(min)s,
                                       'answers', f.answers, 'rating_counts', coalesce(f.counts, '{{}}'::jsonb))
               ELSE jsonb_build_object('rule', 'R-ASM-3', 'used', false, 'min_answers', %(min)s,
                                       'reason', CASE WHEN f.is_closed = false THEN 'not_closed'
                                                      ELSE 'too_few_answers' END) END,
           'composite_score', f.composite::text,
           'tier_by_score', coalesce(f.by_score, ''),
           'listings', to_jsonb(array_remove(ARRAY[CASE WHEN f.neg THEN 'negative_list' END,
                                                   CASE WHEN f.wl THEN 'weak_and_lax' END], NULL)),
           'overrides', CASE WHEN f.wl_applied THEN '[{{"rule": "R-CLS-2", "listing": "weak_and_lax"}}]'::jsonb
                             WHEN f.neg_applied THEN '[{{"rule": "R-CLS-2", "listing": "negative_list"}}]'::jsonb
                             ELSE '[]'::jsonb END,
           'staff_tier', CASE WHEN f.override_tier <> '' THEN jsonb_build_object(
               'rule', 'R-CLS-1', 'tier', f.override_tier, 'reason', f.override_reason) END),
         %(policy)s, %(stamp)s
  FROM f
  ON CONFLICT (unit_id, year) DO UPDATE SET
    cycle_id = excluded.cycle_id, superior_score = excluded.superior_score, member_score = excluded.member_score,
    composite_score = excluded.composite_score, computed_tier = excluded.computed_tier, tier = excluded.tier,
    previous_tier = excluded.previous_tier, movement = excluded.movement, explanation = excluded.explanation,
    review_policy_id = excluded.review_policy_id, computed_at = excluded.computed_at
  RETURNING unit_id)
SELECT f.tier,
       CASE WHEN f.tier <> '' THEN ''
            WHEN NOT f.drawn THEN '{UnclassifiedReason.NO_SCORE_NO_SAMPLE.value}'
            WHEN NOT f.is_closed THEN '{UnclassifiedReason.NO_SCORE_SAMPLE_OPEN.value}'
            WHEN f.answers < %(min)s THEN '{UnclassifiedReason.NO_SCORE_FEW_ANSWERS.value}'
            ELSE '{UnclassifiedReason.NO_SCORE.value}' END AS reason,
       count(*) FILTER (WHERE f.override_tier <> '') AS staff, count(*) AS n
FROM ins JOIN f ON f.unit_id = ins.unit_id
GROUP BY 1, 2
"""
    # The ids as one array literal ('{1,2,…}'): psycopg2's ARRAY[1, 2, …] takes the parser ~30 µs an element.
    named = {"ids": "{" + ",".join(str(int(u)) for u in unit_ids) + "}", "year": cycle.year, "cycle": cycle.pk, "min": policy.evaluation_min_answers,
             "w_sup": w_sup, "w_mem": w_mem, "good": policy.tier_good_min, "fairly_good": policy.tier_fairly_good_min,
             "average": policy.tier_average_min, "policy": policy_id, "stamp": stamp}
    named.update(smp_named)
    with connection.cursor() as cursor:
        # No JIT for the rest of the review's transaction: its estimated cost makes PostgreSQL compile the
        # statement (5.7 s of 50 for a county of 11,000 branches) for a plan that runs once.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, named)
        return [(tier, reason, staff, n) for tier, reason, staff, n in cursor.fetchall()]


_SENTINEL = -7_000_000_001  # stands for the group's unit list in the compiled sample query


def _samples_sql(*, year: int) -> tuple[str, dict]:
    """The group's samples with the ORM's R-ASM-3 closing rule (``with_closed``), compiled once by Django
    so the rule has one definition; its positional placeholders are renamed, its unit list the group's."""
    sql, params = (EvaluationSample.objects.filter(unit_id__in=[_SENTINEL], year=year).with_closed()
                   .values("id", "unit_id", "is_closed").query.sql_with_params())
    out, named, i, n = [], {}, 0, 0
    while (j := sql.find("%s", i)) >= 0:
        out.append(sql[i:j] + f"%(smp{n})s")
        named[f"smp{n}"] = params[n]
        i, n = j + 2, n + 1
    out.append(sql[i:])
    sql = "".join(out)
    (key,) = [k for k, v in named.items() if v == _SENTINEL]
    del named[key]
    # A semi-join on the group's ids (the CTE ``b``), never ``= ANY(array)``: that is a linear scan of the
    # array for every row, 20,000 × 20,000 comparisons for a county.
    sql = sql.replace(f"IN (%({key})s)", "IN (SELECT unit_id FROM b)")
    assert "IN (SELECT unit_id FROM b)" in sql, sql
    return sql, named


def sanction_candidates_q() -> Q:
    """R-CLS-5: the (last year's tier, tier) pairs that draw a sanction — 一般/较差 not moved up, 好/较好 moved down."""
    q = Q(pk__in=[])
    for prev, prev_rank in TIER_RANK.items():
        if prev in (Tier.AVERAGE, Tier.POOR):
            worse = [t for t, r in TIER_RANK.items() if r <= prev_rank]
        else:
            worse = [t for t, r in TIER_RANK.items() if r < prev_rank]
        q |= Q(previous_tier=prev, tier__in=worse)
    return q
