"""Wiring of the branch assessment file (R-ASM-5): its print kind and its buttons."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

LABEL = _("Assessment file PDF")
TITLE = _("The branch's annual assessment file as a PDF, with its verification code (R-ASM-5, R-DOS-1)")


def _may_print(user) -> bool:
    from dossiers.services.access import PRINT_ROLES

    return user.is_authenticated and (user.is_superuser or user.role in PRINT_ROLES)


def report_assessment_file_action(*, request, obj):
    """On the assessment report page: obj is the Classification the reader was already authorised to see."""
    user = request.user
    published = bool(obj.cycle_id and obj.cycle.is_published)
    own_branch = getattr(user, "is_secretary_role", False) and user.unit_id == obj.unit_id and published
    if not (_may_print(user) or own_branch):
        return None
    return {"label": LABEL, "title": TITLE,
            "url": f"{reverse('api-assessment-file', args=[obj.unit_id])}?year={obj.year}"}


def unit_assessment_file_action(*, request, obj):
    """On a branch's unit page: a year select of the years that have a classification (one query)."""
    from assessment.models import Classification

    user = request.user
    if not getattr(obj, "is_branch", False):
        return None
    if _may_print(user):
        rows = Classification.objects.filter(unit=obj)
    elif getattr(user, "is_secretary_role", False) and user.unit_id == obj.pk:
        rows = Classification.objects.filter(unit=obj, cycle__published_at__isnull=False)
    else:
        return None
    years = list(rows.order_by("-year").values_list("year", flat=True).distinct())
    if not years:
        return None
    return {"label": LABEL, "title": TITLE, "url": reverse("api-assessment-file", args=[obj.pk]),
            "fields": [{"name": "year", "label": _("Year"), "choices": [(y, y) for y in years], "value": years[0]}]}


def ready_assessment():
    from core.page_actions import register_page_action
    from dossiers.choices import PrintKind
    from dossiers.services.assessment_file import (
        SECTION_LABELS,
        assessment_file_changed_on,
        assessment_file_content_for_print,
    )
    from dossiers.services.verification import register_print_kind

    register_print_kind(PrintKind.ASSESSMENT_FILE, content=assessment_file_content_for_print,
                        changed_on=assessment_file_changed_on, section_labels=SECTION_LABELS)
    register_page_action("assessment.report", "dossiers.assessment_file", report_assessment_file_action, order=10)
    register_page_action("cadres.unit", "dossiers.assessment_file", unit_assessment_file_action, order=20)
