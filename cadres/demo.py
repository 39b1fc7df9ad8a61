"""Demo data: a realistic city jurisdiction, built fast enough for a million branches (issue item 9).

The tree is laid out by hand instead of through treebeard's ``add_child`` (one query per node
and a parent lock): materialised paths are computed here — the k-th child of a node gets
``parent.path + base36(k)`` padded to ``OrgUnit.steplen`` — and rows go in with ``bulk_create``
in chunks, so memory stays bounded by the chunk size whatever the number of branches.

Children are numbered in the order of their codes, which is also ``OrgUnit.node_order_by``,
so treebeard's sorted inserts keep working on the seeded tree afterwards.

Two random streams (tree and people) make the output depend only on ``seed`` and the size,
not on the chunk size. Thresholds used to place enterprises on either side of R-ORG-3 are
read from the policy fields' defaults, never written here.

Demo seeding is one audit event of its own: a ``Job`` row of kind ``seed_demo`` records the
parameters and counts. History rows per object are written for the default sizes
(``bulk_create_with_history``) and may be skipped for benchmark sizes (``history=False``).
"""
from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterator

import django.dispatch
from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history
from stdnum.cn import ric

from cadres.choices import (
    ELECTED_METHODS,
    AppointmentRole,
    Education,
    EndReason,
    Gender,
    ReserveStatus,
    SelectionMethod,
    SourceChannel,
    Specialty,
    TalkKind,
)
from cadres.models import Appointment, Person, ReserveCandidate, Talk
from core.choices import BRANCH_LEVELS, JobState, Level, Role, Sector
from core.models import AccessLog, Job, Notice, OrgUnit, Policy, User

JOB_KIND = "seed_demo"
DEFAULT_PASSWORD = "zhishu-demo-2026"
CHANGE_REASON = "seed_demo"
MIN_BRANCHES = 20

ERR_UNITS_EXIST = _(
    "The database already holds {count} organisation units; seed_demo only fills an empty registry. "
    "Use --reset to delete the demo data first."
)
ERR_NOT_DEMO = _(
    "The organisation units here were not created by seed_demo (no seed_demo job is recorded); "
    "refusing to delete them."
)
ERR_TOO_FEW = _("Give at least {minimum} branches.")

demo_seeded = django.dispatch.Signal()
"""Sent once at the end of a successful seed, inside its transaction and after everything else, with
``seed``, ``as_of``, ``history``, ``chunk``, ``progress`` and ``result`` (the SeedResult). Higher apps
(training, assessment) add their demo data from a receiver — cadres never imports them — and add what
they made to ``result.counts``, keyed by model label (``"training.Course"``) or by a plain name; the
command's summary prints every count beyond the registry's own."""

# --------------------------------------------------------------------------------------------
# Names and places
# --------------------------------------------------------------------------------------------

# Common surnames, most frequent first (weights fall off roughly as in the census).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
SURNAME_WEIGHTS = [1.0 / (i + 8) for i in range(len(SURNAMES))]
MALE_CHARS = "伟强军建国华明志勇杰涛斌平刚峰辉波鹏超林文海云龙春东兵光新德良忠学永庆荣振长立福生宏俊毅浩宇松坤卫红"
FEMALE_CHARS = "芳娟敏静丽艳霞秀英兰玲萍燕红梅琴慧莉婷雪华凤桂琳洁颖倩晶娜丹莲春菊玉翠琼"
ETHNICITIES = (("汉族", 0.93), ("土家族", 0.03), ("回族", 0.02), ("苗族", 0.01), ("维吾尔族", 0.01))

PLACE_FIRST = "东西南北新红青白黄金石龙凤柳桃杨马高长大双三五太永兴和安平清花茶竹松梅荷莲樟枫桂福丰胜光"
PLACE_SECOND = "山岭桥湾坪冲港洲堤铺岗塘湖河溪峰林园庄家阳丰兴华光星明安泉岩坡垸嘴口"
STREET_NAMES = ("朝阳", "城东", "城西", "城南", "城北", "府坪", "丹阳", "芷兰", "白马湖", "穿紫河", "德山", "善卷",
                "武陵", "永安", "南坪", "河洑", "东江", "丹洲", "长庚", "启明")
BUREAUS = ("委办公室", "政府办公室", "纪委监委", "委组织部", "委宣传部", "发展和改革局", "教育局", "财政局",
           "人力资源和社会保障局", "自然资源局", "住房和城乡建设局", "交通运输局", "农业农村局", "水利局",
           "卫生健康局", "市场监督管理局", "应急管理局", "民政局", "司法局", "公安局", "审计局", "统计局", "林业局",
           "文化旅游广电体育局")
INSTITUTIONS = ("人民医院", "中医医院", "妇幼保健院", "第一中学", "第二中学", "职业中专学校", "疾病预防控制中心",
                "融媒体中心", "档案馆", "图书馆")
TOWNSHIP_INSTITUTIONS = ("中心学校", "卫生院", "农业综合服务中心")
BRANDS = "华宏鑫盛金恒瑞兴达信源富丰泰远德安汇隆嘉"
INDUSTRIES = ("农业科技", "建材", "食品", "纺织", "机械制造", "物流", "电子", "米业", "茶业", "水产", "生物科技",
              "新能源", "建筑工程", "商贸", "医药")
SOCIAL_KINDS = ("商会", "个体劳动者协会", "志愿者协会", "社会工作服务中心", "养老服务中心", "律师协会")
STATE_ENTERPRISES = ("城市建设投资集团", "交通建设投资集团", "水务集团", "农业发展投资集团", "文化旅游投资集团",
                     "国有资本运营公司", "公共交通集团", "粮食储备公司")
COLLEGES = ("文学与新闻传播学院", "数理学院", "化学与材料工程学院", "机械工程学院", "经济与管理学院", "法学院",
            "外国语学院", "计算机与电气工程学院", "生命与环境科学学院", "体育学院", "美术学院", "音乐学院")
CITY_BUREAUS = tuple("市" + b for b in BUREAUS)
JOB_TITLES = {
    "village": "村党组织书记", "community": "社区党组织书记", "organ": "科长", "institution": "副院长",
    "state": "部门经理", "university": "副教授", "retired": "退休教师", "non_public": "行政副总",
    "joint": "党建指导员", "social": "秘书长",
}
CULTIVATION_PLANS = (
    "安排到村“两委”岗位跟班学习，参加县委组织部后备干部培训班，年底考察。",
    "由现任书记一对一传帮带，承担村级集体经济项目一项。",
    "选派到乡镇机关跟班锻炼半年，参加党校专题轮训。",
    "参与社区网格化管理和矛盾调解，列入年度重点培养名单。",
)
END_REASONS = ((EndReason.TERM_CHANGE, 0.5), (EndReason.ADJUSTMENT, 0.2), (EndReason.RESIGNATION, 0.1),
               (EndReason.RETIREMENT, 0.12), (EndReason.DISMISSAL, 0.05), (EndReason.DEATH, 0.03))
