"""R-JOB-2 / R-ASM-1..3: the assessment's parts of the one daily sweep (core.sweeps).

Two parts, registered from ``AssessmentConfig.ready()``:

- duty reports due (R-ASM-2): for each unpublished cycle whose ``reports_due`` lies within the
  policy's ``report_reminder_days`` or has passed, each serving secretary of a branch in the cycle's
  scope whose report of the year is missing, a draft or returned gets a reminder (before the date)
  or an overdue notice (after it); after the date the staff of the cycle's jurisdiction get one
  summary with the number of reports missing.
- evaluations due (R-ASM-3): for each unpublished cycle whose ``evaluations_due`` is as near or has
  passed, the staff and supervisors of each unit holding branches whose sample is still open (or
  not drawn at all) get one notice per unit and cycle.

Every notice is keyed by its kind, the cycle, the recipient's subject and the deadline, so it is
sent once per (recipient, deadline, kind) however often the sweep runs; a moved deadline is a new
deadline. Cycles of years before last year are left alone, so old unpublished cycles do not flood
anyone. Set-based: a fixed number of queries whatever the number of cycles, branches and people.
"""
import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.choices import DutyReportState
from assessment.models import AssessmentCycle, DutyReport, EvaluationSample
from cadres.choices import AppointmentRole
from cadres.models import Appointment
from core.choices import BRANCH_LEVELS, Role
from core.formatting import date_text
from core.models import Notice, OrgUnit, User
from core.services.notices import notices_send_bulk
from core.services.policies import PolicyResolver

NOTICE_KIND_REPORT_DUE = "assessment.report_due"
NOTICE_KIND_REPORT_OVERDUE = "assessment.report_overdue"
NOTICE_KIND_REPORTS_MISSING = "assessment.reports_missing"
NOTICE_KIND_EVALUATIONS_DUE = "assessment.evaluations_due"
NOTICE_KIND_EVALUATIONS_OVERDUE = "assessment.evaluations_overdue"

NOTICE_KINDS = {
    NOTICE_KIND_REPORT_DUE: gettext_lazy("Duty report due"),
    NOTICE_KIND_REPORT_OVERDUE: gettext_lazy("Duty report overdue"),
    NOTICE_KIND_REPORTS_MISSING: gettext_lazy("Duty reports missing"),
    NOTICE_KIND_EVALUATIONS_DUE: gettext_lazy("Member evaluations due"),
    NOTICE_KIND_EVALUATIONS_OVERDUE: gettext_lazy("Member evaluations overdue"),
}

#: R-ASM-2: a report in these states still has to be (re)submitted.
REPORT_OUTSTANDING_STATES = (DutyReportState.DRAFT, DutyReportState.RETURNED)


def _cycles_in_window(*, as_of: dt.date, date_field: str) -> list[tuple[AssessmentCycle, int]]:
    """The unpublished cycles of this year and later (and last year's) whose ``date_field`` is within
    the reminder days of their policy or past, with those days (one query for the cycles, one per year
    for the policies)."""
    cycles = list(AssessmentCycle.objects.filter(published_at__isnull=True, year__gte=as_of.year - 1)
                  .select_related("unit").order_by("unit__path", "year"))
    resolvers: dict[int, PolicyResolver] = {}
    due = []
    for cycle in cycles:
        if cycle.year not in resolvers:
            resolvers[cycle.year] = PolicyResolver(year=cycle.year)
        resolver = resolvers[cycle.year]
        days = resolver.for_unit(unit_id=cycle.unit_id, path=cycle.unit.path).report_reminder_days
        if getattr(cycle, date_field) <= as_of + dt.timedelta(days=days):
            due.append((cycle, days))
    return due


def _scope_q(cycles, lookup: str = "path") -> Q:
    q = Q(pk__in=[])
    for cycle in cycles:
        q |= Q(**{f"{lookup}__startswith": cycle.unit.path})
    return q


