"""Demo training data for ``seed_demo`` (R-TRN-1..5): courses and the secretaries' attendances.

Connected to ``cadres.demo.demo_seeded`` in ``TrainingConfig.ready()`` (cadres never imports
training). The city, every county and about a third of the townships organise courses of every
kind in ``CourseKind``: initial training twice a year in each county (back to the oldest first
appointment still relevant, so long-serving secretaries have theirs on record), party-school
rotations, yearly and thematic courses, forums, study tours, secondments, degree study and
online self-study in the previous and the current year.

Attendances are planned per secretary so the compliance report (R-TRN-5) shows a realistic mix:

* R-TRN-1 — most done on time (the first session after the appointment, or up to a year before
  it as a reserve), some late, a few overdue, and due for the newly appointed;
* R-TRN-2 — yearly days spread around the policy's threshold: some exactly on it (7.0), some
  just under (6.9, 6.8), most above, a few far below; the current year counts to ``as_of`` only;
* R-TRN-3 — most terms with a party-school rotation; some terms near their end without one
  (flagged).

Everything is drawn from ``random.Random(seed + TRAINING_SEED_OFFSET)`` in a fixed order (courses
by organiser path, secretaries by person id), so the same seed and registry give the same plan
(``training_plan``). Rows go in with ``bulk_create`` in chunks — with history rows
(``bulk_create_with_history``) when the seed keeps history — never one save per row.
"""
from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import DateField, Min, OuterRef, Q, Subquery
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cadres.choices import AppointmentRole
from cadres.demo import CHANGE_REASON, COUNTIES
from cadres.models import Appointment
from core.choices import Level
from core.models import OrgUnit
from core.services.policies import PolicyResolver
from training.choices import ContentCategory, CourseKind
from training.models import Attendance, Course

TRAINING_SEED_OFFSET = 3_100_017
HISTORY_YEARS = 12  # initial-training sessions are planned at most this far back
TOWNSHIP_ORGANISER_SHARE = 0.35

_K, _C = CourseKind, ContentCategory
CODE_PREFIX = {
    _K.INITIAL: "CR", _K.ANNUAL: "ND", _K.PARTY_SCHOOL_ROTATION: "LX", _K.THEMATIC: "ZT", _K.SECONDMENT: "GG",
    _K.DEGREE: "XL", _K.FORUM: "LT", _K.STUDY_TOUR: "KC", _K.SELF_STUDY: "ZX",
}
CATEGORIES = {
    _K.INITIAL: (_C.THEORY, _C.PARTY_BUILDING_POLICY, _C.BRANCH_PRACTICE),
    _K.ANNUAL: (_C.PARTY_BUILDING_POLICY, _C.BRANCH_PRACTICE, _C.CENTRAL_WORK),
    _K.PARTY_SCHOOL_ROTATION: (_C.THEORY, _C.PARTY_BUILDING_POLICY),
    _K.THEMATIC: (_C.THEORY, _C.CENTRAL_WORK),
    _K.SECONDMENT: (_C.CENTRAL_WORK, _C.BRANCH_PRACTICE),
    _K.DEGREE: (_C.THEORY,),
    _K.FORUM: (_C.BRANCH_PRACTICE,),
    _K.STUDY_TOUR: (_C.BRANCH_PRACTICE, _C.CENTRAL_WORK),
    _K.SELF_STUDY: (_C.THEORY, _C.PARTY_BUILDING_POLICY),
}
THEMES = (
    "学习贯彻党的二十届三中全会精神专题培训班",
    "学习贯彻习近平新时代中国特色社会主义思想专题培训班",
    "抓党建促乡村振兴专题培训班",
    "党建引领基层治理能力提升专题培训班",
    "发展壮大村级集体经济专题培训班",
    "党纪学习教育专题读书班",
    "深入贯彻中央八项规定精神学习教育专题培训班",
    "信访工作法治化专题培训班",
    "防汛抗旱和应急处置专题培训班",
    "基层党组织规范化建设专题培训班",
)
TOURS = (
    ("赴花垣县十八洞村精准扶贫首倡地现场教学", "湘西州花垣县十八洞村", 3),
    ("赴韶山红色教育基地现场教学", "湘潭市韶山市", 2),
    ("赴浙江学习“千万工程”经验现场教学", "浙江省湖州市安吉县余村", 4),
    ("赴井冈山干部学院理想信念教育现场教学", "江西省吉安市井冈山市", 4),
    ("赴汝城县沙洲村“半条被子”故事发生地现场教学", "郴州市汝城县沙洲村", 2),
)
PERIODS = ("一", "二", "三", "四", "五", "六")
LEAVE_NOTE = "请假半天，按0.5天登记"
DEGREE_NOTE = "学历教育按学年折算6天"


