"""Subtree scoping (R-ORG-2): one queryset method every scoped model inherits."""
from django.db import models
from django.db.models import Q

from .choices import Role


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to what a user may see.

    A scoped model declares:
      * ``scope_path_lookup``: the lookup from the model to the unit's materialised path
        (``"unit__path"``), so the subtree is one indexed prefix query;
      * ``scope_secretary_q(user)``: a classmethod giving the rows a secretary may see
        (their own record, their own branch).
    """

    def visible_to(self, user) -> "ScopedQuerySet":
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.unit_id is None:
            return self.none()
        return self.filter(self.scope_q(user))

    def scope_q(self, user) -> Q:
        """The rows an active, non-superuser user attached to a unit may see; a queryset whose
        visibility differs (courses are seen from below too) overrides only this."""
        if user.role == Role.SECRETARY:
            return self.model.scope_secretary_q(user)
        return Q(**{f"{self.model.scope_path_lookup}__startswith": user.unit.path})


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass


class OwnedQuerySet(models.QuerySet):
    """Rows that belong to one user (jobs and their downloads, notices): never shared along the tree.

    The model names the owning field in ``owner_field``.
    """

    def visible_to(self, user) -> "OwnedQuerySet":
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(**{self.model.owner_field: user})