def _users_of(*, unit_ids, roles) -> dict[int, list[int]]:
    """Active users of the given roles per unit (one query)."""
    out: dict[int, list[int]] = defaultdict(list)
    for uid, unit_id in (User.objects.filter(unit_id__in=set(unit_ids), role__in=roles, is_active=True)
                         .order_by("pk").values_list("id", "unit_id")):
        out[unit_id].append(uid)
    return out


def duty_reports_due_sweep(*, as_of: dt.date) -> int:
    """R-ASM-2 / R-JOB-2: remind secretaries of an outstanding duty report, once before the due date
    and once after it; after it, tell the cycle's staff how many are missing. Returns the new notices."""
    cycles = [c for c, _days in _cycles_in_window(as_of=as_of, date_field="reports_due")]
    if not cycles:
        return 0
    # The serving secretaries of the active branches under any of the cycles (one query).
    posts = list(
        Appointment.objects.filter(role=AppointmentRole.SECRETARY, end_date__isnull=True,
                                   unit__level__in=BRANCH_LEVELS, unit__is_active=True)
        .filter(_scope_q(cycles, "unit__path"))
        .values("unit_id", "unit__path", "unit__name", "person_id", "person__name", "person__user_id",
                "person__user__is_active")
        .order_by("unit__path", "person_id"))
    years = {c.year for c in cycles}
    done = set(DutyReport.objects.filter(year__in=years).filter(_scope_q(cycles, "unit__path"))
               .exclude(state__in=REPORT_OUTSTANDING_STATES).values_list("unit_id", "person_id", "year"))
    staff = _users_of(unit_ids=[c.unit_id for c in cycles], roles=(Role.STAFF,))

    notices = []
    with translation.override(settings.LANGUAGE_CODE):
        own_url = reverse("assessment:duty_reports")
        for cycle in cycles:
            overdue = as_of > cycle.reports_due
            kind = NOTICE_KIND_REPORT_OVERDUE if overdue else NOTICE_KIND_REPORT_DUE
            deadline = cycle.reports_due.isoformat()
            missing = [p for p in posts if p["unit__path"].startswith(cycle.unit.path)
                       and (p["unit_id"], p["person_id"], cycle.year) not in done]
            for post in missing:
                if not post["person__user_id"] or not post["person__user__is_active"]:
                    continue
                values = {"year": cycle.year, "deadline": date_text(cycle.reports_due), "unit": post["unit__name"]}
                if overdue:
                    title = _("Your %(year)s duty report was due on %(deadline)s") % values
                    body = _("R-ASM-2: the %(year)s duty report of %(unit)s was due on %(deadline)s and has not "
                             "been submitted yet. Please submit it now.") % values
                else:
                    title = _("Your %(year)s duty report is due by %(deadline)s") % values
                    body = _("R-ASM-2: please submit the %(year)s duty report of %(unit)s by %(deadline)s.") % values
                notices.append(Notice(recipient_id=post["person__user_id"], kind=kind, url=own_url,
                                      key=f"{kind}:{cycle.pk}:{post['person_id']}:{deadline}",
                                      title=title[:200], body=body))
            if overdue and missing:
                values = {"year": cycle.year, "deadline": date_text(cycle.reports_due), "count": len(missing),
                          "unit": cycle.unit.name}
                title = _("%(count)s duty reports of %(year)s missing after %(deadline)s") % values
                body = _("R-ASM-2: under %(unit)s, %(count)s serving secretaries had not submitted their %(year)s "
                         "duty report by %(deadline)s (missing, draft or returned).") % values
                key = f"{NOTICE_KIND_REPORTS_MISSING}:{cycle.pk}:{deadline}"
                url = reverse("assessment:duty_reports") + f"?year={cycle.year}"
                notices.extend(Notice(recipient_id=uid, kind=NOTICE_KIND_REPORTS_MISSING, key=key, url=url,
                                      title=title[:200], body=body) for uid in staff.get(cycle.unit_id, []))
    return notices_send_bulk(notices=notices)


