"""Demo data of rectification for ``seed_demo`` (R-RCT-1/3/5): the three lists of the demo's cases.

Connected to ``cadres.demo.demo_seeded`` in ``RectificationConfig.ready()``; rectification's app config
is ready after assessment's (INSTALLED_APPS order), so its receiver runs after ``seed_assessment`` and
sees last year's classifications. Cases are opened by the annual review's step when one is registered;
otherwise ``seed_cases`` opens them itself (``case_open``, origin rated poor) for last year's 较差
branches. Each case (up to ``MAX_CASES_WITH_LISTS``) gets problems, tasks — some done with evidence, some
overdue, some due within the reminder window — and responsibilities, all through the services, so the
history (CaseEvent) reads as it would in use; one case in four with every task done is signed off.
Everything is drawn from ``random.Random(seed + CASES_SEED_OFFSET)`` in case order: the same seed gives
the same lists.
"""
from __future__ import annotations

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile

from assessment.choices import Tier
from assessment.models import Classification
from cadres.choices import AppointmentRole
from cadres.models import Appointment
from core.models import User
from rectification.choices import CaseOrigin, CaseState, TaskState
from rectification.models import CaseProblem, CaseResponsibility, RectificationCase, RectificationTask

CASES_SEED_OFFSET = 9_100_003
MAX_CASES_OPENED = 200  # a large seed's poor branches: the ledger has plenty without all of them
MAX_CASES_WITH_LISTS = 40

PROBLEMS = (
    "“三会一课”制度落实不到位，会议记录不完整",
    "班子成员分工不明确，战斗堡垒作用发挥不充分",
    "党员发展连续多年空白，党员队伍老化",
    "村级集体经济薄弱，为民办事能力不强",
    "组织生活会批评与自我批评开展不深入",
    "党务公开不及时，群众满意度偏低",
    "阵地建设滞后，活动场所功能不全",
)
TASKS = (
    ("规范“三会一课”，建立会议台账", "每月召开支委会、党员大会按季度召开，记录完整"),
    ("调整充实支部班子", "按程序补选支部委员，明确分工"),
    ("制定年度党员发展计划", "确定入党积极分子不少于2名"),
    ("谋划集体经济增收项目", "形成项目方案并报镇党委审定"),
    ("召开专题组织生活会", "对照问题清单逐条检视整改"),
    ("完善党务村务公开栏", "按季度公开，接受群众监督"),
    ("开展党员集中培训", "全体党员参训，考试合格"),
)
EVIDENCE = ("已按要求完成，会议记录和照片已存档。", "镇党委已验收，整改到位。", "相关台账已建立并报备。")


def _poor_branches(year: int) -> list[int]:
    return list(Classification.objects.filter(year=year, tier=Tier.POOR).order_by("unit__path")
                .values_list("unit_id", flat=True)[:MAX_CASES_OPENED])


def seed_cases(sender=None, *, seed: int = 0, as_of: dt.date | None = None, result=None, progress=None,
               **kwargs) -> None:
    """Receiver of ``demo_seeded``: lists for the demo's rectification cases (opening them if the review did not)."""
    from core.models import OrgUnit
    from rectification.services import cases as svc
    from rectification.services.opening import case_open

    as_of = as_of or dt.date.today()
    year = as_of.year - 1
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return
    opened = 0
    if not RectificationCase.objects.filter(year=year).exists():
        units = OrgUnit.objects.in_bulk(_poor_branches(year))
        tiers = dict(Classification.objects.filter(year=year, unit_id__in=units).values_list("unit_id",
                                                                                               "composite_score"))
        for unit in sorted(units.values(), key=lambda u: u.path):
            _case, new = case_open(unit=unit, year=year, origin=CaseOrigin.POOR_TIER, by=admin, explanation={
                "rule": "R-RCT-1", "tier": Tier.POOR,
                "composite_score": str(tiers.get(unit.pk)) if tiers.get(unit.pk) is not None else None})
            opened += new
    rng = random.Random(seed + CASES_SEED_OFFSET)
    cases = list(RectificationCase.objects.filter(year=year, state=CaseState.OPEN).select_related("unit")
                 .order_by("unit__path")[:MAX_CASES_WITH_LISTS])
    secretaries = {a.unit_id: a.person for a in Appointment.objects.filter(
        unit_id__in=[c.unit_id for c in cases], role=AppointmentRole.SECRETARY, end_date__isnull=True,
    ).select_related("person__user")}
    parents = OrgUnit.objects.in_bulk({c.unit.path[:-OrgUnit.steplen] for c in cases}, field_name="path")
    tasks_made = closed = 0
    attached = False
    for n, case in enumerate(cases):
        if case.tasks.exists():  # seeded before (or by another part): leave it as it is
            continue
        secretary = secretaries.get(case.unit_id)
        township = parents.get(case.unit.path[:-OrgUnit.steplen])
        for text in rng.sample(PROBLEMS, rng.randint(2, 3)):
            svc.problem_add(case=case, text=text, by=admin)
        if secretary is not None:
            svc.responsibility_add(case=case, duty="支部书记履行第一责任人职责，牵头抓好整改", person=secretary,
                                   by=admin)
        if township is not None:
            svc.responsibility_add(case=case, duty="镇党委履行主体责任，包联指导、督促验收", unit=township,
                                   by=admin)
        all_done = n % 4 == 3
        for i, (title, description) in enumerate(rng.sample(TASKS, rng.randint(2, 4))):
            owner = {"owner_person": secretary} if secretary is not None and i % 3 != 2 else {"owner_unit": township}
            if owner.get("owner_unit") is None and owner.get("owner_person") is None:
                owner = {"owner_unit": case.unit}
            kind = "done" if all_done else rng.choice(("done", "overdue", "due_soon", "later"))
            offset = {"done": -rng.randint(5, 60), "overdue": -rng.randint(1, 30), "due_soon": rng.randint(0, 6),
                      "later": rng.randint(20, 120)}[kind]
            task = svc.task_add(case=case, title=title, description=description,
                                deadline=as_of + dt.timedelta(days=offset), by=admin, **owner)
            tasks_made += 1
            if kind == "done":
                files = []
                if not attached:  # one scanned record, so the evidence download has something to serve
                    files = [SimpleUploadedFile("整改会议记录.txt", "支委会会议记录（示例）".encode(),
                                                content_type="text/plain")]
                    attached = True
                svc.task_mark_done(task=task, evidence=rng.choice(EVIDENCE), files=files, by=admin)
        if all_done:
            svc.case_close(case=case, note="整改任务全部完成，经镇党委验收合格，同意销号。", by=admin)
            closed += 1
    if result is not None:
        result.counts["rectification.RectificationCase"] = RectificationCase.objects.count()
        result.counts["rectification.RectificationTask"] = RectificationTask.objects.count()
        result.counts["rectification.CaseProblem"] = CaseProblem.objects.count()
        result.counts["rectification.CaseResponsibility"] = CaseResponsibility.objects.count()
    if progress is not None:
        done = RectificationTask.objects.filter(state=TaskState.DONE).count()
        progress(f"  rectification: {opened} cases opened here, {tasks_made} tasks ({done} done), {closed} signed off")
