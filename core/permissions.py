"""Role checks for page views; which rows a user reaches is decided by ScopedViewMixin."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from core.choices import Role


def require_role(user, *roles: str) -> None:
    """Raise 403 unless the user is a superuser or has one of ``roles``."""
    if not (user.is_authenticated and (user.is_superuser or user.role in roles)):
        raise PermissionDenied


class RoleRequiredMixin(LoginRequiredMixin):
    """Pages that change data: staff by default; a view widens it with ``allowed_roles``."""

    allowed_roles: tuple[str, ...] = (Role.STAFF,)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_role(request.user, *self.allowed_roles)
        return super().dispatch(request, *args, **kwargs)