PHONE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156",
                  "157", "158", "159", "173", "177", "180", "181", "182", "186", "187", "188", "189", "191", "198")


@dataclass(frozen=True)
class County:
    """A county of the demo city: its name, the short name used in unit names, and its region code,
    which is also the first six digits of its residents' ID numbers."""

    name: str
    short: str
    region: str
    urban: bool = False


CITY_CODE = "4307"
CITY_NAME = "常德市委"
COUNTIES = (
    County("武陵区委", "武陵区", "430702", urban=True),
    County("鼎城区委", "鼎城区", "430703"),
    County("安乡县委", "安乡县", "430721"),
    County("汉寿县委", "汉寿县", "430722"),
    County("澧县县委", "澧县", "430723"),
    County("临澧县委", "临澧县", "430724"),
    County("桃源县委", "桃源县", "430725"),
    County("石门县委", "石门县", "430726"),
    County("津市市委", "津市市", "430781"),
)


def policy_default(name: str):
    return Policy._meta.get_field(name).policy_default


# --------------------------------------------------------------------------------------------
# The tree
# --------------------------------------------------------------------------------------------

@dataclass(eq=False)
class UnitSpec:
    code: str
    name: str
    level: str
    sector: str
    kind: str  # committee, village, community, organ, institution, state, university, retired, non_public, ...
    county: County
    budget: int = 0  # branch-level units to create below this one
    builder: str = ""  # how to make the children
    employees: int | None = None
    members: int = 0
    instructor: str = ""
    joint: "UnitSpec | None" = None
    lacks_reserve: bool = False
    path: str = ""
    depth: int = 0
    numchild: int = 0
    children: list["UnitSpec"] = field(default_factory=list)
    obj: OrgUnit | None = None

    @property
    def is_branch(self) -> bool:
        return self.level in BRANCH_LEVELS


