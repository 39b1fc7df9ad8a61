from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment.api.serializers import (
    BranchListingSerializer,
    BranchScoreSerializer,
    ClassificationChangeSerializer,
    ClassificationOverrideSerializer,
    ClassificationSerializer,
    ClassificationStarsSerializer,
    CycleSerializer,
    DutyReportDetailSerializer,
    DutyReportReturnSerializer,
    DutyReportSerializer,
    EvaluationRatingsSerializer,
    EvaluationSampleSerializer,
    EvaluationSatisfactionSerializer,
    EvaluationVerifySerializer,
    HonourAdvanceSerializer,
    HonourSerializer,
    IndicatorTemplateSerializer,
    SanctionSerializer,
)
from assessment.filtersets import ClassificationFilterSet, DutyReportFilterSet, HonourFilterSet
from assessment.models import (
    AssessmentCycle,
    BranchListing,
    BranchScore,
    Classification,
    DutyReport,
    EvaluationSample,
    Honour,
    IndicatorTemplate,
    Sanction,
)
from assessment.selectors import (
    calibration,
    evaluation_aggregates,
    evaluation_satisfaction_for_jurisdiction,
    upgrade_targets,
)
from assessment.services import classification as cls_services
from assessment.services.cycles import cycle_create, cycle_publish, cycle_update
from assessment.services.duty_reports import (
    duty_report_accept,
    duty_report_return,
    duty_report_save,
    duty_report_start,
    duty_report_submit,
)
from assessment.services.evaluations import (
    ERR_CLOSE_STAFF_ONLY,
    evaluation_close,
    evaluation_ratings_import,
    evaluation_ratings_record,
    evaluation_sample_draw,
    evaluation_sample_verify,
)
from assessment.services.honours import honour_nominate, red_flag_advance
from assessment.services.listings import branch_listing_add
from assessment.services.scoring import branch_score_set, indicator_template_save
from core.api.serializers import JobSerializer
from core.api.views import query_unit, query_year
from core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from core.choices import Role

STAFF_AND_SUPERVISORS = (Role.STAFF, Role.SUPERVISOR)
ERR_DRAW_STAFF_ONLY = _("Only staff draw a sample.")
ERR_AUDIT_STAFF_ONLY = _("Only staff audit a draw.")


class CycleViewSet(ScopedModelViewSet):
    """R-ASM-1: assessment cycles; ``review`` starts the annual review job, ``publish`` locks the year."""

    queryset = AssessmentCycle.objects.select_related("unit")
    serializer_class = CycleSerializer
    filterset_fields = ["year", "unit"]

    def perform_create(self, serializer):
        serializer.instance = cycle_create(**serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("unit", None)
        data.pop("year", None)
        serializer.instance = cycle_update(cycle=serializer.instance, data=data)

    @extend_schema(request=None, responses={202: JobSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None, format=None):
        """R-JOB-1: start the annual review; follow it at /api/v1/jobs/<id>/."""
        job = cls_services.annual_review_start(cycle=self.get_object(), by=request.user)
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=CycleSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None, format=None):
        """R-CLS-6: publish the classification of the year and lock it."""
        cycle = cycle_publish(cycle=self.get_object(), by=request.user)
        return Response(CycleSerializer(cycle, context=self.get_serializer_context()).data)


class DutyReportViewSet(ScopedModelViewSet):
    """R-ASM-2: a secretary writes and submits; a supervisor accepts or returns with a reason."""

    queryset = DutyReport.objects.select_related("unit", "person")
    serializer_class = DutyReportSerializer
    filterset_class = DutyReportFilterSet
    write_roles = (Role.STAFF, Role.SUPERVISOR, Role.SECRETARY)

    def scope_queryset(self, queryset):
        if self.action == "retrieve":
            return queryset.prefetch_related("events__by")
        return queryset

    def get_serializer_class(self):
        return DutyReportDetailSerializer if self.action == "retrieve" else DutyReportSerializer

    def perform_create(self, serializer):
        report = duty_report_start(user=self.request.user, year=serializer.validated_data["year"])
        data = {k: v for k, v in serializer.validated_data.items() if k != "year"}
        serializer.instance = duty_report_save(report=report, data=data, by=self.request.user) if data else report

    def perform_update(self, serializer):
        serializer.instance = duty_report_save(report=serializer.instance, data=serializer.validated_data,
                                               by=self.request.user)

    def _answer(self, report):
        report = self.get_queryset().prefetch_related("events__by").get(pk=report.pk)
        return Response(DutyReportDetailSerializer(report, context=self.get_serializer_context()).data)

    @extend_schema(request=DutyReportSerializer, responses=DutyReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None, format=None):
        serializer = DutyReportSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self._answer(duty_report_submit(report=self.get_object(), by=request.user,
                                               data=serializer.validated_data))

    @extend_schema(request=None, responses=DutyReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None, format=None):
        return self._answer(duty_report_accept(report=self.get_object(), by=request.user))

    @extend_schema(request=DutyReportReturnSerializer, responses=DutyReportDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None, format=None):
        report = self.get_object()  # 404 outside the subtree before the body is looked at
        body = DutyReportReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)  # R-SEC-3: an object as the reason is a 400, not a 500
        return self._answer(duty_report_return(report=report, reason=body.validated_data["reason"],
                                               by=request.user))


