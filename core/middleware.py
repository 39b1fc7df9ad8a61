from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose English with the language switcher.

    Django's LocaleMiddleware follows the browser's Accept-Language, so an office PC with an
    English Windows would get the English interface. Here only the switcher's cookie counts;
    everyone else gets LANGUAGE_CODE (zh-hans).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


NUL = "\x00"
MSG_NUL_IN_PARAMETER = _("The parameter “{name}” contains a NUL character, which is not allowed.")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _shown(name: str) -> str:
    return name.replace(NUL, "\\0")


class RefuseNulMiddleware:
    """R-SEC-3: a NUL character in a query or form parameter answers 400 naming it.

    PostgreSQL refuses NUL in text (SQLite stores it), so ``?q=%00`` reached the database and
    answered 500. Refused here once for every page and API; JSON bodies are checked by
    ``core.api.parsers.StrictJSONParser``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = self._first_with_nul(request.GET)
        if name is None and request.method == "POST" and request.content_type in FORM_TYPES:
            name = self._first_with_nul(request.POST)
        if name is not None:
            message = str(MSG_NUL_IN_PARAMETER.format(name=_shown(name)))
            if request.path.startswith("/api/"):
                return JsonResponse({_shown(name): [message]}, status=400)
            return HttpResponseBadRequest(f"<!doctype html><title>400</title><p>{escape(message)}</p>",
                                          content_type="text/html; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _first_with_nul(params) -> str | None:
        for name, values in params.lists():
            if NUL in name or any(NUL in v for v in values):
                return name
        return None


MSG_UPLOAD_TOO_LARGE = _("The upload is larger than {size} MB; split the file into smaller files.")


class UploadSizeMiddleware:
    """R-SEC-3: a multipart body larger than the upload cap (plus room for the form's other fields) is
    refused with 413 before Django reads it — for every upload, the admin's import-export included.
    Each import form also checks its file and names it (``core.uploads``)."""

    SLACK = 1024 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.content_type == "multipart/form-data":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            limit = settings.ZHISHU_UPLOAD_MAX_BYTES
            if length > limit + self.SLACK:
                message = str(MSG_UPLOAD_TOO_LARGE.format(size=limit // (1024 * 1024)))
                if request.path.startswith("/api/"):
                    return JsonResponse({"file": [message]}, status=413)
                return HttpResponse(f"<!doctype html><title>413</title><p>{escape(message)}</p>", status=413,
                                    content_type="text/html; charset=utf-8")
        return self.get_response(request)
