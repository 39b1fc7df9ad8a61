"""Wiring of the person dossier (R-DOS-1): its print kind and the button on the person page."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def person_dossier_action(*, request, obj):
    from dossiers.services.access import PRINT_ROLES

    user = request.user
    if not (user.is_superuser or user.role in PRINT_ROLES):
        return None
    return {"label": _("Dossier PDF"), "url": reverse("api-person-dossier", args=[obj.pk]),
            "title": _("The secretary's term file as a PDF, with its verification code (R-DOS-1)")}


def ready_person():
    from core.page_actions import register_page_action
    from dossiers.choices import PrintKind
    from dossiers.services.person import SECTION_LABELS, dossier_changed_on, dossier_content_for_print
    from dossiers.services.verification import register_print_kind

    register_print_kind(PrintKind.PERSON_DOSSIER, content=dossier_content_for_print, changed_on=dossier_changed_on,
                        section_labels=SECTION_LABELS)
    register_page_action("cadres.person", "dossiers.person_pdf", person_dossier_action, order=10)