@dataclass(frozen=True)
class Organiser:
    id: int
    code: str
    path: str
    name: str
    level: str
    short: str  # 常德市, 安乡县, 东山镇 …


@dataclass(frozen=True)
class CourseSpec:
    code: str
    name: str
    kind: str
    organiser_id: int
    organiser_path: str
    organiser_level: str
    start: dt.date
    end: dt.date
    hours: Decimal
    categories: tuple
    capacity: int | None = None
    location: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Secretary:
    """A person who held a branch secretary post between 1 January last year and ``as_of``."""

    person_id: int
    unit_id: int
    unit_path: str
    first_start: dt.date  # their first secretary appointment ever (R-TRN-1)
    office_from: dt.date  # start of their posts in the window
    start: dt.date  # start of the latest post (the term of R-TRN-3)
    end: dt.date | None
    planned_end: dt.date | None
    prev_start: dt.date | None = None  # an earlier post in the window (the term before a re-election)
    prev_end: dt.date | None = None
    policy: object = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class AttendanceSpec:
    person_id: int
    course_code: str
    completed: bool
    completed_on: dt.date | None
    hours: Decimal | None = None
    days: Decimal | None = None
    certificate_number: str = ""
    notes: str = ""


def _d(value) -> Decimal:
    return Decimal(str(value))


def _short(unit_name: str, code: str, level: str) -> str:
    if level == Level.COUNTY:
        for county in COUNTIES:
            if county.region == code:
                return county.short
    return unit_name.removesuffix("党工委").removesuffix("党委").removesuffix("委")


