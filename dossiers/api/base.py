"""A PDF from the API: the file on success, JSON on every error, whatever the client's Accept header says
(a browser following the page's button asks for text/html first; a PDF endpoint never answers 406)."""
from urllib.parse import quote

from django.http import HttpResponse
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView


class IgnoreAccept(BaseContentNegotiation):
    """Errors are rendered as JSON (the first renderer); the PDF itself is a plain response."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PdfAPIView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = IgnoreAccept


def pdf_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """The PDF with its Chinese file name (RFC 5987) and no caching: it holds personal data."""
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename=\"dossier.pdf\"; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
