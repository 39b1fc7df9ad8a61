import datetime as dt

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.serializers import (
    JobSerializer,
    NoticeSerializer,
    OrgUnitCreateSerializer,
    OrgUnitPickerSerializer,
    OrgUnitSerializer,
    PolicySerializer,
)
from core.api.search import PickerSearchFilter, wants_picker
from core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from core.choices import Role
from core.filtersets import OrgUnitFilterSet, PolicyFilterSet, ScopedFilterBackend
from core.models import Job, Notice, OrgUnit, Policy
from core.selectors import (
    enterprise_coverage, org3_problem_label, org_units_search, parent_name_subquery, subtree_counts,
)
from core.services.notices import notices_mark_read
from core.services.orgunits import org_unit_add
from core.services.policies import policy_effective

ERR_YEAR = _("year must be a year such as 2026.")
ERR_UNIT = _("unit must be the id of a unit you can see.")


def query_year(request, default: int | None = None) -> int:
    raw = request.query_params.get("year")
    if raw in (None, ""):
        return default or dt.date.today().year
    try:
        year = int(raw)
    except ValueError:
        raise ValidationError({"year": [str(ERR_YEAR)]}) from None
    if not 1949 <= year <= 2200:
        raise ValidationError({"year": [str(ERR_YEAR)]})
    return year


def query_unit(request, *, required: bool = False) -> OrgUnit | None:
    """The ``unit`` query parameter as a unit the caller can see; 400 naming the field otherwise."""
    raw = request.query_params.get("unit")
    if raw in (None, "") and not required:
        return None
    try:
        return OrgUnit.objects.visible_to(request.user).get(pk=int(raw or ""))
    except (ValueError, OrgUnit.DoesNotExist):
        raise ValidationError({"unit": [str(ERR_UNIT)]}) from None


class OrgUnitViewSet(ScopedModelViewSet):
    """R-ORG-1: the organisation tree within the caller's subtree."""

    queryset = OrgUnit.objects.all()
    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilterSet
    filter_backends = [ScopedFilterBackend, PickerSearchFilter, OrderingFilter]
    search_help = "Name (contains), code (starts with) or pinyin initials (xhc finds 新华村党支部)."
    ordering_fields = ["path", "code", "name"]

    def search_rows(self, *, queryset, q, user):
        return org_units_search(queryset=queryset, q=q)

    def scope_queryset(self, queryset):
        if self.action == "list" and wants_picker(self.request):
            return queryset.annotate(parent_name=parent_name_subquery())
        return queryset

    def get_serializer_class(self):
        if self.action == "create":
            return OrgUnitCreateSerializer
        if self.action == "list" and wants_picker(getattr(self, "request", None)):
            return OrgUnitPickerSerializer
        return OrgUnitSerializer

    def get_serializer(self, *args, **kwargs):
        # The counts below each unit of the page (or the one unit), set-based for the whole page:
        # a few grouped queries per page, never one per row (R-ORG-1; the tree page expands with ?parent=).
        # A picker's light rows carry no counts.
        if self.action in ("list", "retrieve") and args and self.get_serializer_class() is OrgUnitSerializer:
            rows = args[0] if kwargs.get("many") else [args[0]]
            kwargs["context"] = {**self.get_serializer_context(),
                                 "subtree_counts": subtree_counts(user=self.request.user, units=rows)}
        return super().get_serializer(*args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        parent = data.pop("parent_unit")
        serializer.instance = org_unit_add(parent=parent, **data)


class PolicyViewSet(ScopedModelViewSet):
    """R-POL-1: policies per jurisdiction and year; ``effective`` resolves one for a unit."""

    queryset = Policy.objects.select_related("unit")
    serializer_class = PolicySerializer
    filterset_class = PolicyFilterSet
    ordering_fields = ["year"]

    @extend_schema(
        parameters=[OpenApiParameter("unit", int, required=True), OpenApiParameter("year", int)],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["get"])
    def effective(self, request, format=None):
        """The values in force for a unit and year, each with the policy (or default) it came from."""
        unit = query_unit(request, required=True)
        year = query_year(request)
        policy = policy_effective(unit=unit, year=year)
        return Response({"unit": unit.pk, "unit_name": unit.name, "year": year, "values": policy.explain()})


class JobViewSet(ScopedReadOnlyViewSet):
    """R-JOB-3: state, progress and the result or error of the caller's background jobs."""

    queryset = Job.objects.all()
    serializer_class = JobSerializer
    filterset_fields = ["kind", "state"]


class NoticeViewSet(ScopedReadOnlyViewSet):
    serializer_class = NoticeSerializer
    queryset = Notice.objects.all()
    write_roles = (Role.STAFF, Role.SUPERVISOR, Role.SECRETARY)
    filterset_fields = ["kind"]

    @action(detail=True, methods=["post"])
    def read(self, request, pk=None, format=None):
        notice = self.get_object()
        notices_mark_read(user=request.user, notice_ids=[notice.pk])
        return Response(status=status.HTTP_204_NO_CONTENT)


class EnterpriseCoverageReport(APIView):
    """R-ORG-3: non-public enterprises in the caller's subtree that break the coverage rule."""

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        year = query_year(request)
        rows = enterprise_coverage(user=request.user, year=year)
        return Response({
            "rule": "R-ORG-3",
            "year": year,
            "count": len(rows),
            "results": [
                {"unit": r["unit"].pk, "code": r["unit"].code, "name": r["unit"].name, "problem": r["problem"],
                 "problem_display": org3_problem_label(r), "explanation": r["explanation"]}
                for r in rows
            ],
        })