class EvaluationViewSet(ScopedModelViewSet):
    """R-ASM-3: samples drawn with a recorded seed, anonymous ballots, aggregates above the minimum."""

    queryset = EvaluationSample.objects.select_related("unit")
    serializer_class = EvaluationSampleSerializer
    filterset_fields = ["year", "unit"]
    write_roles = STAFF_AND_SUPERVISORS
    http_method_names = ["get", "post", "head", "options"]

    def _context(self, objects):
        return {**self.get_serializer_context(), "aggregates": evaluation_aggregates(samples=objects)}

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        objects = page if page is not None else list(queryset)
        data = EvaluationSampleSerializer(objects, many=True, context=self._context(objects)).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return Response(EvaluationSampleSerializer(obj, context=self._context([obj])).data)

    def _staff_only(self, message):
        if not self.request.user.is_staff_role:
            raise PermissionDenied(message)

    def create(self, request, *args, **kwargs):
        # R-ASM-3: whoever picks the seed knows the draw; only staff draw, as on the page.
        self._staff_only(ERR_DRAW_STAFF_ONLY)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = evaluation_sample_draw(unit=data["unit"], year=data["year"], by=self.request.user,
                                                     seed=data.get("seed"))
        serializer.context["aggregates"] = evaluation_aggregates(samples=[serializer.instance])

    @extend_schema(request=EvaluationRatingsSerializer, responses=EvaluationSampleSerializer)
    @action(detail=True, methods=["post"])
    def ratings(self, request, pk=None, format=None):
        """Enter anonymous ballots: ``{"ratings": ["好", "较好", …]}``."""
        sample = self.get_object()
        ratings = request.data.get("ratings")
        if not isinstance(ratings, list):
            raise ValidationError({"ratings": [str(_("Give a list of ratings."))]})
        evaluation_ratings_record(sample=sample, ratings=ratings, by=request.user)
        return self.retrieve(request, pk=pk)

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {"file": {
        "type": "string", "format": "binary"}}}}, responses=EvaluationSampleSerializer)
    @action(detail=True, methods=["post"], url_path="import")
    def import_(self, request, pk=None, format=None):
        """Import ballots from an Excel sheet: one rating a row in the first column."""
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [str(_("Choose an Excel file."))]})
        evaluation_ratings_import(sample=self.get_object(), file=upload, by=request.user)
        return self.retrieve(request, pk=pk)

    @extend_schema(responses=EvaluationVerifySerializer)
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None, format=None):
        """Redraw from the recorded seed: does it give the recorded members? Staff only (R-ASM-3)."""
        self._staff_only(ERR_AUDIT_STAFF_ONLY)
        sample = self.get_object()
        return Response({"rule": "R-ASM-3", "seed": sample.seed, "reproduced": evaluation_sample_verify(
            sample=sample)})

    @extend_schema(request=None, responses=EvaluationSampleSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None, format=None):
        """R-ASM-3: staff close the sample before its due date: its aggregate shows, no ballot is added."""
        self._staff_only(ERR_CLOSE_STAFF_ONLY)
        evaluation_close(evaluation=self.get_object(), user=request.user)
        return self.retrieve(request, pk=pk)

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("unit", int)],
                   responses=EvaluationSatisfactionSerializer)
    @action(detail=False, methods=["get"])
    def satisfaction(self, request, format=None):
        """The satisfaction share of a jurisdiction over the branches with enough answers."""
        data = evaluation_satisfaction_for_jurisdiction(user=request.user, year=query_year(request),
                                                        unit=query_unit(request))
        return Response(EvaluationSatisfactionSerializer(data).data)  # the share as a string, as the schema says


