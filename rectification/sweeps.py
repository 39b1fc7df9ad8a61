"""R-RCT-5 / R-JOB-2: the rectification tasks' part of the daily deadline sweep."""
import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.choices import Role
from core.formatting import date_text
from core.models import Notice, OrgUnit, User
from core.services.notices import notices_send_bulk
from core.services.policies import PolicyResolver
from rectification.choices import CaseState, TaskState
from rectification.models import RectificationTask

NOTICE_KIND_DUE = "rectification.task_due"
NOTICE_KIND_OVERDUE = "rectification.task_overdue"
# Reminders look this far ahead at most; a policy's task_reminder_days beyond it would be absurd.
LOOKAHEAD_DAYS = 366


def _reminder_days(resolvers: dict, task) -> int:
    """The policy of the task's branch for the deadline's year: the rules in force when the task falls due."""
    year = task.deadline.year
    if year not in resolvers:
        resolvers[year] = PolicyResolver(year=year)
    unit = task.case.unit
    return resolvers[year].for_unit(unit_id=unit.pk, path=unit.path).task_reminder_days


def rectification_task_sweep(*, as_of: dt.date) -> int:
    """R-RCT-5: remind owners of open tasks due within ``task_reminder_days`` (the deadline today or
    exactly that many days away included) and escalate overdue ones (deadline before today) to the
    supervisors of the branch's nearest ancestor with any — its township, else the next one up, never
    a sibling's; each notice once (keyed by task and deadline). Returns how many notices are new.

    Set-based: the open tasks (one query), the policies (one per deadline year), the owner units'
    users and the ancestors' supervisors (one query each), the notices already sent and the insert.
    """
    tasks = list(RectificationTask.objects.filter(
        state=TaskState.OPEN, case__state=CaseState.OPEN, deadline__lte=as_of + dt.timedelta(days=LOOKAHEAD_DAYS),
    ).select_related("case__unit", "owner_person", "owner_unit"))
    resolvers: dict = {}
    due, overdue = [], []
    for task in tasks:
        if task.deadline < as_of:
            overdue.append(task)
        elif (task.deadline - as_of).days <= _reminder_days(resolvers, task):
            due.append(task)
    if not due and not overdue:
        return 0

    unit_users: dict[int, list[int]] = {}
    owner_units = {t.owner_unit_id for t in due if t.owner_unit_id}
    if owner_units:
        for uid, unit_id in User.objects.filter(unit_id__in=owner_units, is_active=True).values_list("id", "unit_id"):
            unit_users.setdefault(unit_id, []).append(uid)

    step = OrgUnit.steplen
    ancestor_paths = {p for t in overdue for p in t.case.unit.ancestor_paths()[1:]}
    supervisors: dict[str, list[int]] = {}
    if ancestor_paths:
        for uid, path in User.objects.filter(unit__path__in=ancestor_paths, is_active=True,
                                             role__in=(Role.SUPERVISOR, Role.STAFF)).values_list("id", "unit__path"):
            supervisors.setdefault(path, []).append(uid)

    notices = []
    with translation.override(settings.LANGUAGE_CODE):
        for task in due:
            url = reverse("rectification:case", args=[task.case_id]) + f"#task-{task.pk}"
            values = {"task": task.title, "unit": task.case.unit.name, "deadline": date_text(task.deadline)}
            title = _("Rectification task due by %(deadline)s: %(task)s") % values
            body = _("R-RCT-5: the task “%(task)s” of the rectification of %(unit)s is due by %(deadline)s.") % values
            key = f"{NOTICE_KIND_DUE}:{task.pk}:{task.deadline.isoformat()}"
            recipients = set(unit_users.get(task.owner_unit_id, []))
            if task.owner_person_id and task.owner_person.user_id:
                recipients.add(task.owner_person.user_id)
            notices += [Notice(recipient_id=uid, kind=NOTICE_KIND_DUE, key=key, title=title[:200], body=body,
                               url=url) for uid in sorted(recipients)]
        for task in overdue:
            url = reverse("rectification:case", args=[task.case_id]) + f"#task-{task.pk}"
            values = {"task": task.title, "unit": task.case.unit.name, "deadline": date_text(task.deadline)}
            title = _("Rectification task overdue since %(deadline)s: %(task)s") % values
            body = _("R-RCT-5: the task “%(task)s” of the rectification of %(unit)s is not done; "
                     "its deadline was %(deadline)s.") % values
            key = f"{NOTICE_KIND_OVERDUE}:{task.pk}:{task.deadline.isoformat()}"
            recipients: list[int] = []
            for path in task.case.unit.ancestor_paths()[1:]:  # nearest first, the branch itself left out
                if len(path) >= step and supervisors.get(path):
                    recipients = supervisors[path]
                    break
            notices += [Notice(recipient_id=uid, kind=NOTICE_KIND_OVERDUE, key=key, title=title[:200], body=body,
                               url=url) for uid in recipients]
    return notices_send_bulk(notices=notices)
