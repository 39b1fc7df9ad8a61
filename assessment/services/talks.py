"""R-TLK-1: the talk each annual assessment calls for (000 item 14: 年度考核讲评时 … 开展谈心谈话).

Registered with cadres' hook (``cadres.talk_requirements``) from ``AssessmentConfig.ready()``:
cadres lists missing talks without importing assessment.
"""
import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessment.models import AssessmentCycle
from cadres.choices import AppointmentRole, TalkKind
from cadres.models import Appointment, Talk
from core.formatting import date_text

REASON_ANNUAL = _("The {year} assessment was classified on {date}; no annual assessment talk since.")
WINDOW_YEARS = 1  # which published cycles still ask for their talk: those classified in the last year


def annual_assessment_talks_missing(*, scope_path: str, as_of: dt.date):
    """R-TLK-1: for each published cycle classified in the last year whose jurisdiction meets the scope,
    each current secretary of a branch in both, appointed by the classification date, needs a talk of
    kind annual assessment dated on or after it. Where several cycles cover a branch (a county's and a
    township's, or two years), only the latest classification asks: a talk after it answers the
    earlier ones too. Three queries whatever the number of cycles and posts."""
    since = as_of - relativedelta(years=WINDOW_YEARS)
    cycles = list(
        AssessmentCycle.objects.filter(published_at__isnull=False, classification_date__gte=since,
                                       classification_date__lte=as_of)
        .select_related("unit").order_by("unit__path", "year"))
    # the cycle's jurisdiction and the scope overlap: one holds the other
    cycles = [c for c in cycles if c.unit.path.startswith(scope_path) or scope_path.startswith(c.unit.path)]
    if not cycles:
        return
    within = Q()
    for c in cycles:
        within |= Q(unit__path__startswith=c.unit.path)
    posts = list(
        Appointment.objects.filter(within, role=AppointmentRole.SECRETARY, end_date__isnull=True,
                                   unit__path__startswith=scope_path,
                                   start_date__lte=max(c.classification_date for c in cycles))
        .values_list("person_id", "unit_id", "unit__path", "start_date"))
    if not posts:
        return
    earliest = min(c.classification_date for c in cycles)
    talked: dict[int, list[dt.date]] = {}
    for person_id, day in Talk.objects.filter(
            kind=TalkKind.ANNUAL_ASSESSMENT, date__gte=earliest, date__lte=as_of,
            person_id__in={p[0] for p in posts}).values_list("person_id", "date"):
        talked.setdefault(person_id, []).append(day)
    for person_id, unit_id, path, start in posts:
        covering = [c for c in cycles if path.startswith(c.unit.path) and start <= c.classification_date]
        if not covering:
            continue
        cycle = max(covering, key=lambda c: (c.classification_date, c.year))
        if not any(day >= cycle.classification_date for day in talked.get(person_id, ())):
            yield (person_id, unit_id, TalkKind.ANNUAL_ASSESSMENT, cycle.classification_date,
                   REASON_ANNUAL.format(year=cycle.year, date=date_text(cycle.classification_date)))