class IndicatorTemplateViewSet(ScopedModelViewSet):
    """R-ASM-4: the jurisdiction's weighted indicators for a year."""

    queryset = IndicatorTemplate.objects.select_related("unit").prefetch_related("indicators")
    serializer_class = IndicatorTemplateSerializer
    filterset_fields = ["year", "unit"]

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = indicator_template_save(unit=d["unit"], year=d["year"], name=d["name"],
                                                      indicators=d["indicators"])

    def perform_update(self, serializer):
        t = serializer.instance
        d = serializer.validated_data
        serializer.instance = indicator_template_save(unit=t.unit, year=t.year, name=d.get("name", t.name),
                                                      indicators=d.get("indicators", list(
                                                          t.indicators.values("name", "weight", "max_score"))),
                                                      template=t)


class BranchScoreViewSet(ScopedModelViewSet):
    """R-ASM-4: the superior's scores; posting again for a branch and year replaces the score."""

    queryset = BranchScore.objects.select_related("unit")
    serializer_class = BranchScoreSerializer
    filterset_fields = ["year", "unit"]
    write_roles = STAFF_AND_SUPERVISORS

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = branch_score_set(unit=d["unit"], year=d["year"], points=d["points"],
                                               by=self.request.user)

    def perform_update(self, serializer):
        s = serializer.instance
        serializer.instance = branch_score_set(unit=s.unit, year=s.year,
                                               points=serializer.validated_data.get("points", s.points),
                                               by=self.request.user)


