"""R-RCT-1: opening a rectification case — once per branch and year, however often the review runs."""
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from rectification.choices import CaseEventKind, CaseOrigin
from rectification.models import CaseEvent, RectificationCase

ERR_ORIGIN = _("Unknown reason for opening a case: {value}.")


def case_open(*, unit, year: int, origin: str, explanation: dict | None = None, by=None,
              summary: str = "") -> tuple[RectificationCase, bool]:
    """R-RCT-1: the case of ``unit`` for ``year``, opened if there is none; returns (case, opened now).

    A second reason (rated poor as well as listed weak and lax) is added to the open case's
    origins and explanation, with an event, rather than opening another; the same reason again
    changes nothing, so the annual review can run any number of times. A closed case is not
    reopened here: reopening is a decision (R-RCT-3).
    """
    if origin not in CaseOrigin.values:
        raise ValueError(str(ERR_ORIGIN).format(value=origin))
    explanation = explanation or {}
    with transaction.atomic():
        case = RectificationCase.objects.select_for_update().filter(unit=unit, year=year).first()
        if case is None:
            try:
                with transaction.atomic():
                    case = RectificationCase.objects.create(
                        unit=unit, year=year, origins=[origin], summary=summary, opened_by=by,
                        explanation={origin: explanation})
            except IntegrityError:  # opened by a concurrent run in the meantime
                case = RectificationCase.objects.select_for_update().get(unit=unit, year=year)
            else:
                CaseEvent.objects.create(case=case, kind=CaseEventKind.OPENED, by=by,
                                         data={"origin": origin, **explanation})
                return case, True
        if origin not in case.origins:
            case.origins = [*case.origins, origin]
            case.explanation = {**(case.explanation or {}), origin: explanation}
            case.save(update_fields=["origins", "explanation"])
            CaseEvent.objects.create(case=case, kind=CaseEventKind.ORIGIN_ADDED, by=by,
                                     data={"origin": origin, **explanation})
    return case, False
