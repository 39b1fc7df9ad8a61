from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema

from cadres.models import Person
from cadres.services.personal_data import reveal_fields_parse
from core.services.access_log import client_ip
from core.scoping import access_by_id
from dossiers.api.base import PdfAPIView, pdf_response
from dossiers.services.access import dossier_reader_check
from dossiers.services.person import dossier_pdf


class PersonDossierView(PdfAPIView):
    """R-DOS-1: a person's term file as a PDF; 404 outside the reader's subtree, 403 for a secretary.

    R-SEC-1: the ID number prints masked; staff of the subtree asking ``?reveal=id_number`` get it in full
    and the reveal is logged; a supervisor asking is refused (403), as the person API refuses them.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("reveal", OpenApiTypes.STR, description="Staff of the record's jurisdiction: "
                             "id_number prints the ID number in full; the reveal is logged (R-SEC-1)."),
            OpenApiParameter("purpose", OpenApiTypes.STR, description="Why the number is revealed (kept in the log)."),
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY}, operation_id="person_dossier_pdf")
    def get(self, request, pk):
        dossier_reader_check(request.user)
        person = access_by_id(Person, user=request.user, pk=pk)
        person = Person.objects.select_related("unit").get(pk=person.pk)
        reveal = "reveal" in request.query_params
        fields = reveal_fields_parse(request.query_params.get("reveal")) if reveal else set()
        rendered = dossier_pdf(person=person, user=request.user, reveal_id="id_number" in fields,
                               purpose=request.query_params.get("purpose", ""), ip=client_ip(request))
        return pdf_response(rendered.content, rendered.filename)