class TrainingPlanner:
    """Plans courses once, then attendances secretary by secretary from one random stream."""

    def __init__(self, *, seed: int, as_of: dt.date, organisers: list[Organiser], first_year: int):
        self.rng = random.Random(seed + TRAINING_SEED_OFFSET)
        self.as_of = as_of
        self.years = (as_of.year - 1, as_of.year)
        self.first_year = max(min(first_year, as_of.year - 1), as_of.year - HISTORY_YEARS)
        self.organisers = sorted(organisers, key=lambda o: o.path)
        self.courses: list[CourseSpec] = []
        self._numbers: dict[tuple, int] = {}
        for org in self.organisers:
            self._plan_organiser(org)
        self.by_path: dict[str, list[CourseSpec]] = {}
        for c in self.courses:
            self.by_path.setdefault(c.organiser_path, []).append(c)
        self._visible_cache: dict[tuple, dict] = {}
        self._certificates: dict[str, int] = {}
        # Guarantee every R-TRN-1 and R-TRN-3 outcome appears once before chance takes over.
        self._force_recent = ["done_late", "overdue"]
        self._force_open = ["due"]
        self._force_flagged = True

    # -- courses -----------------------------------------------------------------------------------
    def _date(self, year: int, month: int, lo: int = 1, hi: int = 25) -> dt.date:
        return dt.date(year, month, self.rng.randint(lo, hi))

    def _add(self, org: Organiser, year: int, kind: str, name: str, start: dt.date, days: int, hours,
             *, capacity=None, location="", notes="", end: dt.date | None = None) -> None:
        key = (org.id, year, kind)
        n = self._numbers[key] = self._numbers.get(key, 0) + 1
        self.courses.append(CourseSpec(
            code=f"{org.code}-{year}-{CODE_PREFIX[kind]}{n:02d}", name=name, kind=kind, organiser_id=org.id,
            organiser_path=org.path, organiser_level=org.level, start=start,
            end=end or start + dt.timedelta(days=max(days, 1) - 1), hours=_d(hours),
            categories=tuple(c.value for c in CATEGORIES[kind]), capacity=capacity, location=location, notes=notes,
        ))

    def _plan_organiser(self, org: Organiser) -> None:
        rng = self.rng
        if org.level in (Level.CITY, Level.COUNTY):
            school = org.name + "党校"
            who = "市直单位" if org.level == Level.CITY else "村（社区）"
            for year in range(self.first_year, self.as_of.year + 1):
                for k, month in enumerate((4, 10)):
                    self._add(org, year, _K.INITIAL,
                              f"{year}年{org.short}{who}党组织书记初任培训班（第{PERIODS[k]}期）",
                              self._date(year, month, 8, 20), 5, 40, capacity=rng.randint(8, 15) * 10,
                              location=school)
        for year in self.years:
            if org.level == Level.CITY:
                self._plan_city(org, year)
            elif org.level == Level.COUNTY:
                self._plan_county(org, year)
            else:
                self._plan_township(org, year)

    def _plan_city(self, org: Organiser, year: int) -> None:
        rng, school = self.rng, org.name + "党校"
        self._add(org, year, _K.ANNUAL, f"{year}年全市村（社区）党组织书记示范培训班", self._date(year, 5), 3, 24,
                  capacity=200, location=school)
        for n, month in enumerate((3, 9), start=1):
            self._add(org, year, _K.PARTY_SCHOOL_ROTATION, f"{school}{year}年第{n}期基层党组织书记轮训班",
                      self._date(year, month), 7, 56, capacity=120, location=school)
        for theme, month in zip(rng.sample(THEMES, 2), (6, 11)):
            self._add(org, year, _K.THEMATIC, f"{year}年全市{theme}", self._date(year, month), 2, 16,
                      capacity=150, location=school)
        self._add(org, year, _K.FORUM, f"{year}年全市抓党建促乡村振兴经验交流会", self._date(year, 7), 1, 8,
                  capacity=300, location=org.short + "会议中心")
        name, place, days = rng.choice(TOURS)
        self._add(org, year, _K.STUDY_TOUR, f"{year}年全市优秀党组织书记{name}", self._date(year, 8), days,
                  days * 8, capacity=60, location=place)
        self._add(org, year, _K.SECONDMENT, f"{year}年优秀村（社区）党组织书记市直部门跟岗锻炼",
                  self._date(year, 4, 1, 10), 14, 80, capacity=30, location=org.short + "直有关部门")
        self._add(org, year, _K.DEGREE, f"村（社区）干部学历提升计划（{year - 2}级大专班）", dt.date(year - 2, 9, 1), 0, 120,
                  end=dt.date(year, 6, 30), capacity=100, location="湖南开放大学常德分校",
                  notes="两年制，在职学习")
        self._add(org, year, _K.SELF_STUDY, f"{year}年度{org.short}干部网络学院在线学习", dt.date(year, 1, 1), 0, 60,
                  end=dt.date(year, 12, 31), location="干部网络学院", notes="按实际学时登记，全年不超过60学时")

    def _plan_county(self, org: Organiser, year: int) -> None:
        rng, school = self.rng, org.name + "党校"
        self._add(org, year, _K.ANNUAL, f"{year}年度{org.short}村（社区）党组织书记履职能力提升培训班",
                  self._date(year, 6), 3, 24, capacity=rng.randint(15, 30) * 10, location=school)
        for n, month in enumerate((3, 5, 9), start=1):
            self._add(org, year, _K.PARTY_SCHOOL_ROTATION, f"{school}{year}年第{n}期基层党组织书记轮训班",
                      self._date(year, month), 5, 40, capacity=rng.randint(8, 12) * 10, location=school)
        for theme, month in zip(rng.sample(THEMES, 2), (4, 10)):
            days = rng.choice((1, 2))
            self._add(org, year, _K.THEMATIC, f"{year}年{org.short}{theme}", self._date(year, month), days,
                      days * 8, capacity=rng.randint(10, 25) * 10, location=school)
        self._add(org, year, _K.FORUM, f"{year}年{org.short}基层党建“书记论坛”", self._date(year, 11, 1, 15), 1, 8,
                  capacity=200, location=org.short + "党员教育中心")
        name, place, days = rng.choice(TOURS)
        self._add(org, year, _K.STUDY_TOUR, f"{year}年{org.short}{name}", self._date(year, rng.choice((5, 8, 10))),
                  days, days * 8, capacity=50, location=place)
        self._add(org, year, _K.SECONDMENT, f"{year}年{org.short}村党组织书记到县直部门和先进村跟岗学习",
                  self._date(year, 7, 1, 10), 14, 80, capacity=20, location=org.short + "直有关部门")

    def _plan_township(self, org: Organiser, year: int) -> None:
        rng = self.rng
        self._add(org, year, _K.THEMATIC, f"{org.short}{year}年党纪学习教育专题培训", self._date(year, rng.randint(3, 9)),
                  1, 8, capacity=rng.randint(4, 8) * 10, location=org.short + "党群服务中心")
        self._add(org, year, _K.FORUM, f"{org.short}{year}年村（社区）党组织书记“擂台比武”述职交流会",
                  self._date(year, rng.randint(7, 11)), 1, 4, capacity=rng.randint(4, 8) * 10,
                  location=org.short + "党群服务中心")

    # -- what a secretary can attend ------------------------------------------------------------
    def _visible(self, unit_path: str) -> dict:
        step = OrgUnit.steplen
        key = tuple(p for p in (unit_path[:i] for i in range(step, len(unit_path) + 1, step)) if p in self.by_path)
        cached = self._visible_cache.get(key)
        if cached is not None:
            return cached
        courses = [c for p in key for c in self.by_path[p]]
        # Initial training is given by the nearest organiser that runs it (the county, else the city).
        initial = []
        for p in reversed(key):
            initial = [c for c in self.by_path[p] if c.kind == _K.INITIAL]
            if initial:
                break
        by_kind: dict[str, list[CourseSpec]] = {}
        for c in courses:
            by_kind.setdefault(c.kind, []).append(c)
        view = {
            "initial": sorted(initial, key=lambda c: (c.end, c.code)),
            "rotation": sorted(by_kind.get(_K.PARTY_SCHOOL_ROTATION, []), key=lambda c: (c.end, c.code)),
            "regular": {y: [c for c in courses if c.start.year == y and c.kind in (
                _K.ANNUAL, _K.THEMATIC, _K.FORUM, _K.STUDY_TOUR)] for y in self.years},
            "rare": {y: [c for c in courses if c.end.year == y and c.kind in (_K.SECONDMENT, _K.DEGREE)]
                     for y in self.years},
            "self_study": {y: next((c for c in courses if c.kind == _K.SELF_STUDY and c.start.year == y), None)
                           for y in self.years},
        }
        self._visible_cache[key] = view
        return view

    def _certificate(self, course: CourseSpec) -> str:
        n = self._certificates.get(course.code, 0) + 1
        self._certificates[course.code] = n
        return f"{course.code}-{n:03d}"

    def _done(self, s: Secretary, course: CourseSpec, **kw) -> AttendanceSpec:
        return AttendanceSpec(person_id=s.person_id, course_code=course.code, completed=True,
                              completed_on=kw.pop("completed_on", course.end), **kw)

    # -- R-TRN-1 ----------------------------------------------------------------------------------
    def _initial(self, s: Secretary, sessions: list[CourseSpec]) -> CourseSpec | None:
        rng, as_of = self.rng, self.as_of
        deadline = s.first_start + relativedelta(months=s.policy.initial_training_months)
        held = [c for c in sessions if c.end <= as_of]
        after = [c for c in held if s.first_start <= c.end <= deadline]
        before = [c for c in held if s.first_start - dt.timedelta(days=365) <= c.end < s.first_start]
        on_time = after[0] if after else (before[-1] if before else None)
        late = next((c for c in held if c.end > deadline), None)
        current = s.end is None
        if deadline >= as_of:  # the window is still open
            if self._force_open and current:
                self._force_open.pop()
                return None
            return on_time if rng.random() < 0.5 else None
        roll = rng.random()
        if deadline.year >= as_of.year - 1:
            if current and self._force_recent and (late is not None or self._force_recent[0] == "overdue"):
                outcome = self._force_recent.pop(0)
                return late if outcome == "done_late" else None
            if roll < 0.07:
                return None
            if roll < 0.19 and late is not None:
                return late
        else:
            if roll < 0.01:
                return None
            if roll < 0.07 and late is not None:
                return late
        return on_time or late

    # -- R-TRN-3 ----------------------------------------------------------------------------------
    def _rotation(self, s: Secretary, sessions: list[CourseSpec]) -> CourseSpec | None:
        rng = self.rng
        until = min(d for d in (s.planned_end, s.end, self.as_of) if d is not None)
        candidates = [c for c in sessions if c.start >= s.start and c.end <= until]
        near_end = s.planned_end is not None and (
            self.as_of + relativedelta(months=s.policy.rotation_warning_months) > s.planned_end)
        if near_end and s.end is None and self._force_flagged:
            self._force_flagged = False
            return None
        if not candidates or rng.random() >= (0.8 if near_end else 0.72):
            return None
        return rng.choice(candidates)

    # -- R-TRN-2 ----------------------------------------------------------------------------------
    def _target_days(self) -> Decimal:
        rng, roll = self.rng, self.rng.random()
        if roll < 0.12:
            value = 7.0
        elif roll < 0.21:
            value = rng.choice((6.9, 6.9, 6.8, 6.5))
        elif roll < 0.31:
            value = rng.randint(30, 64) / 10
        elif roll < 0.35:
            value = rng.randint(0, 25) / 10
        else:
            value = rng.randint(72, 120) / 10
        return _d(value)

    def attendances_for(self, s: Secretary) -> list[AttendanceSpec]:
        rng, as_of = self.rng, self.as_of
        hpd = _d(s.policy.hours_per_day)
        view = self._visible(s.unit_path)
        days_of = {}

        def days(c: CourseSpec) -> Decimal:
            return days_of.get(c.code, c.hours / hpd)

        out: dict[str, AttendanceSpec] = {}
        initial = self._initial(s, view["initial"])
        if initial is not None:
            out[initial.code] = self._done(s, initial, certificate_number=self._certificate(initial))
        rotation = self._rotation(s, view["rotation"])
        fixed = [c for c in (initial, rotation) if c is not None]
        if s.prev_end is not None and rng.random() < 0.7:  # the previous term's rotation, late in that term
            earlier = [c for c in view["rotation"] if c.start >= s.prev_start and c.end <= s.prev_end
                       and (rotation is None or c.end.year != rotation.end.year)]
            if earlier:
                fixed.append(rng.choice(earlier))
        for c in fixed[1 if initial is not None else 0:]:
            out[c.code] = self._done(s, c, certificate_number=self._certificate(c))

        for year in self.years:
            jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
            first = max(s.office_from, jan1)
            last = min(d for d in (s.end, dec31, as_of) if d is not None)
            if first > last:
                continue
            horizon = min(dec31, as_of)
            measured = first + relativedelta(months=s.policy.annual_training_min_months) <= dec31 + dt.timedelta(1)
            target = self._target_days() if measured else _d(rng.randint(0, 30) / 10)
            share = Decimal((horizon - jan1).days) / 300
            if share < 1:  # early in the current year: the part done so far
                target = (target * share * _d(round(rng.uniform(0.85, 1.15), 2))).quantize(Decimal("0.1"))
            total = sum((days(c) for c in fixed if c.end.year == year), Decimal(0))
            for c in rng.sample(view["rare"][year], len(view["rare"][year])):
                if c.end <= horizon and c.start >= s.office_from - dt.timedelta(days=365) and rng.random() < 0.02:
                    extra = {}
                    if c.kind == _K.DEGREE:
                        extra = {"days": Decimal("6"), "notes": DEGREE_NOTE}
                        days_of[c.code] = Decimal("6")
                    out[c.code] = self._done(s, c, **extra)
                    total += days(c)
            regular = [c for c in view["regular"][year] if c.start >= first and c.end <= min(last, horizon)]
            for c in rng.sample(regular, len(regular)):
                if c.code in out:
                    continue
                d = days(c)
                extra = {}
                if d == 1 and total + d > target and total + Decimal("0.5") <= target:
                    d, extra = Decimal("0.5"), {"days": Decimal("0.5"), "notes": LEAVE_NOTE}
                if total + d <= target:
                    out[c.code] = self._done(s, c, **extra)
                    total += d
            rest = (target - total).quantize(Decimal("0.1"))
            online = view["self_study"][year]
            if rest > 0 and online is not None and first <= horizon:
                on = first + dt.timedelta(days=rng.randint(0, max((horizon - first).days, 0)))
                out[online.code] = self._done(s, online, completed_on=on, hours=(rest * hpd).quantize(Decimal("0.01")))
            if year == as_of.year:  # signed up for a course still to come
                coming = [c for c in view["regular"][year] if c.start > as_of and c.code not in out]
                if coming and rng.random() < 0.3:
                    c = rng.choice(coming)
                    out[c.code] = AttendanceSpec(person_id=s.person_id, course_code=c.code, completed=False,
                                                 completed_on=None, notes="已报名")
        return list(out.values())