class ClassificationViewSet(ScopedReadOnlyViewSet):
    """R-CLS-1..3, R-POL-2: tiers with their explanation; staff change a tier or stars with a reason."""

    queryset = Classification.objects.select_related("unit", "cycle", "review_policy")
    serializer_class = ClassificationSerializer
    filterset_class = ClassificationFilterSet
    search_fields = ["unit__name", "unit__code"]
    ordering_fields = ["composite_score", "unit__path"]
    keyset_partition = True  # issue 12: a page reads one year along the path index (core.api.pagination)

    def _staff_only(self):
        if not self.request.user.is_staff_role:
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied

    @extend_schema(request=ClassificationOverrideSerializer, responses=ClassificationSerializer)
    @action(detail=True, methods=["post"])
    def override(self, request, pk=None, format=None):
        """Set another tier (or "" to go back to the rules' tier) with a written reason."""
        self._staff_only()
        classification = self.get_object()  # 404 outside the subtree before the body is looked at
        body = ClassificationOverrideSerializer(data=request.data)
        body.is_valid(raise_exception=True)  # R-SEC-3: an object as the tier or reason is a 400, not a 500
        row = cls_services.classification_override(classification=classification,
                                                    tier=body.validated_data.get("tier", ""),
                                                    reason=body.validated_data["reason"], by=request.user)
        return Response(ClassificationSerializer(row).data)

    @extend_schema(request=ClassificationStarsSerializer, responses=ClassificationSerializer)
    @action(detail=True, methods=["post"])
    def stars(self, request, pk=None, format=None):
        self._staff_only()
        classification = self.get_object()  # 404 outside the subtree before the body is looked at
        data = request.data
        if isinstance(data, dict) and not hasattr(data, "getlist") and data.get("stars") == "":
            data = {**data, "stars": None}  # "" clears the stars in JSON as null does (forms do it themselves)
        body = ClassificationStarsSerializer(data=data)
        body.is_valid(raise_exception=True)  # R-SEC-3
        row = cls_services.classification_set_stars(classification=classification,
                                                    stars=body.validated_data.get("stars"),
                                                    reason=body.validated_data["reason"], by=request.user)
        return Response(ClassificationSerializer(row).data)

    @extend_schema(responses=ClassificationChangeSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # a bare list, and the schema says so
    def changes(self, request, pk=None, format=None):
        row = self.get_object()
        return Response(ClassificationChangeSerializer(row.changes.visible_to(request.user), many=True).data)


class BranchListingViewSet(ScopedModelViewSet):
    """R-CLS-2: negative list and weak-and-lax list."""

    queryset = BranchListing.objects.select_related("unit").order_by("-year", "unit__path", "kind")
    serializer_class = BranchListingSerializer
    filterset_fields = ["year", "unit", "kind"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = branch_listing_add(unit=d["unit"], year=d["year"], kind=d["kind"], reason=d["reason"],
                                                 by=self.request.user)


class SanctionViewSet(ScopedReadOnlyViewSet):
    """R-CLS-5: who may not be promoted or given awards in which year, and why."""

    queryset = Sanction.objects.select_related("person", "unit")
    serializer_class = SanctionSerializer
    filterset_fields = ["year", "applies_to_year", "person", "unit", "reason"]


class HonourViewSet(ScopedModelViewSet):
    """R-HON-1..3: honours from 好 branches only; red-flag candidates move on by differential stages."""

    queryset = Honour.objects.select_related("unit", "person")
    serializer_class = HonourSerializer
    filterset_class = HonourFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = honour_nominate(kind=d["kind"], year=d["year"], unit=d["unit"], person=d.get("person"),
                                              level=d.get("level") or "district", by=self.request.user)

    @extend_schema(request=HonourAdvanceSerializer, responses=HonourSerializer(many=True))
    @action(detail=False, methods=["post"])
    def advance(self, request, format=None):
        """R-HON-2: ``{"ids": [...]}`` moves red-flag candidates to the next stage."""
        body = HonourAdvanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)  # R-SEC-3: ``{"ids": 5}`` is a 400 naming ids, not a 500
        ids = body.validated_data["ids"]
        rows = list(self.get_queryset().filter(pk__in=[i for i in ids if str(i).isdigit()]))
        if len(rows) != len(set(ids)):
            raise ValidationError({"ids": [str(_("Some candidates are unknown."))]})
        return Response(HonourSerializer(red_flag_advance(honours=rows, by=request.user), many=True).data)


class UpgradeTargetReport(APIView):
    """R-CLS-4: target, actual and the branches behind the gap, per last year's tier."""

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("unit", int)],
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        data = upgrade_targets(user=request.user, year=query_year(request), unit=query_unit(request))
        if request.user.is_secretary_role:
            data["groups"] = [{**g, "behind": [], "behind_count": 0} for g in data["groups"]]
        return Response(data)


class CalibrationReport(APIView):
    """R-CLS-6: the tier distribution per township and per sector."""

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("unit", int)],
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        data = calibration(user=request.user, year=query_year(request), unit=query_unit(request))
        cycle = data.pop("cycle")
        data["unit"] = data["unit"].pk if data["unit"] else None
        data["cycle"] = cycle.pk if cycle else None
        return Response(data)