def evaluations_due_sweep(*, as_of: dt.date) -> int:
    """R-ASM-3 / R-JOB-2: tell the staff and supervisors of each unit above branches whose member
    evaluation is still open, or not drawn, that the cycle's evaluations are due (before the date) or
    overdue (after it: branches without a sample); one notice per unit and cycle. Returns the new ones."""
    cycles = [c for c, _days in _cycles_in_window(as_of=as_of, date_field="evaluations_due")]
    if not cycles:
        return 0
    branches = list(OrgUnit.objects.filter(level__in=BRANCH_LEVELS, is_active=True).filter(_scope_q(cycles))
                    .values_list("id", "path").order_by("path"))
    # Whether each branch's sample of the year is closed, as of the sweep's day (one query).
    closed = {(unit_id, year): is_closed for unit_id, year, is_closed in
              EvaluationSample.objects.filter(_scope_q(cycles, "unit__path"), year__in={c.year for c in cycles})
              .with_closed(today=as_of).values_list("unit_id", "year", "is_closed")}
    step = OrgUnit.steplen
    parents = {path[:-step] for _b, path in branches if len(path) > step}
    units = {path: (pk, name) for pk, path, name in OrgUnit.objects.filter(path__in=parents)
             .values_list("id", "path", "name")}
    readers = _users_of(unit_ids=[pk for pk, _n in units.values()], roles=(Role.STAFF, Role.SUPERVISOR))

    notices = []
    with translation.override(settings.LANGUAGE_CODE):
        url = reverse("assessment:evaluations")
        for cycle in cycles:
            overdue = as_of > cycle.evaluations_due
            kind = NOTICE_KIND_EVALUATIONS_OVERDUE if overdue else NOTICE_KIND_EVALUATIONS_DUE
            pending: dict[str, int] = defaultdict(int)
            for branch_id, path in branches:
                if not path.startswith(cycle.unit.path) or len(path) <= step:
                    continue
                state = closed.get((branch_id, cycle.year))  # None: no sample drawn
                # Before the date an open sample still takes ballots; after it only an undrawn one is missing.
                if state is None or (not overdue and not state):
                    pending[path[:-step]] += 1
            for parent_path, count in sorted(pending.items()):
                if parent_path not in units:
                    continue
                unit_id, unit_name = units[parent_path]
                values = {"year": cycle.year, "deadline": date_text(cycle.evaluations_due), "count": count,
                          "unit": unit_name}
                if overdue:
                    title = _("%(unit)s: %(count)s branches without a member evaluation after %(deadline)s") % values
                    body = _("R-ASM-3: the %(year)s member evaluations were due on %(deadline)s; %(count)s "
                             "branches of %(unit)s have no sample drawn.") % values
                else:
                    title = _("%(unit)s: member evaluations due by %(deadline)s") % values
                    body = _("R-ASM-3: %(count)s branches of %(unit)s have their %(year)s member evaluation "
                             "still open or not drawn; it closes on %(deadline)s.") % values
                key = f"{kind}:{cycle.pk}:{unit_id}:{cycle.evaluations_due.isoformat()}"
                notices.extend(Notice(recipient_id=uid, kind=kind, key=key, url=f"{url}?year={cycle.year}",
                                      title=title[:200], body=body) for uid in readers.get(unit_id, []))
    return notices_send_bulk(notices=notices)


def register_assessment_sweeps() -> None:
    from core.notice_kinds import register_notice_kind
    from core.sweeps import register_sweep

    register_sweep("assessment.duty_reports", duty_reports_due_sweep, label=gettext_lazy("Duty reports due"),
                   order=20)
    register_sweep("assessment.evaluations", evaluations_due_sweep, label=gettext_lazy("Member evaluations due"),
                   order=30)
    for kind, label in NOTICE_KINDS.items():
        register_notice_kind(kind, label)
