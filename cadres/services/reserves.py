"""R-RES-1: the reserve pool."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from cadres.choices import ReserveStatus
from cadres.models import ReserveCandidate

ERR_RESERVE_DUPLICATE = _("{person} is already an open reserve candidate for {unit}.")
ERR_RESERVE_NOT_OPEN = _("Only a candidate still being cultivated can be withdrawn.")

RESERVE_FIELDS = ("person", "unit", "sector", "added_on", "cultivation_plan", "assigned_training", "status", "closed_on")


def reserve_candidate_add(*, data: dict) -> ReserveCandidate:
    entry = ReserveCandidate(**{k: v for k, v in data.items() if k in RESERVE_FIELDS})
    entry.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise ValidationError({"person": [ERR_RESERVE_DUPLICATE.format(person=entry.person, unit=entry.unit)]}) from None
    return entry


def reserve_candidate_update(*, entry: ReserveCandidate, data: dict) -> ReserveCandidate:
    for key, value in data.items():
        if key in RESERVE_FIELDS:
            setattr(entry, key, value)
    entry.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise ValidationError({"person": [ERR_RESERVE_DUPLICATE.format(person=entry.person, unit=entry.unit)]}) from None
    return entry


def reserve_candidate_withdraw(*, entry: ReserveCandidate, on: dt.date) -> ReserveCandidate:
    if entry.status != ReserveStatus.CULTIVATING:
        raise ValidationError({"status": [str(ERR_RESERVE_NOT_OPEN)]})
    entry.status, entry.closed_on = ReserveStatus.WITHDRAWN, on
    entry.save(update_fields=["status", "closed_on"])
    return entry
