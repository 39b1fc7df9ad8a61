from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from core.models import OrgUnit
from core.scoping import access_by_id
from dossiers.api.base import PdfAPIView, pdf_response
from dossiers.services.assessment_file import ERR_YEAR_REQUIRED, assessment_file_access, assessment_file_pdf


def _year(value) -> int | None:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return year if 1900 <= year <= 9999 else None


class AssessmentFileView(PdfAPIView):
    """R-ASM-5: a branch's annual assessment file as a PDF (``?year=`` required).

    Staff and supervisors of the subtree; the branch's own secretary once the year is published; 404
    otherwise, and for a year without a classification."""

    @extend_schema(parameters=[OpenApiParameter("year", int, required=True)],
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY}, operation_id="assessment_file_pdf")
    def get(self, request, pk):
        access_by_id(OrgUnit, user=request.user, pk=pk)  # outside the subtree: 404 whatever the query says
        year = _year(request.query_params.get("year"))
        if year is None:
            return Response({"year": [str(ERR_YEAR_REQUIRED)]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            unit, _ = assessment_file_access(user=request.user, pk=pk, year=year)
        except Http404 as exc:
            message = str(exc) if exc.args else ""
            return Response({"detail": message or "Not found."}, status=status.HTTP_404_NOT_FOUND)
        rendered = assessment_file_pdf(unit=unit, year=year, user=request.user)
        return pdf_response(rendered.content, rendered.filename)
