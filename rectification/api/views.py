"""R-RCT-1/3: rectification cases, their tasks and the ledger report; rules live in the services."""
import datetime as dt

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.parsers import StrictJSONParser
from core.api.views import query_unit, query_year
from core.api.viewsets import ScopedModelViewSet
from core.choices import Role
from rectification.api.serializers import (
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseSerializer,
    CloseSerializer,
    ReasonSerializer,
    TaskDoneSerializer,
    TaskSerializer,
)
from rectification.choices import CaseState
from rectification.filtersets import CaseFilterSet, TaskFilterSet
from rectification.models import CaseResponsibility, RectificationCase, RectificationTask
from rectification.selectors import ledger_annotate, ledger_report
from rectification.services import cases as svc

ERR_STATE = _("Choose a valid state.")


class RectificationCaseViewSet(ScopedModelViewSet):
    """R-RCT-1/3: the cases of the caller's subtree; ``create`` opens one by hand (staff), ``close`` signs it off
    (a supervisor above the branch, every task done), ``reopen`` reopens it keeping the history."""

    queryset = RectificationCase.objects.select_related("unit")
    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    http_method_names = ["get", "post", "head", "options"]
    write_roles = (Role.STAFF, Role.SUPERVISOR)

    def scope_queryset(self, queryset):
        queryset = ledger_annotate(queryset, today=dt.date.today()).order_by("-year", "unit__path", "pk")
        if self.action in ("retrieve", "close", "reopen"):
            from django.db.models import Prefetch

            from rectification.models import CaseEvent, HelpAssignment

            tasks = RectificationTask.objects.select_related("owner_person", "owner_unit").prefetch_related("files")
            queryset = queryset.select_related("opened_by", "closed_by").prefetch_related(
                "problems", Prefetch("tasks", queryset=tasks),
                Prefetch("responsibilities", queryset=CaseResponsibility.objects.select_related("person", "unit")),
                Prefetch("events", queryset=CaseEvent.objects.select_related("by").order_by("at", "pk")),
                Prefetch("help", queryset=HelpAssignment.objects.select_related("person", "partner_unit")),
                "corrections__person")
        return queryset

    def get_serializer_class(self):
        if self.action == "create":
            return CaseCreateSerializer
        return CaseDetailSerializer if self.action in ("retrieve", "close", "reopen") else CaseSerializer

    def _answer(self, case, code=status.HTTP_200_OK):
        case = self.get_queryset().get(pk=case.pk)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = CaseCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        case = svc.case_open_manual(by=request.user, **serializer.validated_data)
        self.action = "retrieve"
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=CloseSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None, format=None):
        """R-RCT-3: sign the case off (挂账销号) with a note."""
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(svc.case_close(case=self.get_object(), note=serializer.validated_data["note"],
                                           by=request.user))

    @extend_schema(request=ReasonSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None, format=None):
        """R-RCT-3: reopen a closed case, with the reason; the earlier sign-off stays in the events."""
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(svc.case_reopen(case=self.get_object(), reason=serializer.validated_data["reason"],
                                            by=request.user))


class RectificationTaskViewSet(ScopedModelViewSet):
    """R-RCT-1: tasks with owner and deadline; ``done`` marks one done with evidence text and/or files
    (multipart ``files``), by its owner or staff above the branch."""

    queryset = RectificationTask.objects.select_related("case__unit", "owner_person", "owner_unit") \
        .prefetch_related("files")
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    write_roles = (Role.STAFF, Role.SUPERVISOR, Role.SECRETARY)
    parser_classes = [StrictJSONParser, FormParser, MultiPartParser]

    def scope_queryset(self, queryset):
        return queryset.order_by("case__year", "case__unit__path", "position", "deadline", "pk")

    def _fields(self, data, instance=None):
        keys = ("title", "owner_person", "owner_unit", "deadline", "description")
        if instance is not None:
            current = {k: getattr(instance, k) for k in keys}
            return {**current, **{k: data[k] for k in keys if k in data}}
        return {k: data.get(k) for k in keys}

    def perform_create(self, serializer):
        data = self._fields(serializer.validated_data)
        data["description"] = data["description"] or ""
        data["title"] = data["title"] or ""
        serializer.instance = svc.task_add(case=serializer.validated_data["case"], by=self.request.user, **data)

    def perform_update(self, serializer):
        if "case" in serializer.validated_data and serializer.validated_data["case"] != serializer.instance.case:
            raise ValidationError({"case": [str(_("A task stays in its case."))]})
        data = self._fields(serializer.validated_data, serializer.instance)
        serializer.instance = svc.task_update(task=serializer.instance, by=self.request.user, **data)

    @extend_schema(request=TaskDoneSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None, format=None):
        """R-RCT-1/3: mark the task done with evidence (a text, or at least one file)."""
        serializer = TaskDoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        files = request.FILES.getlist("files") if hasattr(request, "FILES") else []
        task = svc.task_mark_done(task=self.get_object(), evidence=serializer.validated_data["evidence"],
                                  files=files, by=request.user)
        task = self.get_queryset().get(pk=task.pk)
        return Response(TaskSerializer(task, context=self.get_serializer_context()).data)

    @extend_schema(request=ReasonSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None, format=None):
        """R-RCT-3: reopen a done task with the reason."""
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = svc.task_reopen(task=self.get_object(), reason=serializer.validated_data["reason"], by=request.user)
        return Response(TaskSerializer(self.get_queryset().get(pk=task.pk),
                                       context=self.get_serializer_context()).data)


class RectificationLedgerReport(APIView):
    """R-RCT-1/3: the ledger (台账) of the caller's jurisdiction — every case with its age and task counts,
    and the summary (open, closed, with overdue tasks)."""

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("unit", int),
                               OpenApiParameter("state", str, enum=CaseState.values)],
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        year = query_year(request) if request.query_params.get("year") not in (None, "") else None
        state = request.query_params.get("state") or None
        if state is not None and state not in CaseState.values:
            raise ValidationError({"state": [str(ERR_STATE)]})
        return Response(ledger_report(user=request.user, year=year, state=state, unit=query_unit(request)))