# --------------------------------------------------------------------------------------------
# Reading the registry
# --------------------------------------------------------------------------------------------

def load_organisers(*, seed: int) -> list[Organiser]:
    """The city, every county and about a third of the townships (drawn from the seed), by path."""
    rng = random.Random(seed + TRAINING_SEED_OFFSET + 1)
    out = []
    rows = OrgUnit.objects.filter(level__in=(Level.CITY, Level.COUNTY, Level.TOWNSHIP)).order_by("path") \
        .values_list("id", "code", "path", "name", "level")
    for uid, code, path, name, level in rows:
        if level == Level.TOWNSHIP and rng.random() >= TOWNSHIP_ORGANISER_SHARE:
            continue
        out.append(Organiser(id=uid, code=code, path=path, name=name, level=level, short=_short(name, code, level)))
    return out


def _secretary_posts(*, as_of: dt.date):
    first_start = (
        Appointment.objects.filter(person=OuterRef("person"), role=AppointmentRole.SECRETARY)
        .order_by().values("person").annotate(first=Min("start_date")).values("first")
    )
    return (
        Appointment.objects.filter(role=AppointmentRole.SECRETARY, start_date__lte=as_of)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=dt.date(as_of.year - 1, 1, 1)))
        .annotate(first_start=Subquery(first_start, output_field=DateField()))
        .order_by("person_id", "start_date", "id")
        .values_list("person_id", "unit_id", "unit__path", "start_date", "end_date", "planned_end_date", "first_start")
    )


