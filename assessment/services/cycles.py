"""R-ASM-1, R-CLS-6: assessment cycles, their dates and publication."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models import AssessmentCycle, Classification

ERR_DATES_ORDER = _("The dates must run: duty reports and evaluations due, then classification, then publication.")
ERR_CYCLE_EXISTS = _("There is already a cycle for this jurisdiction and year.")
ERR_PUBLISHED = _("The {year} classification is published and locked; it can no longer change.")
ERR_NOT_REVIEWED = _("Run the annual review before publishing: no branch of this cycle is classified.")
ERR_UNCLASSIFIED = _("{count} branches have no tier yet; set their tier before publishing.")


def _check_dates(*, reports_due: dt.date, evaluations_due: dt.date, classification_date: dt.date,
                 publication_date: dt.date) -> None:
    if not (reports_due <= classification_date and evaluations_due <= classification_date
            and classification_date <= publication_date):
        raise ValidationError({"classification_date": [ERR_DATES_ORDER]})


def cycle_create(*, unit, year: int, reports_due: dt.date, evaluations_due: dt.date,
                 classification_date: dt.date, publication_date: dt.date) -> AssessmentCycle:
    """R-ASM-1: open the assessment of a year for a jurisdiction."""
    _check_dates(reports_due=reports_due, evaluations_due=evaluations_due,
                 classification_date=classification_date, publication_date=publication_date)
    if AssessmentCycle.objects.filter(unit=unit, year=year).exists():
        raise ValidationError({"year": [ERR_CYCLE_EXISTS]})
    return AssessmentCycle.objects.create(unit=unit, year=year, reports_due=reports_due,
                                          evaluations_due=evaluations_due, classification_date=classification_date,
                                          publication_date=publication_date)


def cycle_update(*, cycle: AssessmentCycle, data: dict) -> AssessmentCycle:
    """R-ASM-1: change a cycle's dates until it is published."""
    cycle_ensure_open(cycle=cycle)
    for name in ("reports_due", "evaluations_due", "classification_date", "publication_date"):
        if name in data:
            setattr(cycle, name, data[name])
    _check_dates(reports_due=cycle.reports_due, evaluations_due=cycle.evaluations_due,
                 classification_date=cycle.classification_date, publication_date=cycle.publication_date)
    cycle.save()
    return cycle


def cycle_ensure_open(*, cycle: AssessmentCycle | None) -> None:
    """R-CLS-6: refuse any change to a published year."""
    if cycle is not None and cycle.published_at is not None:
        raise ValidationError({"cycle": [ERR_PUBLISHED.format(year=cycle.year)]})


def cycle_publish(*, cycle: AssessmentCycle, by) -> AssessmentCycle:
    """R-CLS-6: publish the year's classification and lock it."""
    with transaction.atomic():
        cycle = AssessmentCycle.objects.select_for_update().get(pk=cycle.pk)
        cycle_ensure_open(cycle=cycle)
        rows = Classification.objects.filter(cycle=cycle)
        if not rows.exists():
            raise ValidationError({"cycle": [ERR_NOT_REVIEWED]})
        missing = rows.filter(tier="").count()
        if missing:
            raise ValidationError({"cycle": [ERR_UNCLASSIFIED.format(count=missing)]})
        cycle.published_at = timezone.now()
        cycle.published_by = by
        cycle.save(update_fields=["published_at", "published_by"])
    return cycle
