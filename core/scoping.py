"""The one place where views get their rows: scoping cannot be skipped by accident (R-ORG-2).

Every API viewset and page view that shows scoped rows inherits ``ScopedViewMixin``. It
defines ``get_queryset``; a subclass that defines its own is refused when the class is
created (the PostHog pattern). Extra filtering goes into the ``scope_queryset`` hook,
which receives rows already restricted to the user's subtree.
"""
from django.http import Http404


class ScopedViewMixin:
    queryset = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__} overrides get_queryset(); override scope_queryset() instead, "
                "so the subtree restriction of ScopedViewMixin always applies."
            )

    def get_queryset(self):
        if self.queryset is None:
            raise TypeError(f"{type(self).__name__} must declare queryset")
        qs = self.queryset.all().visible_to(self.request.user)
        return self.scope_queryset(qs)

    def scope_queryset(self, queryset):
        return queryset


def access_by_id(model, *, user, pk, for_update: bool = False):
    """Fetch one scoped row and authorise it in one step: 404 outside the user's subtree (Zulip style)."""
    qs = model.objects.visible_to(user)
    if for_update:
        qs = qs.select_for_update()
    try:
        return qs.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def users_visible_to(user):
    """The accounts ``user`` may see and choose: those attached to their subtree, superusers
    excepted; a secretary only their own; a superuser all (R-ORG-2)."""
    from django.contrib.auth import get_user_model

    from core.choices import Role

    users = get_user_model()._default_manager
    if user is None or not user.is_authenticated or not user.is_active:
        return users.none()
    if user.is_superuser:
        return users.all()
    if user.unit_id is None:
        return users.none()
    if user.role == Role.SECRETARY:
        return users.filter(pk=user.pk)
    return users.filter(unit__path__startswith=user.unit.path, is_superuser=False)


def visible_rows(model, user):
    """The rows of ``model`` that ``user`` may see: its own ``visible_to`` where it has one, the
    accounts of the subtree for users; any other unscoped model only for superusers. No user, no rows."""
    from django.contrib.auth import get_user_model

    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(user)
    if model is get_user_model():
        return users_visible_to(user)
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return manager.all()
    return manager.none()
