from rest_framework import mixins, viewsets

from core.scoping import ScopedViewMixin


class ScopedReadOnlyViewSet(ScopedViewMixin, viewsets.ReadOnlyModelViewSet):
    """Subtree-scoped list and detail; viewsets declare queryset, serializer_class, filterset_class."""


class ScopedModelViewSet(ScopedViewMixin, viewsets.ModelViewSet):
    """Subtree-scoped create/read/update; deletes are refused unless a viewset opts in."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class ScopedCreateReadViewSet(ScopedViewMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    pass