def iter_secretaries(*, as_of: dt.date, chunk: int = 5000) -> Iterator[Secretary]:
    """Everyone who held a secretary post from 1 January last year to ``as_of``, by person id."""
    resolver = PolicyResolver(year=as_of.year)
    posts = _secretary_posts(as_of=as_of).iterator(chunk_size=chunk)
    for person_id, group in itertools.groupby(posts, key=lambda row: row[0]):
        group = list(group)
        _pid, unit_id, path, start, end, planned_end, first_start = group[-1]
        prev = group[-2] if len(group) > 1 else None
        yield Secretary(person_id=person_id, unit_id=unit_id, unit_path=path, first_start=first_start,
                        office_from=group[0][3], start=start, end=end, planned_end=planned_end,
                        prev_start=prev[3] if prev else None, prev_end=prev[4] if prev else None,
                        policy=resolver.for_unit(unit_id=unit_id, path=path))


def earliest_first_start(*, as_of: dt.date) -> int:
    row = _secretary_posts(as_of=as_of).order_by().aggregate(first=Min("first_start"))
    return (row["first"] or as_of).year - 1


def training_plan(*, seed: int, as_of: dt.date, chunk: int = 5000) -> tuple[list[CourseSpec], list[AttendanceSpec]]:
    """The whole plan for the registry as it stands: what the receiver writes, for tests and inspection."""
    planner = TrainingPlanner(seed=seed, as_of=as_of, organisers=load_organisers(seed=seed),
                              first_year=earliest_first_start(as_of=as_of))
    attendances = [a for s in iter_secretaries(as_of=as_of, chunk=chunk) for a in planner.attendances_for(s)]
    return planner.courses, attendances


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

