from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import StandardPagination
from core.api.views import query_unit, query_year
from core.api.viewsets import ScopedModelViewSet
from core.choices import Sector
from training.api.serializers import AttendanceSerializer, CourseSerializer
from training.choices import ComplianceRule, ComplianceStatus
from training.filtersets import AttendanceFilterSet, CourseFilterSet
from training.models import Attendance, Course
from training.selectors import training_compliance_report
from training.services.compliance import days_display
from training.services.attendances import attendance_record, attendance_update
from training.services.courses import course_create, course_update

ERR_REPORT_CHOICE = _("{value} is not one of the allowed values.")
ERR_COURSE_READ_ONLY = _("This course is organised above your jurisdiction; only its organiser can change it.")


class CourseViewSet(ScopedModelViewSet):
    """R-TRN-4: courses organised in the caller's subtree or by the committees above it."""

    queryset = Course.objects.select_related("organiser")
    serializer_class = CourseSerializer
    filterset_class = CourseFilterSet
    search_fields = ["name", "code", "location"]
    ordering_fields = ["start_date", "code", "name", "hours"]

    def perform_create(self, serializer):
        serializer.instance = course_create(data=serializer.validated_data, user=self.request.user)

    def perform_update(self, serializer):
        course = serializer.instance
        if not Course.objects.writable_by(self.request.user).filter(pk=course.pk).exists():
            raise PermissionDenied(ERR_COURSE_READ_ONLY)
        serializer.instance = course_update(course=course, data=serializer.validated_data, user=self.request.user)


class AttendanceViewSet(ScopedModelViewSet):
    """R-TRN-5: attendances of people in the caller's subtree; a secretary reads their own."""

    queryset = Attendance.objects.select_related("person", "person__unit", "course")
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilterSet
    search_fields = ["person__name", "course__name", "course__code", "certificate_number"]
    ordering_fields = ["completed_on", "person__name", "created_at"]

    def perform_create(self, serializer):
        serializer.instance = attendance_record(data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = attendance_update(attendance=serializer.instance, data=serializer.validated_data)


def _choice(request, name, choices):
    value = request.query_params.get(name) or None
    if value is not None and value not in choices:
        raise ValidationError({name: [str(ERR_REPORT_CHOICE).format(value=value)]})
    return value


def report_params(request) -> dict:
    return {
        "year": query_year(request),
        "unit": query_unit(request),
        "sector": _choice(request, "sector", Sector.values),
        "rule": _choice(request, "rule", ComplianceRule.values),
        "status": _choice(request, "status", ComplianceStatus.values),
    }


def report_row_dict(row) -> dict:
    """One listed row with its explained statuses (R-POL-2): built for the rows of the page only."""
    return {
        "appointment": row.appointment_id,
        "person": row.person_id,
        "name": row.name,
        "unit": row.unit_id,
        "unit_name": row.unit_name,
        "sector": row.unit_sector,
        "start_date": row.start_date.isoformat(),
        "planned_end_date": row.planned_end_date.isoformat() if row.planned_end_date else None,
        "days": str(days_display(row.days)),
        "failing": row.is_failing,
        "statuses": {rule: (st.as_dict() if st is not None else None) for rule, st in row.statuses.items()},
    }


class TrainingComplianceReport(APIView):
    """R-TRN-5: per jurisdiction and year, who meets R-TRN-1..3, each status with its explanation (R-POL-2).

    The figures (``secretaries``, ``compliant``, ``failing``, ``counts``) cover the whole scope; the
    rows are paginated (``page``, ``page_size`` up to 500; ``count``, ``next``, ``previous``), and only
    the page's rows are explained. The whole file is the export job's (``/exports/compliance.xlsx``).
    """

    pagination_class = StandardPagination

    @extend_schema(
        parameters=[OpenApiParameter("year", int), OpenApiParameter("unit", int), OpenApiParameter("sector", str),
                    OpenApiParameter("rule", str), OpenApiParameter("status", str), OpenApiParameter("page", int),
                    OpenApiParameter("page_size", int)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        params = report_params(request)
        report = training_compliance_report(user=request.user, **params)
        unit = report["unit"]
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(report["rows"], request, view=self)
        return Response({
            "rules": ComplianceRule.values,
            "year": report["year"],
            "as_of": report["as_of"].isoformat(),
            "unit": unit.pk if unit else None,
            "secretaries": report["secretaries"],
            "compliant": report["compliant"],
            "failing": report["failing"],
            "counts": report["counts"],
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": [report_row_dict(r) for r in page],
        })
