"""Demo assessment data for ``seed_demo`` (R-ASM-1..5, R-CLS-1..6).

Connected to ``cadres.demo.demo_seeded`` in ``AssessmentConfig.ready()`` (cadres never imports
assessment). For every county of the demo city:

* the year before last (``as_of.year - 2``): a published cycle whose tiers are written directly in
  bulk, so last year has year-on-year movements, upgrade targets (R-CLS-4) and sanctions (R-CLS-5);
* last year (``as_of.year - 1``): a cycle and an indicator template (4–6 weighted indicators),
  a superior score for every branch, a democratic-evaluation sample and anonymous ballots per
  branch (most with enough answers, a few with fewer than the policy's minimum), a few branches on
  the negative list or listed weak and lax, the secretaries' duty reports in every state, then the
  annual review service; every county's year is published except the first one's, left open so the
  calibration page shows work in progress;
* this year, for the first county only: a cycle and template, and duty reports mostly in draft or
  submitted — among them the demo secretary's (``secretary_demo``), started through the service.

Services are used where they act once per county (cycles, templates, publication, the annual
review) or once per demo login; per-branch rows (scores, samples, ballots, duty reports) go in with
``bulk_create`` after the same pure computations the services use (``superior_score_compute``,
``evaluation_sample_size``, ``evaluation_draw_numbers``, ``classification_compute``), so the rules
still apply. Beyond ``LARGE_BRANCHES`` branches, ballots and duty reports are made for the first
county only. Everything random comes from ``random.Random(seed + ASSESSMENT_SEED_OFFSET)`` in path
order: ``assessment_plan`` gives the same plan for the same seed and registry.
"""
from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from assessment.choices import DutyReportState, ListingKind, Rating
from assessment.models import (
    AssessmentCycle,
    BranchListing,
    BranchScore,
    Classification,
    DutyReport,
    DutyReportEvent,
    EvaluationRating,
    EvaluationSample,
    IndicatorTemplate,
    Sanction,
)
from assessment.services.classification import BranchInput, annual_review_run, classification_compute
from assessment.services.review import review_policy_for
from assessment.services.cycles import cycle_create, cycle_publish
from assessment.services.duty_reports import duty_report_save, duty_report_start
from assessment.services.evaluations import evaluation_draw_numbers, evaluation_sample_size
from assessment.services.listings import branch_listing_add
from assessment.services.scores import superior_score_compute
from assessment.services.scoring import indicator_template_save
from cadres.choices import AppointmentRole
from cadres.models import Appointment
from core.choices import BRANCH_LEVELS, Level, Sector
from core.models import OrgUnit, User
from core.services.policies import PolicyResolver

ASSESSMENT_SEED_OFFSET = 4_200_023
TEXT_SEED_OFFSET = 4_300_037  # duty-report states and texts: a stream of their own
LARGE_BRANCHES = 5000
LISTINGS_BY_SERVICE = 50  # per county; more go in with bulk_create (no honours exist to withdraw yet)

INDICATORS = ("组织建设", "党员管理", "服务群众", "发展经济", "作风建设", "基层治理", "党风廉政建设", "意识形态工作")
WEIGHT_SETS = {4: (30, 25, 25, 20), 5: (25, 20, 20, 20, 15), 6: (20, 20, 15, 15, 15, 15)}
NEGATIVE_REASONS = (
    "财务管理不规范，被县纪委监委通报批评",
    "发生因处置不当引发的群体性上访事件",
    "违反程序发展党员，被县委组织部责令整改",
    "辖区内发生较大安全生产事故，被追责问责",
)
WEAK_REASONS = (
    "班子不团结、内耗严重，战斗力不强",
    "长期不按规定开展“三会一课”等组织生活",
    "经县委组织部排查认定为软弱涣散基层党组织",
)
VILLAGE_WEAK_REASONS = WEAK_REASONS + ("村级集体经济长期“空壳”，发展思路不清",)
RETURN_REASONS = (
    "工作实绩缺少具体数据，请补充完善后重新提交。",
    "问题查摆不够深入，请结合群众意见和年度考核反馈修改。",
    "未对照年初承诺事项逐项说明完成情况，请补充。",
    "下一步打算过于笼统，请提出可量化的具体措施。",
)
INDUSTRIES = ("新发展优质稻订单种植{n}亩", "建成柑橘标准化示范基地{n}亩", "发展稻虾共作{n}亩",
              "盘活闲置村部发展来料加工，带动{n}人就业", "引进茶叶加工企业1家，流转土地{n}亩")
