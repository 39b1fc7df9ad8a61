"""R-STP-5/6: health checks and the eligible list over the API; rules live in services/health.py."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.views import APIView

from core.api.pagination import StandardPagination
from core.api.views import query_unit, query_year
from core.api.viewsets import ScopedModelViewSet
from stipends.api.serializers_health import EligibleRowSerializer, HealthCheckSerializer
from stipends.models import HealthCheck, HealthCheckEntitlement
from stipends.services import health as svc
from stipends.views_health import CheckFilterSet, entitlements_with_checks

ERR_YEAR_REQUIRED = _("year is required: the eligible list is kept per year.")
ERR_CHECKED = _("checked must be true or false.")
ERR_FIXED = _("The person, kind, basis and eligibility of a record cannot be changed; record a new one.")


class HealthCheckViewSet(ScopedModelViewSet):
    """R-STP-5: checks and recuperation — staff record and correct them, supervisors read, a secretary their own."""

    queryset = HealthCheck.objects.select_related("person", "unit")
    serializer_class = HealthCheckSerializer
    filterset_class = CheckFilterSet

    def scope_queryset(self, queryset):
        return queryset.order_by("-decided_on", "unit__path", "pk")

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = svc.health_check_record(
            person=d["person"], kind=d["kind"], basis=d["basis"], entitlement=d.get("entitlement"),
            unit=d.get("unit"), decided_on=d["decided_on"], decision=d.get("decision", ""),
            done_on=d.get("done_on"), place=d.get("place", ""), cost=d.get("cost"), paid_by=d.get("paid_by", ""),
            notes=d.get("notes", ""), by=self.request.user)

    def perform_update(self, serializer):
        check, d = serializer.instance, serializer.validated_data
        for name in ("person", "kind", "basis", "entitlement", "unit"):
            if name in d and d[name] != getattr(check, name):
                raise ValidationError({name: [str(ERR_FIXED)]})
        values = {n: d[n] for n in svc.EDITABLE if n in d}
        serializer.instance = svc.health_check_update(check=check, by=self.request.user, **values)


class HealthCheckEligibleReport(APIView):
    """R-STP-5/6: the eligible list of ``year`` (the year each first qualified) in the caller's subtree (or
    ``unit``'s), each row with its explanation; ``checked`` narrows to those with or without a record."""

    pagination_class = StandardPagination

    @extend_schema(parameters=[OpenApiParameter("year", int, required=True), OpenApiParameter("unit", int),
                               OpenApiParameter("checked", bool)],
                   responses=EligibleRowSerializer(many=True))
    def get(self, request):
        if request.query_params.get("year") in (None, ""):
            raise ValidationError({"year": [str(ERR_YEAR_REQUIRED)]})
        year = query_year(request)
        unit = query_unit(request)
        qs = entitlements_with_checks(HealthCheckEntitlement.objects.visible_to(request.user).filter(year=year))
        if unit is not None:
            qs = qs.filter(unit__path__startswith=unit.path)
        raw = request.query_params.get("checked")
        if raw not in (None, ""):
            if raw.lower() not in ("true", "false", "1", "0"):
                raise ValidationError({"checked": [str(ERR_CHECKED)]})
            qs = qs.filter(checked=raw.lower() in ("true", "1"))
        qs = qs.order_by("unit__path", "person__name", "pk")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(EligibleRowSerializer(page, many=True).data)


