"""R-DOS-2 API: start a jurisdiction export (202), follow it, download its ZIP — only the user who asked."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.choices import JobState, Role
from core.models import OrgUnit
from dossiers.api.base import IgnoreAccept
from dossiers.api.serializers_exports import DossierExportCreateSerializer, DossierExportSerializer
from dossiers.services.access import dossier_reader_check
from dossiers.services.exports import ERR_NOT_READY, export_get, export_ready, export_start, exports_of

ERR_UNIT = _("unit must be the id of a unit you can see.")


class NotReady(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = ERR_NOT_READY
    default_code = "not_ready"


class DossierExportListView(APIView):
    """GET: the caller's own exports. POST {unit}: export every current secretary's dossier under it (202)."""

    write_roles = (Role.STAFF, Role.SUPERVISOR)

    @extend_schema(responses=DossierExportSerializer(many=True), operation_id="dossier_exports_list")
    def get(self, request):
        dossier_reader_check(request.user)
        rows = exports_of(user=request.user)[:100]
        return Response(DossierExportSerializer(rows, many=True).data)

    @extend_schema(request=DossierExportCreateSerializer, responses={202: DossierExportSerializer},
                   operation_id="dossier_exports_create")
    def post(self, request):
        dossier_reader_check(request.user)
        data = DossierExportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = OrgUnit.objects.visible_to(request.user).filter(pk=data.validated_data["unit"]).first()
        if unit is None:
            raise ValidationError({"unit": [str(ERR_UNIT)]})
        try:
            job = export_start(user=request.user, unit=unit)
        except DjangoValidationError as exc:
            raise ValidationError({"unit": exc.messages}) from None
        job.refresh_from_db()
        return Response(DossierExportSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class DossierExportDetailView(APIView):
    """An export's status with its progress and failures; 404 for anyone but the user who asked."""

    @extend_schema(responses=DossierExportSerializer, operation_id="dossier_exports_retrieve")
    def get(self, request, pk):
        return Response(DossierExportSerializer(export_get(user=request.user, pk=pk)).data)


class DossierExportDownloadView(APIView):
    """The ZIP: 404 for anyone but the user who asked (and once failed or expired), 409 while it is built."""

    content_negotiation_class = IgnoreAccept

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY, 409: None},
                   operation_id="dossier_exports_download")
    def get(self, request, pk):
        job = export_get(user=request.user, pk=pk)
        if not export_ready(job):
            if job.state in (JobState.PENDING, JobState.RUNNING):
                raise NotReady()
            raise Http404
        response = FileResponse(job.file.open("rb"), as_attachment=True,
                                filename=(job.params or {}).get("filename") or "dossiers.zip",
                                content_type="application/zip")
        response["Cache-Control"] = "no-store"
        return response
