"""R-STP-2..4: stipend sheets, their lines and the what-if preview; thin — the rules are in the services.

Reading follows the scoped querysets (R-ORG-2): staff and supervisors see the sheets of their subtree, a secretary
only the approved sheets that hold their own line, and of their lines only their own. Writing is for staff
(``RolePermission``'s default ``write_roles``; the services refuse anyone else too).
"""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from assessment.choices import Tier
from core.api.viewsets import ScopedReadOnlyViewSet
from stipends.api.filtersets_sheets import StipendLineFilterSet, StipendSheetFilterSet
from stipends.api.serializers_sheets import (
    CorrectSerializer,
    PreviewRequestSerializer,
    PreviewSerializer,
    SheetStartSerializer,
    StartedJobSerializer,
    StipendLineSerializer,
    StipendSheetDetailSerializer,
    StipendSheetSerializer,
)
from stipends.choices import Regime
from stipends.models import StipendLine, StipendSheet
from stipends.services import sheets as svc

DETAIL_ACTIONS = ("retrieve", "approve", "correct")
LINE_FILTER_PARAMETERS = [
    OpenApiParameter("township", int, description="the township's unit id"),
    OpenApiParameter("tier", str, enum=[*Tier.values, "none"], description="none: not classified"),
    OpenApiParameter("regime", str, enum=Regime.values),
    OpenApiParameter("flagged", bool, description="lines below a floor (or without a base)"),
    OpenApiParameter("provisional", bool),
    OpenApiParameter("page", int), OpenApiParameter("page_size", int),
]


class StipendSheetViewSet(ScopedReadOnlyViewSet):
    """R-STP-4: a jurisdiction's sheets by year and version. ``POST`` starts computing the draft of {unit, year}
    in the background (202, the job); ``approve`` freezes a draft; ``correct`` starts a new version of an
    approved sheet with the reason; ``lines`` are the sheet's lines; ``preview`` compares a draft policy."""

    queryset = StipendSheet.objects.select_related("unit", "built_by", "approved_by")
    serializer_class = StipendSheetSerializer
    filterset_class = StipendSheetFilterSet

    def scope_queryset(self, queryset):
        return queryset.order_by("-year", "unit__path", "-version")

    def get_serializer_class(self):
        return StipendSheetDetailSerializer if self.action in DETAIL_ACTIONS else StipendSheetSerializer

    def _answer(self, sheet, code=status.HTTP_200_OK):
        sheet = self.get_queryset().get(pk=sheet.pk)
        return Response(StipendSheetDetailSerializer(sheet, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=SheetStartSerializer, responses={202: StartedJobSerializer})
    def create(self, request, *args, **kwargs):
        """R-STP-4, R-JOB-3: start computing the draft of a jurisdiction's sheet for a year; follow the job."""
        body = SheetStartSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        job = svc.sheet_build_start(user=request.user, **body.validated_data)
        data = StartedJobSerializer(job).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})

    @extend_schema(request=None, responses=StipendSheetDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None, format=None):
        """R-STP-4: approve a computed draft; it is frozen, and the version it corrects is superseded."""
        return self._answer(svc.sheet_approve(sheet=self.get_object(), user=request.user))

    @extend_schema(request=CorrectSerializer, responses={201: StipendSheetDetailSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None, format=None):
        """R-STP-4: a correction of the approved sheet — a new draft version, each line with the amount before."""
        sheet = self.get_object()  # 404 outside the subtree before the body is looked at
        body = CorrectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new = svc.sheet_correct(sheet=sheet, user=request.user, reason=body.validated_data["reason"])
        return self._answer(new, status.HTTP_201_CREATED)

    @extend_schema(responses=StipendLineSerializer(many=True), parameters=LINE_FILTER_PARAMETERS, filters=False)
    @action(detail=True, methods=["get"])
    def lines(self, request, pk=None, format=None):
        """R-STP-2/3, R-POL-2: the sheet's lines (a secretary: their own), each explaining itself with the
        policy values the sheet used. Filters: township, tier (``none``: not classified), regime, flagged,
        provisional."""
        # The sheet is read with its lines (issue 12: a page is the count and the page, whatever its depth); only
        # an empty page looks the sheet up on its own, for the 404 outside the subtree (R-ORG-2).
        if not str(pk).isdigit():
            self.get_object()  # 404
        visible_sheet = self.filter_queryset(self.get_queryset()).filter(pk=pk).values("pk")
        rows = (StipendLine.objects.visible_to(request.user).filter(sheet_id__in=visible_sheet)
                .select_related("person", "unit", "township", "sheet").defer("sheet__floors", "sheet__regimes")
                .order_by("township__path", "unit__path", "person__name", "pk"))
        filters = StipendLineFilterSet(request.query_params, queryset=rows, request=request)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        page = self.paginate_queryset(filters.qs)
        sheet = page[0].sheet if page else self.get_object()
        context = {**self.get_serializer_context(), "sheet": sheet}
        return self.get_paginated_response(StipendLineSerializer(page, many=True, context=context).data)

    @extend_schema(request=PreviewRequestSerializer, responses=PreviewSerializer)
    @action(detail=False, methods=["post"])
    def preview(self, request, format=None):
        """R-STP-2, R-POL-1: the sheet under the policy in force and under a draft of the unit's own policy;
        nothing is saved. ``values`` are the draft's fields (absent or null: inherited)."""
        body = PreviewRequestSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        preview = svc.sheet_preview(unit=data["unit"], year=data["year"], values=data["values"], user=request.user)
        return Response(PreviewSerializer(preview).data)

