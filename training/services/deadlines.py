"""R-TRN-1 / R-JOB-2: the daily sweep of initial-training deadlines."""
import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cadres.models import Appointment
from core.formatting import date_text
from core.choices import Role
from core.models import Notice, OrgUnit, User
from core.services.notices import notices_send_bulk
from training.choices import ComplianceRule, ComplianceStatus

NOTICE_KIND_DUE = "training.initial_due"
NOTICE_KIND_OVERDUE = "training.initial_overdue"


def initial_training_sweep(*, as_of: dt.date, days: int | None = None) -> int:
    """R-TRN-1: notify each person and their supervisors, once, of an initial-training deadline
    within ``days`` (default the panel's 30) and of an overdue one; returns how many notices are new.

    Overdue cases are swept while their deadline lies in this year or the last, so records
    older than the system do not flood anyone. Set-based: the compliance rows (three
    queries), one query for the recipients, one to skip notices already sent, one insert.
    """
    from training.selectors import DUE_SOON_DAYS, compliance_rows

    days = DUE_SOON_DAYS if days is None else days
    rows = compliance_rows(appointments=Appointment.objects.all(), year=as_of.year, as_of=as_of)
    hits = []
    for row in rows:
        outcome = row.outcome(ComplianceRule.INITIAL.value)  # (status, deadline): no explanation needed
        if outcome is None:
            continue
        status, deadline = outcome
        if status == ComplianceStatus.DUE and deadline <= as_of + dt.timedelta(days=days):
            hits.append((row, NOTICE_KIND_DUE))
        elif status == ComplianceStatus.OVERDUE and deadline.year >= as_of.year - 1:
            hits.append((row, NOTICE_KIND_OVERDUE))
    if not hits:
        return 0
    step = OrgUnit.steplen
    parent_paths = {row.unit.path[:-step] for row, _kind in hits if len(row.unit.path) > step}
    supervisors: dict[str, list[int]] = {}
    for uid, path in User.objects.filter(
        unit__path__in=parent_paths, role__in=(Role.SUPERVISOR, Role.STAFF), is_active=True
    ).values_list("id", "unit__path"):
        supervisors.setdefault(path, []).append(uid)

    notices = []
    with translation.override(settings.LANGUAGE_CODE):
        staff_url = reverse("training:compliance") + "?rule=R-TRN-1"
        own_url = reverse("training:my-training")
        for row, kind in hits:
            deadline = row.outcome(ComplianceRule.INITIAL.value)[1]
            key = f"{kind}:{row.person.pk}:{deadline.isoformat()}"
            values = {"person": row.person.name, "unit": row.unit.name, "deadline": date_text(deadline)}
            if kind == NOTICE_KIND_DUE:
                title = _("Initial training due by %(deadline)s: %(person)s") % values
                body = _("R-TRN-1: %(person)s (%(unit)s) must complete initial training by %(deadline)s.") % values
            else:
                title = _("Initial training overdue since %(deadline)s: %(person)s") % values
                body = _("R-TRN-1: %(person)s (%(unit)s) has not completed initial training; "
                         "the deadline was %(deadline)s.") % values
            recipients = [(uid, staff_url) for uid in supervisors.get(row.unit.path[:-step], [])]
            if row.person.user_id:
                recipients.append((row.person.user_id, own_url))
            for uid, url in recipients:
                notices.append(Notice(recipient_id=uid, kind=kind, key=key, title=title[:200], body=body, url=url))
    return notices_send_bulk(notices=notices)
