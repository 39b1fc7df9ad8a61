from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.choices import Role


class RolePermission(BasePermission):
    """Reading needs a login; writing needs one of the view's ``write_roles`` (staff by default).

    What rows a user reaches is decided by the scoped queryset, not here (R-ORG-2).
    """

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS or user.is_superuser:
            return True
        return user.role in getattr(view, "write_roles", (Role.STAFF,))