PROJECTS = ("硬化村组道路{n}公里", "完成农村户厕改造{n}户", "新建村级养老服务站1个", "清淤扩容山塘{n}口",
            "新建村级党群服务中心1个")
COMMUNITY_WORK = ("推行“党建+网格+物业”模式，组建志愿服务队{n}支", "解决老旧小区加装电梯、停车难等民生问题{n}件",
                  "开展“我为群众办实事”实践活动{n}次", "建成“15分钟便民服务圈”，新增便民服务点{n}个")
OTHER_WORK = ("开展主题党日活动{n}次，推动党建与业务深度融合", "发展党员{n}名，培养入党积极分子{m}名",
              "组织党员志愿服务{n}次，开展结对帮扶", "完成上级交办的年度重点工作任务{n}项")
PROBLEMS = ("党员队伍老龄化，发展年轻党员力度不够。", "“三会一课”质量不高，存在重形式轻内容的现象。",
            "对流动党员的教育管理办法不多。", "本人理论学习不够系统，抓班子带队伍的方法还需改进。",
            "党建与中心工作结合不够紧密。")
VILLAGE_PROBLEMS = PROBLEMS + ("村集体经济增收渠道单一，后劲不足。",)
PLANS = ("加强后备力量培养，力争发展35岁以下党员2名。", "规范组织生活，提高主题党日质量。",
         "加强党员教育管理，落实党员积分制管理。", "推动党建与业务工作深度融合。")
VILLAGE_PLANS = ("推动在建产业项目落地见效，确保村集体经济稳步增收。", "深化网格化治理，提升为民服务水平。") + PLANS
PAST_STATES = ((DutyReportState.ACCEPTED, 0.82), (DutyReportState.SUBMITTED, 0.06),
               (DutyReportState.RETURNED, 0.06), (DutyReportState.DRAFT, 0.06))
CURRENT_STATES = ((DutyReportState.DRAFT, 0.45), (DutyReportState.SUBMITTED, 0.35),
                  (DutyReportState.RETURNED, 0.1), (DutyReportState.ACCEPTED, 0.1))
HALF = Decimal("0.5")


@dataclass
class BranchPlan:
    unit_id: int
    path: str
    members: int
    sector: str
    quality: float
    previous_score: Decimal  # the composite of the year before last (its tier is written directly)
    points: tuple[Decimal, ...]  # last year's superior points, per indicator in template order
    sample: tuple[int, int, tuple[int, ...]] | None = None  # seed, size, roster numbers drawn
    ratings: tuple[str, ...] = ()
    listings: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class CountyPlan:
    unit_id: int
    path: str
    name: str
    template_name: str
    indicators: list[dict]
    branches: list[BranchPlan]
    with_ballots: bool


def _points(value: float, max_score: Decimal) -> Decimal:
    raw = Decimal(str(value)) * max_score
    return min(max_score, max(Decimal(0), (raw / HALF).quantize(Decimal(1), rounding=ROUND_HALF_UP) * HALF))


