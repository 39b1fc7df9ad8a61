from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema

from cadres.models import Person
from core.scoping import access_by_id
from dossiers.api.base import PdfAPIView, pdf_response
from dossiers.services.access import dossier_reader_check
from dossiers.services.person import dossier_pdf


class PersonDossierView(PdfAPIView):
    """R-DOS-1: a person's term file as a PDF; 404 outside the reader's subtree, 403 for a secretary."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, operation_id="person_dossier_pdf")
    def get(self, request, pk):
        dossier_reader_check(request.user)
        person = access_by_id(Person, user=request.user, pk=pk)
        person = Person.objects.select_related("unit").get(pk=person.pk)
        rendered = dossier_pdf(person=person, user=request.user)
        return pdf_response(rendered.content, rendered.filename)
