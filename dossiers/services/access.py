"""Who may print what (R-ORG-2, R-SEC-1): a scoped lookup, 404 outside the reader's subtree."""
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from core.choices import Role

ERR_DOSSIER_ROLE = _("Only staff and supervisors print dossiers.")
PRINT_ROLES = (Role.STAFF, Role.SUPERVISOR)


def dossier_reader_check(user) -> None:
    """Staff and supervisors (and superusers) print dossiers; a secretary gets 403."""
    if not (getattr(user, "is_superuser", False) or getattr(user, "role", None) in PRINT_ROLES):
        raise PermissionDenied(ERR_DOSSIER_ROLE)