def split(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """``total`` shared out by ``weights`` (largest remainder), each part at least ``minimum`` where possible."""
    if not weights:
        return []
    wsum = sum(weights)
    raw = [total * w / wsum for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    if minimum and total >= minimum * len(parts):
        for i, p in enumerate(parts):
            while parts[i] < minimum:
                j = max(range(len(parts)), key=lambda k: parts[k])
                parts[j] -= 1
                parts[i] += 1
    return parts


class TreePlanner:
    """Lays out the jurisdiction top-down; children are made only when their parent is reached."""

    def __init__(self, *, branches: int, rng: random.Random):
        self.rng = rng
        self.branches = branches
        self.enterprise_count = 0
        self.village_count = 0
        self.large_employees = policy_default("enterprise_branch_min_employees")
        self.min_members = policy_default("branch_min_members")

    # -- names ---------------------------------------------------------------------------------
    def person_name(self, gender: str) -> str:
        rng = self.rng
        surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
        chars = MALE_CHARS if gender == Gender.MALE else FEMALE_CHARS
        given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
        return surname + given

    def place(self) -> str:
        return self.rng.choice(PLACE_FIRST) + self.rng.choice(PLACE_SECOND)

    def company(self, county: County) -> str:
        return f"{county.short[:-1] if len(county.short) > 2 else county.short}{self.rng.choice(BRANDS)}" \
               f"{self.rng.choice(BRANDS)}{self.rng.choice(INDUSTRIES)}有限公司"

    # -- the city ---------------------------------------------------------------------------------
    def city(self) -> UnitSpec:
        n = self.branches
        if n <= 180_000:
            n_counties = max(2, min(len(COUNTIES), n // 100))
        else:
            n_counties = len(COUNTIES)
        system_budget = max(4, round(n * 0.12))
        county_budget = n - system_budget
        city = UnitSpec(CITY_CODE, CITY_NAME, Level.CITY, Sector.ORGAN, "committee", COUNTIES[0])
        weights = [self.rng.uniform(0.7, 1.3) for _ in range(n_counties)]
        for county, b in zip(COUNTIES, split(county_budget, weights, minimum=10)):
            city.children.append(UnitSpec(county.region, county.name, Level.COUNTY, Sector.ORGAN, "committee",
                                          county, budget=b, builder="county"))
        systems = (
            ("市直机关工委", Sector.ORGAN, "organs"),
            ("市国资委党委", Sector.STATE_ENTERPRISE, "state"),
            ("湖南文理学院党委", Sector.UNIVERSITY, "university"),
            ("市非公有制经济组织和社会组织工委", Sector.NON_PUBLIC, "two_new"),
        )
        for i, ((name, sector, builder), b) in enumerate(zip(systems, split(system_budget, [45, 20, 15, 20], 1))):
            city.children.append(UnitSpec(f"{CITY_CODE}9{i + 1:02d}", name, Level.SYSTEM, sector, "committee",
                                          self.rng.choice(COUNTIES[:n_counties]), budget=b, builder=builder))
        return city

    def children_of(self, spec: UnitSpec) -> list[UnitSpec]:
        if spec.children:
            return spec.children
        if not spec.builder:
            return []
        return getattr(self, f"build_{spec.builder}")(spec)

    def _child(self, parent: UnitSpec, i: int, width: int, name: str, level: str, sector: str, kind: str,
               **kw) -> UnitSpec:
        return UnitSpec(f"{parent.code}{i:0{width}d}", name, level, sector, kind, parent.county, **kw)

    def _general_branch(self, parent, i, width, name, sector, kind, budget, child_names) -> UnitSpec:
        gb = self._child(parent, i, width, name + "党总支", Level.GENERAL_BRANCH, sector, kind,
                         members=self.rng.randint(40, 200))
        for j in range(budget - 1):
            child_name = child_names[j] if j < len(child_names) else f"第{j + 1}党支部"
            gb.children.append(self._child(gb, j + 1, 2, name + child_name, Level.BRANCH, sector, kind,
                                           members=self.rng.randint(8, 60)))
        return gb

    # -- county level --------------------------------------------------------------------------
    def build_county(self, spec: UnitSpec) -> list[UnitSpec]:
        rng, b = self.rng, spec.budget
        organ_budget = max(1, round(b * 0.1))
        rest = b - organ_budget
        n_towns = max(2, round(rest / 28)) if rest >= 6 else 1
        width = max(3, len(str(n_towns + 1)))
        short = spec.county.short
        kids = [UnitSpec(f"{spec.code}{1:0{width}d}", f"{short}直机关工委", Level.SYSTEM, Sector.ORGAN, "committee",
                         spec.county, budget=organ_budget, builder="county_organs")]
        budgets = split(rest, [rng.uniform(0.6, 1.4) for _ in range(n_towns)], minimum=3)
        for i, tb in enumerate(budgets):
            street = spec.county.urban and i % 2 == 1 or i % 4 == 1
            if street:
                name = (STREET_NAMES[i % len(STREET_NAMES)] if i < len(STREET_NAMES) else self.place()) + "街道党工委"
            else:
                name = self.place() + rng.choice("镇镇镇乡") + "党委"
            kids.append(UnitSpec(f"{spec.code}{i + 2:0{width}d}", name, Level.TOWNSHIP, Sector.ORGAN, "committee",
                                 spec.county, budget=tb, builder="street" if street else "township"))
        return kids

    def build_county_organs(self, spec: UnitSpec) -> list[UnitSpec]:
        return self._organs(spec, spec.budget, tuple(spec.county.short + b for b in BUREAUS),
                            tuple(spec.county.short + x for x in INSTITUTIONS))

    def _organs(self, spec, budget, bureaus, institutions) -> list[UnitSpec]:
        rng, kids = self.rng, []
        width = max(3, len(str(budget)))
        left, i = budget, 0
        while left > 0:
            i += 1
            if rng.random() < 0.3:
                base = institutions[i % len(institutions)]
                if left >= 3 and rng.random() < 0.3:
                    k = min(left, rng.randint(3, 4))
                    kids.append(self._general_branch(spec, i, width, base, Sector.INSTITUTION, "institution", k,
                                                     ("行政党支部", "内科党支部", "外科党支部", "后勤党支部")))
                    left -= k
                    continue
                kids.append(self._child(spec, i, width, base + "党支部", Level.BRANCH, Sector.INSTITUTION,
                                        "institution", members=rng.randint(8, 60)))
            else:
                base = bureaus[i % len(bureaus)]
                suffix = "" if i <= len(bureaus) else f"第{(i - 1) // len(bureaus) + 1}"
                kids.append(self._child(spec, i, width, f"{base}{suffix}机关党支部", Level.BRANCH, Sector.ORGAN,
                                        "organ", members=rng.randint(5, 45)))
            left -= 1
        return kids

    # -- townships and streets --------------------------------------------------------------------
    def _enterprises(self, spec, kids, start, width, count, joint: UnitSpec | None) -> None:
        """Units at ENTERPRISE level, spread over the R-ORG-3 cases, about a third in breach."""
        rng = self.rng
        for k in range(count):
            self.enterprise_count += 1
            roll = rng.random()
            small = rng.randint(5, max(6, self.large_employees - 1))
            if self.enterprise_count == 1 or roll < 0.07:  # large, no branch of its own: a finding
                employees, members, instructor, jb = rng.randint(self.large_employees, 6 * self.large_employees), \
                    rng.randint(0, self.min_members - 1), "", None
            elif roll < 0.62:  # no members, covered by an instructor
                employees, members, instructor, jb = small, 0, self.person_name(Gender.MALE), None
            elif roll < 0.82 and joint is not None:  # a few members, in the joint branch
                employees, members, instructor, jb = small, rng.randint(1, self.min_members - 1), "", joint
            elif roll < 0.92:  # a few members, not joined anywhere: a finding
                employees, members, instructor, jb = small, rng.randint(1, self.min_members - 1), "", None
            else:  # no members and no instructor: a finding
                employees, members, instructor, jb = small, 0, "", None
            kids.append(self._child(spec, start + k, width, self.company(spec.county), Level.ENTERPRISE,
                                    Sector.NON_PUBLIC, "enterprise", employees=employees, members=members,
                                    instructor=instructor, joint=jb))

    def _non_public(self, spec, kids, start, width, count) -> UnitSpec | None:
        rng, joint = self.rng, None
        for k in range(count):
            if k == 0:
                joint = self._child(spec, start, width, spec.name.removesuffix("党委").removesuffix("党工委")
                                    + "非公企业联合党支部", Level.BRANCH, Sector.NON_PUBLIC, "joint",
                                    employees=rng.randint(30, 200), members=rng.randint(self.min_members, 15))
                kids.append(joint)
            else:
                kids.append(self._child(spec, start + k, width, self.company(spec.county) + "党支部", Level.BRANCH,
                                        Sector.NON_PUBLIC, "non_public",
                                        employees=rng.randint(self.large_employees, 20 * self.large_employees),
                                        members=rng.randint(self.min_members, 60)))
        return joint

    def _grassroots(self, spec, kids, start, width, count, sector, kind, suffix) -> None:
        rng, left, i = self.rng, count, start
        while left > 0:
            name = self.place() + suffix
            if left >= 3 and rng.random() < 0.1:
                k = min(left, rng.randint(3, 4))
                kids.append(self._general_branch(spec, i, width, name, sector, kind, k,
                                                 ("第一党支部", "第二党支部", "第三党支部")))
                left -= k
            else:
                kids.append(self._child(spec, i, width, name + "党支部", Level.BRANCH, sector, kind,
                                        members=rng.randint(15, 120)))
                left -= 1
            if kind == "village":
                for unit in [kids[-1], *kids[-1].children]:
                    if unit.level == Level.BRANCH:
                        self.village_count += 1
                        # The second village of the jurisdiction lacks a reserve, so R-RES-2 always has a finding.
                        unit.lacks_reserve = self.village_count == 2 or rng.random() < 0.12
            i += 1

    def build_township(self, spec: UnitSpec) -> list[UnitSpec]:
        rng, b, kids = self.rng, spec.budget, []
        n_organ = 1 if b >= 4 else 0
        n_inst = (1 if b >= 10 else 0) + (1 if b >= 30 else 0)
        n_np = max(1 if b >= 8 else 0, round(b * 0.06))
        n_ent = round(b * 0.08) + (1 if rng.random() < 0.5 else 0)
        n_village = b - n_organ - n_inst - n_np
        total = b + n_ent + 10
        width = max(3, len(str(total)))
        place = spec.name.removesuffix("党委")
        i = 1
        for _n in range(n_organ):
            kids.append(self._child(spec, i, width, place + "机关党支部", Level.BRANCH, Sector.ORGAN, "organ",
                                    members=rng.randint(15, 50)))
            i += 1
        self._grassroots(spec, kids, i, width, n_village, Sector.VILLAGE, "village", "村")
        i = len(kids) + 1
        for k in range(n_inst):
            kids.append(self._child(spec, i, width, place + TOWNSHIP_INSTITUTIONS[k] + "党支部", Level.BRANCH,
                                    Sector.INSTITUTION, "institution", members=rng.randint(8, 40)))
            i += 1
        joint = self._non_public(spec, kids, i, width, n_np)
        i += n_np
        self._enterprises(spec, kids, i, width, n_ent, joint)
        return kids

    def build_street(self, spec: UnitSpec) -> list[UnitSpec]:
        rng, b, kids = self.rng, spec.budget, []
        n_organ = 1 if b >= 4 else 0
        n_np = max(1 if b >= 6 else 0, round(b * 0.12))
        n_social = round(b * 0.06)
        n_comm = b - n_organ - n_np - n_social
        n_ent = round(b * 0.15) + 1
        width = max(3, len(str(b + n_ent + 10)))
        place = spec.name.removesuffix("党工委")
        i = 1
        for _n in range(n_organ):
            kids.append(self._child(spec, i, width, place + "机关党支部", Level.BRANCH, Sector.ORGAN, "organ",
                                    members=rng.randint(15, 50)))
            i += 1
        self._grassroots(spec, kids, i, width, n_comm, Sector.COMMUNITY, "community", "社区")
        i = len(kids) + 1
        joint = self._non_public(spec, kids, i, width, n_np)
        i += n_np
        for k in range(n_social):
            kids.append(self._child(spec, i, width, f"{spec.county.short}{self.place()}{rng.choice(SOCIAL_KINDS)}党支部",
                                    Level.BRANCH, Sector.SOCIAL, "social", members=rng.randint(3, 20)))
            i += 1
        self._enterprises(spec, kids, i, width, n_ent, joint)
        return kids

    # -- city system committees -------------------------------------------------------------------
    def build_organs(self, spec: UnitSpec) -> list[UnitSpec]:
        return self._organs(spec, spec.budget, CITY_BUREAUS, tuple("市" + x for x in INSTITUTIONS))

    def build_state(self, spec: UnitSpec) -> list[UnitSpec]:
        rng, left, i, kids = self.rng, spec.budget, 0, []
        width = max(3, len(str(spec.budget)))
        while left > 0:
            i += 1
            base = "市" + STATE_ENTERPRISES[(i - 1) % len(STATE_ENTERPRISES)]
            if i > len(STATE_ENTERPRISES):
                base += f"第{(i - 1) // len(STATE_ENTERPRISES) + 1}分公司"
            k = min(left, rng.randint(1, 4))
            if k == 1:
                kids.append(self._child(spec, i, width, base + "党支部", Level.BRANCH, Sector.STATE_ENTERPRISE,
                                        "state", members=rng.randint(10, 60), employees=rng.randint(80, 900)))
            else:
                kids.append(self._general_branch(spec, i, width, base, Sector.STATE_ENTERPRISE, "state", k,
                                                 ("机关党支部", "生产经营党支部", "项目党支部")))
            left -= k
        return kids

    def build_university(self, spec: UnitSpec) -> list[UnitSpec]:
        rng, left, i, kids = self.rng, spec.budget, 0, []
        width = max(3, len(str(spec.budget)))
        kids.append(self._child(spec, 1, width, "离退休教职工党支部", Level.BRANCH, Sector.UNIVERSITY, "retired",
                                members=rng.randint(30, 90)))
        left -= 1
        i = 1
        while left > 0:
            i += 1
            base = COLLEGES[(i - 2) % len(COLLEGES)]
            if i - 1 > len(COLLEGES):
                base += f"（{(i - 2) // len(COLLEGES) + 1}）"
            k = min(left, rng.randint(1, 3))
            if k == 1:
                kids.append(self._child(spec, i, width, base + "党支部", Level.BRANCH, Sector.UNIVERSITY,
                                        "university", members=rng.randint(10, 80)))
            else:
                kids.append(self._general_branch(spec, i, width, base, Sector.UNIVERSITY, "university", k,
                                                 ("教工党支部", "学生党支部")))
            left -= k
        return kids

    def build_two_new(self, spec: UnitSpec) -> list[UnitSpec]:
        rng, b, kids = self.rng, spec.budget, []
        n_social = max(0, round(b * 0.3)) if b >= 2 else 0
        n_np = b - n_social
        n_ent = max(1, round(b * 0.2))
        width = max(3, len(str(b + n_ent + 1)))
        joint = self._non_public(spec, kids, 1, width, n_np)
        i = n_np + 1
        for _n in range(n_social):
            kids.append(self._child(spec, i, width, f"常德市{self.place()}{rng.choice(SOCIAL_KINDS)}党支部",
                                    Level.BRANCH, Sector.SOCIAL, "social", members=rng.randint(3, 20)))
            i += 1
        self._enterprises(spec, kids, i, width, n_ent, joint)
        return kids


def iter_tree(planner: TreePlanner) -> Iterator[UnitSpec]:
    """Every unit in depth-first path order, with path, depth and numchild set before it is yielded."""
    root = planner.city()
    root.path, root.depth = OrgUnit._get_path(None, 1, 1), 1
    stack = [root]
    while stack:
        node = stack.pop()
        kids = sorted(planner.children_of(node), key=lambda s: s.code)
        for k, kid in enumerate(kids, start=1):
            kid.path = OrgUnit._get_path(node.path, node.depth + 1, k)
            kid.depth = node.depth + 1
        node.numchild = len(kids)
        node.children = []  # let the finished parts of the tree go
        yield node
        stack.extend(reversed(kids))


# --------------------------------------------------------------------------------------------
# People, appointments and reserves
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Profile:
    male: float
    ages: tuple[int, int]
    young: float  # share under 35
    education: tuple
    methods: tuple
    sources: tuple
    full_time: float
    term_years: int
    concurrent: str = ""


_E, _M, _S = Education, SelectionMethod, SourceChannel
GRASSROOTS_METHODS = ((_M.PUBLIC_DIRECT, 0.3), (_M.TWO_ONE, 0.3), (_M.ELECTION, 0.3), (_M.DISPATCH, 0.05),
                      (_M.APPOINTMENT, 0.05))
ORG_METHODS = ((_M.ELECTION, 0.75), (_M.APPOINTMENT, 0.25))
HIGH_EDUCATION = ((_E.COLLEGE, 0.2), (_E.BACHELOR, 0.6), (_E.POSTGRADUATE, 0.2))
PROFILES = {
    "village": Profile(0.86, (38, 62), 0.08,
                       ((_E.JUNIOR, 0.15), (_E.SENIOR, 0.3), (_E.SECONDARY_VOCATIONAL, 0.12), (_E.COLLEGE, 0.3),
                        (_E.BACHELOR, 0.13)),
                       GRASSROOTS_METHODS,
                       ((_S.CAPABLE_LOCAL, 0.45), (_S.BACKBONE, 0.12), (_S.COLLEGE_GRADUATE, 0.1),
                        (_S.ORGAN_CADRE, 0.08), (_S.RETIRED_CADRE, 0.05), (_S.OTHER, 0.2)),
                       0.35, 5, "村民委员会主任"),
    "community": Profile(0.45, (32, 55), 0.1,
                         ((_E.SENIOR, 0.1), (_E.COLLEGE, 0.4), (_E.BACHELOR, 0.45), (_E.POSTGRADUATE, 0.05)),
                         ((_M.ELECTION, 0.5), (_M.PUBLIC_DIRECT, 0.2), (_M.TWO_ONE, 0.15), (_M.APPOINTMENT, 0.15)),
                         ((_S.BACKBONE, 0.3), (_S.COLLEGE_GRADUATE, 0.2), (_S.ORGAN_CADRE, 0.2),
                          (_S.CAPABLE_LOCAL, 0.1), (_S.OTHER, 0.2)),
                         0.85, 5, "社区居民委员会主任"),
    "organ": Profile(0.7, (30, 58), 0.1, HIGH_EDUCATION, ORG_METHODS,
                     ((_S.ORGAN_CADRE, 0.8), (_S.BACKBONE, 0.1), (_S.OTHER, 0.1)), 0.1, 3),
    "institution": Profile(0.55, (32, 58), 0.08, HIGH_EDUCATION, ORG_METHODS,
                           ((_S.BACKBONE, 0.7), (_S.ORGAN_CADRE, 0.2), (_S.OTHER, 0.1)), 0.05, 3),
    "state": Profile(0.75, (35, 58), 0.05, HIGH_EDUCATION, ORG_METHODS,
                     ((_S.BACKBONE, 0.6), (_S.ORGAN_CADRE, 0.3), (_S.OTHER, 0.1)), 0.2, 3),
    "university": Profile(0.6, (32, 60), 0.1, ((_E.BACHELOR, 0.2), (_E.POSTGRADUATE, 0.8)), ORG_METHODS,
                          ((_S.BACKBONE, 0.8), (_S.OTHER, 0.2)), 0.05, 3),
    "retired": Profile(0.6, (62, 75), 0.0, HIGH_EDUCATION, ORG_METHODS,
                       ((_S.RETIRED_CADRE, 0.9), (_S.OTHER, 0.1)), 0.0, 3),
    "non_public": Profile(0.65, (30, 55), 0.15,
                          ((_E.SENIOR, 0.1), (_E.COLLEGE, 0.4), (_E.BACHELOR, 0.45), (_E.POSTGRADUATE, 0.05)),
                          ((_M.ELECTION, 0.6), (_M.APPOINTMENT, 0.25), (_M.DISPATCH, 0.15)),
                          ((_S.BACKBONE, 0.6), (_S.ORGAN_CADRE, 0.15), (_S.RETIRED_CADRE, 0.05), (_S.OTHER, 0.2)),
                          0.05, 3),
    "social": Profile(0.55, (30, 62), 0.1, ((_E.COLLEGE, 0.4), (_E.BACHELOR, 0.5), (_E.POSTGRADUATE, 0.1)),
                      ((_M.ELECTION, 0.7), (_M.APPOINTMENT, 0.3)),
                      ((_S.BACKBONE, 0.4), (_S.RETIRED_CADRE, 0.3), (_S.OTHER, 0.3)), 0.05, 3),
}
PROFILES["joint"] = PROFILES["non_public"]


def _job_title(kind: str, unit_name: str) -> str:
    if kind == "institution":
        return "副院长" if "医院" in unit_name else "副校长" if "学" in unit_name else "副主任"
    return JOB_TITLES.get(kind, "")


def pick(rng: random.Random, table) -> str:
    values, weights = zip(*table)
    return rng.choices(values, weights)[0]


class PeopleMaker:
    """Makes the people of a chunk of units; their ID numbers unique without a set of all numbers:
    the next free sequence is kept per (region, birth date, gender), a key space bounded by dates."""

    def __init__(self, *, rng: random.Random, as_of: dt.date):
        self.rng = rng
        self.as_of = as_of
        self.next_seq: dict[tuple[str, int, str], int] = {}
        self.last_election = max(y for y in range(2011, as_of.year + 1, 5) if dt.date(y, 4, 1) <= as_of) \
            if as_of >= dt.date(2011, 4, 1) else 2011
        self.first_village_secretary: Person | None = None

    def _name(self, gender: str) -> str:
        rng = self.rng
        surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
        chars = MALE_CHARS if gender == Gender.MALE else FEMALE_CHARS
        return surname + rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")

    def id_number(self, county: County, birth: dt.date, gender: str) -> tuple[str, dt.date]:
        while True:
            region = county.region
            key = (region, birth.toordinal(), gender)
            k = self.next_seq.get(key, 0)
            if k < 499:
                self.next_seq[key] = k + 1
                seq = 2 * k + 1 if gender == Gender.MALE else 2 * k + 2  # odd 17th digit is male
                body = f"{region}{birth:%Y%m%d}{seq:03d}"
                # calc_check_digit reads the first 17 characters of an 18-character number.
                return body + ric.calc_check_digit(body + "0"), birth
            birth += dt.timedelta(days=1)

    def person(self, unit: OrgUnit, county: County, profile: Profile, *, ages=None, young=None,
               joined_before: dt.date | None = None, kind: str = "") -> Person:
        rng = self.rng
        gender = Gender.MALE if rng.random() < profile.male else Gender.FEMALE
        lo, hi = ages or profile.ages
        if young is None:
            young = rng.random() < profile.young
        if young:
            lo, hi = 28, 34
        age = rng.randint(lo, hi)
        birth = self.as_of - relativedelta(years=age) - dt.timedelta(days=rng.randint(1, 364))
        id_number, birth = self.id_number(county, birth, gender)
        adult = birth + relativedelta(years=18)
        latest = min(joined_before or self.as_of, self.as_of) - dt.timedelta(days=30)
        span = (latest - adult).days
        party_join = adult + dt.timedelta(days=rng.randint(0, int(span * 0.8))) if span > 0 else adult
        return Person(
            name=self._name(gender), gender=gender, ethnicity=pick(rng, ETHNICITIES), birth_date=birth,
            id_number=id_number, phone=rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}",
            education=pick(rng, profile.education), party_join_date=party_join,
            employer=unit.name.removesuffix("党支部").removesuffix("党总支").removesuffix("机关"),
            job_title=_job_title(kind, unit.name), is_retired=kind == "retired",
            specialty=rng.choice((Specialty.PROFESSIONAL, Specialty.COMPOSITE, "")), unit=unit,
        )

    def _term_start(self, kind: str, profile: Profile) -> dt.date:
        rng = self.rng
        if kind in ("village", "community") and rng.random() < 0.8:
            return dt.date(self.last_election, rng.randint(1, 3), rng.randint(1, 28))
        days = rng.randint(30, 365 * profile.term_years - 30)
        return self.as_of - dt.timedelta(days=days)

    def _votes(self, appointment: Appointment, members: int) -> None:
        if appointment.selection_method not in ELECTED_METHODS:
            return
        rng = self.rng
        eligible = max(members, 5)
        cast = max(1, round(eligible * rng.uniform(0.85, 1.0)))
        appointment.eligible_voters, appointment.votes_cast = eligible, cast
        appointment.votes_for = max(1, round(cast * rng.uniform(0.6, 1.0)))

    def for_unit(self, spec: UnitSpec, unit: OrgUnit, people: list, appointments: list, reserves: list) -> None:
        """The secretary (and history), deputies, first secretaries and reserves of one branch."""
        rng, kind = self.rng, spec.kind
        profile = PROFILES.get(kind, PROFILES["organ"])
        grassroots = kind in ("village", "community")
        start = self._term_start(kind, profile)
        term = relativedelta(years=profile.term_years)
        method = pick(rng, profile.methods)

        def appoint(person, role, start_date, **kw) -> Appointment:
            a = Appointment(person=person, unit=unit, role=role, start_date=start_date,
                            planned_end_date=start_date + term, **kw)
            appointments.append((a, person))
            return a

        vacant = rng.random() < 0.05 and not (kind == "village" and self.first_village_secretary is None)
        history = rng.random()
        reelected = not vacant and grassroots and history < 0.55
        if vacant:  # the last secretary left this year and nobody is in post yet
            end = self.as_of - dt.timedelta(days=rng.randint(10, 150))
            start = min(start, end - dt.timedelta(days=200))
        earliest = start - relativedelta(years=profile.term_years) if reelected else start
        secretary = self.person(unit, spec.county, profile, joined_before=earliest, kind=kind)
        people.append(secretary)
        if vacant:
            appoint(secretary, AppointmentRole.SECRETARY, start, end_date=end,
                    end_reason=rng.choice((EndReason.RESIGNATION, EndReason.ADJUSTMENT, EndReason.RETIREMENT)),
                    selection_method=method, source_channel=pick(rng, profile.sources))
        else:
            current = appoint(
                secretary, AppointmentRole.SECRETARY, start, selection_method=method,
                source_channel=pick(rng, profile.sources), is_full_time=rng.random() < profile.full_time,
                is_dual_leader=rng.random() < 0.15,
                concurrent_posts=profile.concurrent if profile.concurrent and rng.random() < 0.75 else "",
            )
            self._votes(current, spec.members)
            if kind == "village" and self.first_village_secretary is None and spec.level == Level.BRANCH:
                self.first_village_secretary = secretary
            if reelected:  # the same person's previous term, ended by the general election
                prev = appoint(secretary, AppointmentRole.SECRETARY, earliest, end_date=start,
                               end_reason=EndReason.TERM_CHANGE, selection_method=method,
                               source_channel=current.source_channel, is_dual_leader=current.is_dual_leader)
                prev.planned_end_date = start
                self._votes(prev, spec.members)
            elif history < 0.8:  # a predecessor
                prev_end = start - dt.timedelta(days=rng.randint(0, 60))
                reason = pick(rng, END_REASONS)
                if reason == EndReason.TERM_CHANGE:
                    prev_start = prev_end - term
                else:  # left during the term
                    prev_start = prev_end - relativedelta(years=rng.randint(1, profile.term_years),
                                                          days=rng.randint(0, 200))
                before = self.person(unit, spec.county, profile, ages=(50, 70), young=False,
                                     joined_before=prev_start, kind=kind)
                people.append(before)
                prev = appoint(before, AppointmentRole.SECRETARY, prev_start, end_date=prev_end,
                               end_reason=reason, selection_method=pick(rng, profile.methods),
                               source_channel=pick(rng, profile.sources))
                self._votes(prev, spec.members)
        if rng.random() < 0.35:
            deputy = self.person(unit, spec.county, profile, ages=(28, 50), kind="")
            deputy.job_title = "党组织副书记"
            people.append(deputy)
            appoint(deputy, AppointmentRole.DEPUTY_SECRETARY, start, selection_method=SelectionMethod.ELECTION,
                    source_channel=pick(rng, profile.sources))
        if kind == "village" and rng.random() < 0.12:
            first = self.person(unit, spec.county, PROFILES["organ"], ages=(28, 50), kind="organ")
            first.employer = spec.county.short + rng.choice(BUREAUS)
            first.job_title = "驻村第一书记"
            people.append(first)
            fs_start = self.as_of - dt.timedelta(days=rng.randint(30, 700))
            appoint(first, AppointmentRole.FIRST_SECRETARY, fs_start, selection_method=SelectionMethod.DISPATCH,
                    source_channel=SourceChannel.ORGAN_CADRE, is_full_time=True).planned_end_date = \
                fs_start + relativedelta(years=2)
        wants_reserve = (kind == "village" and not spec.lacks_reserve) or (kind == "community" and rng.random() < 0.4)
        if wants_reserve:
            for n in range(2 if rng.random() < 0.1 else 1):
                candidate = self.person(unit, spec.county, profile, ages=(25, 45), kind="")
                candidate.job_title = rng.choice(("村委会委员", "村务监督委员会主任", "致富带头人", "返乡大学生"))
                people.append(candidate)
                added = self.as_of - dt.timedelta(days=rng.randint(30, 1500))
                reserves.append((ReserveCandidate(
                    unit=unit, sector=unit.sector, added_on=added, cultivation_plan=rng.choice(CULTIVATION_PLANS),
                    assigned_training=f"后备干部培训班（{added.year}）",
                ), candidate))
            if rng.random() < 0.05:
                gone = self.person(unit, spec.county, profile, ages=(25, 45), kind="")
                people.append(gone)
                added = self.as_of - dt.timedelta(days=rng.randint(400, 1500))
                reserves.append((ReserveCandidate(
                    unit=unit, sector=unit.sector, added_on=added, status=ReserveStatus.WITHDRAWN,
                    closed_on=added + dt.timedelta(days=rng.randint(100, 300)),
                    cultivation_plan=rng.choice(CULTIVATION_PLANS)), gone))


# --------------------------------------------------------------------------------------------
# Seeding
# --------------------------------------------------------------------------------------------

@dataclass
class DemoLogin:
    username: str
    role: str
    unit: str
    new_password: bool = True


@dataclass
class SeedResult:
    counts: dict
    logins: list[DemoLogin]
    seconds: float
    job_id: int


def demo_units_count() -> int:
    return OrgUnit.objects.count()


class Seeder:
    """Streams the tree out of the planner in chunks: units first (their ids are needed), then the
    people, appointments and reserves of the chunk's branches, all in one transaction."""

    def __init__(self, *, branches: int, seed: int, password: str, history: bool, chunk: int,
                 as_of: dt.date, progress: Callable[[str], None]):
        self.branches, self.seed, self.password, self.history = branches, seed, password, history
        self.chunk, self.as_of, self.progress = chunk, as_of, progress
        self.planner = TreePlanner(branches=branches, rng=random.Random(f"{seed}:tree"))
        self.maker = PeopleMaker(rng=random.Random(f"{seed}:people"), as_of=as_of)
        self.counts = {"units": 0, "branches": 0, "people": 0, "appointments": 0, "reserve_candidates": 0,
                       "cadres.Talk": 0}
        self.talk_rng = random.Random(f"{seed}:talks")  # its own stream: the other tables stay as they were
        self.marks: dict[str, OrgUnit] = {}
        self.history_date = timezone.now()

    def _bulk(self, model, objs: list) -> list:
        if not objs:
            return objs
        if self.history:
            return bulk_create_with_history(objs, model, batch_size=self.chunk, default_change_reason=CHANGE_REASON,
                                            default_date=self.history_date)
        return model.objects.bulk_create(objs, batch_size=self.chunk)

    def _flush(self, specs: list[UnitSpec]) -> None:
        later = []
        first = []
        in_chunk = set(map(id, specs))
        for s in specs:
            s.obj = OrgUnit(code=s.code, name=s.name, level=s.level, sector=s.sector, employees=s.employees,
                            members=s.members, instructor=s.instructor, path=s.path, depth=s.depth,
                            numchild=s.numchild)
            if s.joint is not None:
                if id(s.joint) in in_chunk:
                    later.append(s)
                else:
                    s.obj.joint_branch_id = s.joint.obj.pk
                    first.append(s)
            else:
                first.append(s)
        self._bulk(OrgUnit, [s.obj for s in first])
        for s in later:
            s.obj.joint_branch_id = s.joint.obj.pk
        self._bulk(OrgUnit, [s.obj for s in later])
        for s in specs:
            self._mark(s)

        people, appointments, reserves = [], [], []
        for s in specs:
            if s.is_branch:
                self.maker.for_unit(s, s.obj, people, appointments, reserves)
        self._bulk(Person, people)
        for a, person in appointments:
            a.person = person
        for r, person in reserves:
            r.person = person
        self._bulk(Appointment, [a for a, _ in appointments])
        self._bulk(ReserveCandidate, [r for r, _ in reserves])
        talks = self._talks([a for a, _ in appointments])
        self._bulk(Talk, talks)
        c = self.counts
        c["cadres.Talk"] += len(talks)
        c["units"] += len(specs)
        c["branches"] += sum(1 for s in specs if s.is_branch)
        c["people"] += len(people)
        c["appointments"] += len(appointments)
        c["reserve_candidates"] += len(reserves)
        # With DEBUG on, Django keeps the last 9000 statements; ours are megabytes each.
        connection.queries_log.clear()

    def _talks(self, appointments: list[Appointment]) -> list[Talk]:
        """R-TLK-1: most secretaries were talked with lately and at their appointment; some are overdue,
        a few were never talked with, most who left had their departure talk — so the due list has some
        rows but not all."""
        rng, as_of, talks = self.talk_rng, self.as_of, []

        def add(a, day, kind):
            day = min(max(day, a.start_date), as_of)
            talker, position = rng.choice(DEMO_TALKERS)
            talks.append(Talk(person=a.person, unit_id=a.unit_id, appointment=a, date=day, kind=kind,
                              talker_name=talker, talker_position=position, notes=rng.choice(DEMO_TALK_NOTES)))

        for a in appointments:
            if a.role != AppointmentRole.SECRETARY:
                continue
            if a.end_date is not None:
                if a.end_date >= as_of - relativedelta(years=1) and rng.random() < 0.7:
                    add(a, a.end_date + dt.timedelta(days=rng.randint(0, 20)), TalkKind.DEPARTURE)
                continue
            if rng.random() < 0.85:
                add(a, a.start_date + dt.timedelta(days=rng.randint(0, 25)), TalkKind.APPOINTMENT)
            luck = rng.random()
            if luck < 0.75:  # talked with within the last five months
                add(a, as_of - dt.timedelta(days=rng.randint(5, 150)), TalkKind.REGULAR)
            elif luck < 0.92:  # the last talk was seven to eleven months ago: overdue
                add(a, as_of - dt.timedelta(days=rng.randint(215, 330)), TalkKind.REGULAR)
        return talks

    def _mark(self, s: UnitSpec) -> None:
        if s.level == Level.CITY:
            self.marks.setdefault("city", s.obj)
        elif s.level == Level.COUNTY:
            self.marks.setdefault("county", s.obj)
        elif s.level == Level.TOWNSHIP and s.obj.path.startswith(self.marks["county"].path):
            self.marks.setdefault("township", s.obj)

    def run(self) -> SeedResult:
        started = time.monotonic()
        self.progress(f"seed_demo: {self.branches} branches, seed {self.seed}, "
                      f"history {'on' if self.history else 'off'}, chunk {self.chunk}")
        with transaction.atomic():
            buffer: list[UnitSpec] = []
            pending_branches = 0
            last_report = 0
            for spec in iter_tree(self.planner):
                buffer.append(spec)
                pending_branches += spec.is_branch
                # A chunk holds about ``chunk`` rows of each table (people run at ~2 per branch).
                if len(buffer) >= self.chunk or pending_branches * 2 >= self.chunk:
                    self._flush(buffer)
                    buffer, pending_branches = [], 0
                    if self.counts["branches"] - last_report >= max(self.branches // 20, 1):
                        last_report = self.counts["branches"]
                        self._report(started)
            if buffer:
                self._flush(buffer)
            self._report(started)
            self._policies()
            logins = self._users()
            seconds = time.monotonic() - started
            job = Job.objects.create(
                kind=JOB_KIND, state=JobState.SUCCEEDED, progress=100,
                message=f"seed_demo --branches {self.branches} --seed {self.seed}",
                params={"branches": self.branches, "seed": self.seed, "history": self.history,
                        "as_of": self.as_of.isoformat()},
                result={**self.counts, "seconds": round(seconds, 2)}, unit=self.marks["city"],
                created_by=User.objects.get(username="admin"),
                started_at=self.history_date, finished_at=timezone.now(),
            )
            result = SeedResult(counts=dict(self.counts), logins=logins, seconds=0.0, job_id=job.pk)
            if connection.vendor == "postgresql":
                # Statistics of the rows just written, inside the seed's transaction: without them the
                # receivers' correlated subqueries (training's first secretary post per person) were
                # planned as nested scans of the whole appointment table (23+ minutes at 100k branches).
                # Only the project's tables: a database-wide ANALYZE would also lock the shared catalogs
                # until the seed commits, stalling every other database's ANALYZE on the server.
                tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in sorted(tables)))
            demo_seeded.send(sender=Seeder, seed=self.seed, as_of=self.as_of, history=self.history,
                             chunk=self.chunk, progress=self.progress, result=result)
            if result.counts != self.counts:  # receivers added data: the job records it too
                job.result = {**result.counts, "seconds": round(time.monotonic() - started, 2)}
                job.finished_at = timezone.now()
                job.save(update_fields=["result", "finished_at"])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        result.seconds = time.monotonic() - started
        return result

    def _report(self, started: float) -> None:
        c, elapsed = self.counts, time.monotonic() - started
        self.progress(f"  {c['branches']:>9,} / {self.branches:,} branches  {c['units']:>9,} units  "
                      f"{c['people']:>9,} people  {c['appointments']:>9,} appointments  "
                      f"{elapsed:7.1f} s  ({c['branches'] / max(elapsed, 1e-6):,.0f} branches/s)")

    def _policies(self) -> None:
        """The city's policy for this year and last, naming its source (R-POL-1); one county sets its own
        local income figures. Rule numbers stay empty: they come from the built-in defaults of 001."""
        city, county = self.marks["city"], self.marks["county"]
        for year in (self.as_of.year - 1, self.as_of.year):
            Policy.objects.create(unit=city, year=year, note="常德市委〔2012〕5号（演示数据）",
                                  rural_average_income=Decimal("16800.00"), local_average_wage=Decimal("72000.00"))
        Policy.objects.create(unit=county, year=self.as_of.year, note="县级补充规定（演示数据）",
                              rural_average_income=Decimal("15200.00"))

    def _users(self) -> list[DemoLogin]:
        # One hash for the five demo logins: they share the password, and hashing is the slowest step here.
        hashed = make_password(self.password)
        person = self.maker.first_village_secretary
        m = self.marks
        specs = [
            ("admin", None, "", True, _("superuser")),
            ("city_staff", m["city"], Role.STAFF, False, Role.STAFF.label),
            ("county_staff", m["county"], Role.STAFF, False, Role.STAFF.label),
            ("township_supervisor", m["township"], Role.SUPERVISOR, False, Role.SUPERVISOR.label),
            ("secretary_demo", person.unit, Role.SECRETARY, False, Role.SECRETARY.label),
        ]
        logins = []
        existing = {u.username: u for u in User.objects.filter(username__in=[x[0] for x in specs])}
        for username, unit, role, su, label in specs:
            user = existing.get(username)
            if user is None:
                User.objects.create(username=username, password=hashed, unit=unit, role=role or Role.STAFF,
                                    is_superuser=su, is_staff=su, email=f"{username}@example.com")
            else:  # a login of that name exists (a real admin, say): attach it, keep its password
                user.unit, user.role, user.is_superuser, user.is_staff = unit, role or Role.STAFF, su, su
                user.save(update_fields=["unit", "role", "is_superuser", "is_staff"])
            logins.append(DemoLogin(username, str(label), unit.name if unit else "—", user is None))
        Person.objects.filter(pk=person.pk).update(user=User.objects.get(username="secretary_demo"))
        return logins


DEMO_TALKERS = (("周建国", "乡镇党委书记"), ("李卫东", "乡镇党委副书记"), ("陈丽华", "组织委员"),
                ("刘志明", "县委组织部组织科科长"))
DEMO_TALK_NOTES = ("了解班子运行和村务情况，提出工作要求。", "听取意见建议，帮助解决产业发展中的困难。",
                   "谈思想、谈工作、谈家庭，给予关心鼓励。", "就换届后工作思路进行交流，明确年度重点任务。")

DEMO_USERNAMES = ("admin", "city_staff", "county_staff", "township_supervisor", "secretary_demo")


def demo_reset() -> dict:
    """Delete the registry seed_demo made: every unit and all that hangs on it, the demo logins and
    the seed jobs. Other users stay, detached from the deleted units. Raw deletes, not the collector:
    the collector would load a million rows to send signals nobody needs here."""
    from django.apps import apps
    from django.conf import settings

    if OrgUnit.objects.exists() and not Job.objects.filter(kind=JOB_KIND).exists():
        raise ValueError(str(ERR_NOT_DEMO))
    base = str(settings.BASE_DIR)
    keep = {User, Job, Notice, AccessLog}  # the access log is append-only (R-SEC-1)
    def ours(model) -> bool:
        path = str(apps.get_app_config(model._meta.app_label).path)
        return path.startswith(base) and "site-packages" not in path

    wipe = [m for m in apps.get_models() if m not in keep and ours(m) and not m._meta.proxy and m._meta.managed]
    wipe_set = set(wipe)
    deleted = {}
    with transaction.atomic():
        Job.objects.filter(kind=JOB_KIND).delete()
        # Rows kept elsewhere that point into the wiped tables: let go (nullable) or delete.
        for model in apps.get_models():
            if model in wipe_set:
                continue
            for f in model._meta.concrete_fields:
                if f.is_relation and f.related_model in wipe_set:
                    qs = model._base_manager.filter(**{f"{f.name}__isnull": False})
                    if f.null:
                        qs.update(**{f.name: None})
                    else:
                        qs.delete()
        # Foreign keys are deferred to the commit on PostgreSQL and SQLite, so the order does not matter.
        for model in wipe:
            deleted[model._meta.label] = model._base_manager.all()._raw_delete(connection.alias)
        User.objects.filter(username__in=DEMO_USERNAMES).delete()
    return {k: v for k, v in deleted.items() if v}


def demo_seed(*, branches: int, seed: int = 1, password: str = DEFAULT_PASSWORD, history: bool = True,
              chunk: int = 5000, as_of: dt.date | None = None, reset: bool = False,
              progress: Callable[[str], None] = lambda msg: None) -> SeedResult:
    """Issue item 9: fill an empty registry with a realistic demo jurisdiction (R-ORG-1, R-SEL, R-RES)."""
    if branches < MIN_BRANCHES:
        raise ValueError(str(ERR_TOO_FEW.format(minimum=MIN_BRANCHES)))
    if reset:
        deleted = demo_reset()
        if deleted:
            progress("deleted " + ", ".join(f"{n:,} {label}" for label, n in deleted.items()))
    count = demo_units_count()
    if count:
        raise ValueError(str(ERR_UNITS_EXIST.format(count=count)))
    return Seeder(branches=branches, seed=seed, password=password, history=history, chunk=chunk,
                  as_of=as_of or dt.date.today(), progress=progress).run()