def _batches(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


def seed_training(sender, *, seed: int, as_of: dt.date, history: bool, chunk: int,
                  progress: Callable[[str], None], result, **kwargs) -> None:
    """Receiver of ``demo_seeded``: courses and attendances for the freshly seeded registry."""
    started = time.monotonic()
    organisers = load_organisers(seed=seed)
    if not organisers:
        return
    stamp = timezone.now()

    def bulk(model, objs):
        if not objs:
            return objs
        if history:
            return bulk_create_with_history(objs, model, batch_size=chunk, default_change_reason=CHANGE_REASON,
                                            default_date=stamp)
        return model.objects.bulk_create(objs, batch_size=chunk)

    planner = TrainingPlanner(seed=seed, as_of=as_of, organisers=organisers,
                              first_year=earliest_first_start(as_of=as_of))
    bulk(Course, [
        Course(code=c.code, name=c.name, kind=c.kind, organiser_id=c.organiser_id, organiser_level=c.organiser_level,
               start_date=c.start, end_date=c.end, hours=c.hours, content_categories=list(c.categories),
               capacity=c.capacity, location=c.location, notes=c.notes)
        for c in planner.courses
    ])
    course_ids = dict(Course.objects.values_list("code", "id"))
    attendances = 0
    for batch in _batches(iter_secretaries(as_of=as_of, chunk=chunk), max(chunk // 4, 1)):
        objs = [
            Attendance(person_id=a.person_id, course_id=course_ids[a.course_code], hours=a.hours, days=a.days,
                       completed=a.completed, completed_on=a.completed_on,
                       certificate_number=a.certificate_number, notes=a.notes)
            for s in batch for a in planner.attendances_for(s)
        ]
        bulk(Attendance, objs)
        attendances += len(objs)
        connection.queries_log.clear()
    result.counts["training.Course"] = len(planner.courses)
    result.counts["training.Attendance"] = attendances
    progress(f"  training: {len(planner.courses):,} courses, {attendances:,} attendances  "
             f"{time.monotonic() - started:7.1f} s")