class AssessmentPlanner:
    """Draws everything per county and branch from one random stream, in path order."""

    def __init__(self, *, seed: int, as_of: dt.date, offset: int = ASSESSMENT_SEED_OFFSET):
        self.rng = random.Random(seed + offset)
        self.as_of = as_of
        self.year = as_of.year - 1

    def template(self, short: str) -> tuple[str, list[dict]]:
        rng = self.rng
        n = rng.randint(4, 6)
        names = INDICATORS[:2] + tuple(rng.sample(INDICATORS[2:], n - 2))
        weights = WEIGHT_SETS[n]
        indicators = [{"name": name, "weight": Decimal(w), "max_score": Decimal(w if rng.random() < 0.5 else 10)}
                      for name, w in zip(names, weights)]
        return f"{self.year}年{short}基层党组织书记抓党建工作考核指标", indicators

    def branch(self, *, unit_id: int, path: str, members: int, sector: str, indicators: list[dict], policy,
               with_ballots: bool) -> BranchPlan:
        rng = self.rng
        quality = min(99.0, max(35.0, rng.gauss(86, 8)))
        previous = Decimal(str(min(99.0, max(30.0, quality - rng.gauss(2.5, 6))))).quantize(Decimal("0.01"))
        points = tuple(_points(min(1.0, max(0.3, quality / 100 + rng.gauss(0, 0.05))), i["max_score"])
                       for i in indicators)
        plan = BranchPlan(unit_id=unit_id, path=path, members=members, sector=sector, quality=quality,
                          previous_score=previous, points=points)
        if with_ballots and members:
            size = evaluation_sample_size(members=members, policy=policy)
            seed = rng.getrandbits(62)
            plan.sample = (seed, size, tuple(evaluation_draw_numbers(seed=seed, members=members, size=size)))
            if rng.random() < 0.06:  # a poor turnout: fewer answers than the policy's minimum
                answers = min(size, rng.randint(1, max(policy.evaluation_min_answers - 1, 1)))
            else:
                answers = size - rng.randint(0, size // 5)
            plan.ratings = tuple(self._rating(quality) for _ in range(answers))
        return plan

    def _rating(self, quality: float) -> str:
        x = quality + self.rng.gauss(0, 12)
        if x >= 88:
            return Rating.GOOD.value
        if x >= 74:
            return Rating.FAIRLY_GOOD.value
        if x >= 52:
            return Rating.AVERAGE.value
        return Rating.POOR.value

    def listings(self, branches: list[BranchPlan]) -> None:
        """A few weak-and-lax branches from the weakest, a few others on the negative list."""
        rng, n = self.rng, len(branches)
        if n < 10:
            return
        weakest = sorted(branches, key=lambda b: (b.quality, b.path))[: max(2, n * 15 // 100)]
        weak = rng.sample(weakest, max(1, round(n * 0.02)))
        for b in weak:
            reasons = VILLAGE_WEAK_REASONS if b.sector == Sector.VILLAGE else WEAK_REASONS
            b.listings.append((ListingKind.WEAK_AND_LAX.value, rng.choice(reasons)))
        others = [b for b in branches if b not in weak]
        for b in rng.sample(others, max(1, round(n * 0.03))):
            b.listings.append((ListingKind.NEGATIVE_LIST.value, rng.choice(NEGATIVE_REASONS)))

    def state(self, table) -> str:
        values, weights = zip(*table)
        return self.rng.choices(values, weights)[0]

    def report_text(self, sector: str) -> dict:
        rng = self.rng
        promised = rng.randint(3, 8)
        done = promised - (rng.random() < 0.3) * rng.randint(1, 2)
        rest = "全部兑现" if done >= promised else f"其余{promised - done}项正在推进"
        n = lambda lo, hi: rng.randint(lo, hi)  # noqa: E731
        if sector == Sector.VILLAGE:
            items = [f"一是抓班子带队伍，全年召开支委会{n(12, 24)}次、党员大会{n(4, 8)}次，按期开展“三会一课”和主题党日活动",
                     f"二是抓产业促增收，{rng.choice(INDUSTRIES).format(n=n(50, 800))}，村集体经济收入达到"
                     f"{n(8, 60)}万元",
                     f"三是抓治理保稳定，推行网格化管理，调处矛盾纠纷{n(5, 40)}起",
                     f"四是抓民生办实事，{rng.choice(PROJECTS).format(n=n(1, 12))}"]
        elif sector == Sector.COMMUNITY:
            items = [f"一是规范组织生活，全年召开支委会{n(12, 24)}次、党员大会{n(4, 8)}次",
                     f"二是{rng.choice(COMMUNITY_WORK).format(n=n(3, 20))}",
                     f"三是调处矛盾纠纷{n(10, 60)}起，辖区保持和谐稳定"]
        else:
            items = [f"一是严格落实“三会一课”制度，全年召开支委会{n(10, 20)}次",
                     f"二是{rng.choice(OTHER_WORK).format(n=n(2, 12), m=n(2, 8))}",
                     "三是认真履行全面从严治党主体责任，抓好党风廉政建设"]
        return {
            "commitments": f"年初公开承诺事项{promised}项，已完成{min(done, promised)}项，{rest}。",
            "work_done": "；".join(items) + "。",
            "problems": "".join(rng.sample(VILLAGE_PROBLEMS if sector == Sector.VILLAGE else PROBLEMS, 2)),
            "plans": "".join(rng.sample(VILLAGE_PLANS if sector == Sector.VILLAGE else PLANS, 2)),
        }


def _short(name: str) -> str:
    return name.removesuffix("委")


def _branches(county_path: str) -> list[tuple]:
    return list(OrgUnit.objects.filter(path__startswith=county_path, level__in=BRANCH_LEVELS, is_active=True)
                .order_by("path").values_list("id", "path", "members", "sector"))


def assessment_plan(*, seed: int, as_of: dt.date, large: bool | None = None) -> list[CountyPlan]:
    """The plan of last year's assessment for the registry as it stands (no writes): per county its
    template, and per branch the latent quality, the earlier year's composite, the superior points,
    the evaluation sample and ballots and the listings."""
    planner = AssessmentPlanner(seed=seed, as_of=as_of)
    counties = list(OrgUnit.objects.filter(level=Level.COUNTY).order_by("path").values_list("id", "path", "name"))
    if large is None:
        large = OrgUnit.objects.filter(level__in=BRANCH_LEVELS).count() > LARGE_BRANCHES
    resolver = PolicyResolver(year=planner.year)
    plans = []
    for i, (county_id, path, name) in enumerate(counties):
        template_name, indicators = planner.template(_short(name))
        with_ballots = i == 0 or not large
        branches = [planner.branch(unit_id=uid, path=p, members=members, sector=sector, indicators=indicators,
                                   policy=resolver.for_unit(unit_id=uid, path=p), with_ballots=with_ballots)
                    for uid, p, members, sector in _branches(path)]
        planner.listings(branches)
        plans.append(CountyPlan(unit_id=county_id, path=path, name=name, template_name=template_name,
                                indicators=indicators, branches=branches, with_ballots=with_ballots))
    return plans


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _cycle_dates(year: int) -> dict:
    return {"reports_due": dt.date(year, 12, 10), "evaluations_due": dt.date(year, 12, 20),
            "classification_date": dt.date(year, 12, 26), "publication_date": dt.date(year, 12, 30)}


def _secretaries(county_path: str, year: int, *, current_only: bool = False) -> dict[int, int]:
    """Branch id → the person who held its secretary post last in ``year`` (or holds it now)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = Appointment.objects.filter(unit__path__startswith=county_path, role=AppointmentRole.SECRETARY,
                                    start_date__lte=last)
    qs = qs.filter(end_date__isnull=True) if current_only else qs.filter(Q(end_date__isnull=True) |
                                                                           Q(end_date__gte=first))
    return dict(qs.order_by("unit_id", "start_date", "id").values_list("unit_id", "person_id"))


class _Writer:
    def __init__(self, *, planner: AssessmentPlanner, chunk: int, reviewer_for: Callable[[str], object]):
        self.planner, self.chunk, self.reviewer_for = planner, chunk, reviewer_for
        self.counts: dict[str, int] = {}

    def add(self, model, n: int) -> None:
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + n

    def bulk(self, model, objs: list) -> list:
        if objs:
            model.objects.bulk_create(objs, batch_size=self.chunk)
            self.add(model, len(objs))
        return objs

    def duty_reports(self, *, county_path: str, year: int, sectors: dict[int, str], secretaries: dict[int, int],
                     states, skip_units=frozenset()) -> None:
        """Reports in bulk, each with the events its state implies (R-ASM-2)."""
        planner, rng = self.planner, self.planner.rng
        reviewer = self.reviewer_for(county_path)
        due = dt.date(year, 12, 10)
        latest = min(due, planner.as_of - dt.timedelta(days=1))
        reports, steps = [], []
        for unit_id, person_id in secretaries.items():
            if unit_id in skip_units or unit_id not in sectors:
                continue
            state = planner.state(states)
            text = planner.report_text(sectors[unit_id])
            if state == DutyReportState.DRAFT and rng.random() < 0.5:
                text["work_done"], text["problems"], text["plans"] = text["work_done"].split("；")[0], "", ""
            submitted = latest - dt.timedelta(days=rng.randint(0, 25))
            decided = min(submitted + dt.timedelta(days=rng.randint(1, 10)), latest)
            report = DutyReport(unit_id=unit_id, person_id=person_id, year=year, state=state, **text)
            path = [("", DutyReportState.DRAFT, "")]
            if state != DutyReportState.DRAFT:
                report.submitted_at = _aware(submitted)
                path.append((DutyReportState.DRAFT, DutyReportState.SUBMITTED, ""))
            if state == DutyReportState.RETURNED:
                report.return_reason = rng.choice(RETURN_REASONS)
                report.decided_at = _aware(decided, 15)
                path.append((DutyReportState.SUBMITTED, DutyReportState.RETURNED, report.return_reason))
            elif state == DutyReportState.ACCEPTED:
                report.decided_at = _aware(decided, 15)
                path.append((DutyReportState.SUBMITTED, DutyReportState.ACCEPTED, ""))
            reports.append(report)
            steps.append(path)
        self.bulk(DutyReport, reports)
        snapshot_fields = ("commitments", "work_done", "problems", "plans")
        events = [
            DutyReportEvent(report=r, from_state=a, to_state=b, reason=reason,
                            snapshot={f: getattr(r, f) for f in snapshot_fields},
                            by=reviewer if b in (DutyReportState.RETURNED, DutyReportState.ACCEPTED) else None)
            for r, path in zip(reports, steps) for a, b, reason in path
        ]
        self.bulk(DutyReportEvent, events)


def seed_assessment(sender, *, seed: int, as_of: dt.date, history: bool, chunk: int,
                    progress: Callable[[str], None], result, **kwargs) -> None:
    """Receiver of ``demo_seeded``: two years of assessment for every county, and this year's for the first.

    ``history`` is not used: the assessment models keep no per-row history (their audit trails are the
    duty-report events and classification changes)."""
    started = time.monotonic()
    year, earlier, this_year = as_of.year - 1, as_of.year - 2, as_of.year
    large = result.counts.get("branches", 0) > LARGE_BRANCHES
    plans = assessment_plan(seed=seed, as_of=as_of, large=large)
    if not plans:
        return
    if large:
        progress(f"  assessment: more than {LARGE_BRANCHES:,} branches — evaluation ballots and duty reports "
                 f"only for {plans[0].name}")
    users = {u.username: u for u in User.objects.filter(username__in=("admin", "county_staff", "secretary_demo"))}
    admin = users.get("admin")
    county_staff = users.get("county_staff")

    def reviewer_for(path: str):
        return county_staff if county_staff and county_staff.unit and county_staff.unit.path == path else admin

    planner = AssessmentPlanner(seed=seed, as_of=as_of, offset=TEXT_SEED_OFFSET)
    w = _Writer(planner=planner, chunk=chunk, reviewer_for=reviewer_for)
    earlier_resolver = PolicyResolver(year=earlier)
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=[p.unit_id for p in plans])}
    secretary_user = users.get("secretary_demo")
    demo_person = getattr(secretary_user, "person", None) if secretary_user else None

    for i, plan in enumerate(plans):
        county = units[plan.unit_id]
        sectors = {uid: sector for uid, _p, _m, sector in _branches(plan.path)}
        # The year before last: published tiers, written directly.
        old = cycle_create(unit=county, year=earlier, **_cycle_dates(earlier))
        stamp = timezone.now()
        rows, review_policies = [], {}
        for b in plan.branches:
            policy = earlier_resolver.for_unit(unit_id=b.unit_id, path=b.path)
            if id(policy.values) not in review_policies:
                review_policies[id(policy.values)] = review_policy_for(cycle=old, policy=policy).pk
            out = classification_compute(branch=BranchInput(unit_id=b.unit_id, superior=b.previous_score),
                                         policy=policy)
            rows.append(Classification(unit_id=b.unit_id, year=earlier, cycle=old, computed_at=stamp,
                                       review_policy_id=review_policies[id(policy.values)], **out))
        w.bulk(Classification, rows)
        if rows:
            cycle_publish(cycle=old, by=admin)
        w.add(AssessmentCycle, 1)

        # Last year: cycle, template, scores, evaluation, listings, duty reports, the review.
        cycle = cycle_create(unit=county, year=year, **_cycle_dates(year))
        w.add(AssessmentCycle, 1)
        template = indicator_template_save(unit=county, year=year, name=plan.template_name,
                                           indicators=plan.indicators)
        w.add(IndicatorTemplate, 1)
        indicators = list(template.indicators.order_by("position"))
        scores = []
        for b in plan.branches:
            points = {str(ind.pk): p for ind, p in zip(indicators, b.points)}
            scores.append(BranchScore(unit_id=b.unit_id, year=year, template=template,
                                      points={k: str(v) for k, v in points.items()},
                                      superior_score=superior_score_compute(indicators=indicators, points=points),
                                      scored_by=reviewer_for(plan.path)))
        w.bulk(BranchScore, scores)
        if plan.with_ballots:
            resolver = PolicyResolver(year=year)
            with_sample = [b for b in plan.branches if b.sample]
            samples = w.bulk(EvaluationSample, [
                EvaluationSample(unit_id=b.unit_id, year=year, seed=b.sample[0], member_count=b.members,
                                 sample_size=b.sample[1], drawn=list(b.sample[2]),
                                 policy=resolver.for_unit(unit_id=b.unit_id, path=b.path).explain(
                                     "evaluation_sample_share", "evaluation_sample_min"),
                                 created_by=reviewer_for(plan.path),
                                 # R-ASM-3: closed on the due date, so the demo's aggregates show
                                 # whatever the real date is against --as-of.
                                 closed_at=_aware(_cycle_dates(year)["evaluations_due"], 18),
                                 closed_by=reviewer_for(plan.path))
                for b in with_sample
            ])
            w.bulk(EvaluationRating, [EvaluationRating(sample_id=s.pk, rating=r)
                                      for s, b in zip(samples, with_sample) for r in b.ratings])
        listed = [(b, kind, reason) for b in plan.branches for kind, reason in b.listings]
        if len(listed) <= LISTINGS_BY_SERVICE:
            branch_units = OrgUnit.objects.in_bulk([b.unit_id for b, _k, _r in listed])
            for b, kind, reason in listed:
                branch_listing_add(unit=branch_units[b.unit_id], year=year, kind=kind, reason=reason,
                                   by=reviewer_for(plan.path))
            w.add(BranchListing, len(listed))
        else:
            w.bulk(BranchListing, [BranchListing(unit_id=b.unit_id, year=year, kind=kind, reason=reason,
                                                 created_by=reviewer_for(plan.path)) for b, kind, reason in listed])
        if plan.with_ballots:
            w.duty_reports(county_path=plan.path, year=year, sectors=sectors,
                           secretaries=_secretaries(plan.path, year), states=PAST_STATES)
        review = annual_review_run(cycle_id=cycle.pk)
        w.add(Classification, review["branches"])
        w.add(Sanction, review["sanctions"])
        if i > 0:  # the first county is still calibrating
            cycle_publish(cycle=cycle, by=admin)
        connection.queries_log.clear()

    # This year, first county: the cycle is open and the reports are being written.
    first = units[plans[0].unit_id]
    cycle_create(unit=first, year=this_year, **_cycle_dates(this_year))
    w.add(AssessmentCycle, 1)
    _name, indicators = planner.template(_short(first.name))
    template = indicator_template_save(unit=first, year=this_year, name=f"{this_year}年{_short(first.name)}"
                                       "基层党组织书记抓党建工作考核指标", indicators=indicators)
    w.add(IndicatorTemplate, 1)
    sectors = {uid: sector for uid, _p, _m, sector in _branches(first.path)}
    skip = set()
    if demo_person is not None:  # the demo login writes this year's report through the service
        report = duty_report_start(user=secretary_user, year=this_year)
        text = planner.report_text(report.unit.sector)
        duty_report_save(report=report, data={"commitments": text["commitments"],
                                              "work_done": text["work_done"].split("；")[0]}, by=secretary_user)
        w.add(DutyReport, 1)
        skip.add(report.unit_id)
    w.duty_reports(county_path=first.path, year=this_year, sectors=sectors,
                   secretaries=_secretaries(first.path, this_year, current_only=True), states=CURRENT_STATES,
                   skip_units=skip)

    order = ("AssessmentCycle", "IndicatorTemplate", "BranchScore", "EvaluationSample", "EvaluationRating",
             "BranchListing", "Classification", "Sanction", "DutyReport")
    for name in order:
        label = f"assessment.{name}"
        if w.counts.get(label):
            result.counts[label] = w.counts[label]
    progress(f"  assessment: {len(plans)} counties, {w.counts.get('assessment.Classification', 0):,} "
             f"classifications, {w.counts.get('assessment.EvaluationRating', 0):,} ballots, "
             f"{w.counts.get('assessment.DutyReport', 0):,} duty reports  {time.monotonic() - started:7.1f} s")
