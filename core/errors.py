"""What a user sees when they are locked out or a page fails: the site's layout for people,
JSON for the API (R-SEC-3).

The 500 page is rendered without a request context, so it must need neither the database
nor a context processor: ``templates/500.html`` extends nothing.
"""
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.template import loader
from django.http import HttpResponseServerError
from django.utils.translation import gettext, gettext_lazy as _
from django.views import defaults

MSG_LOCKED_OUT = _(
    "Too many failed logins: this account or this computer is locked for %(minutes)d minutes. "
    "Try again later, or ask an administrator to unlock it."
)
MSG_NOT_FOUND = _("Not found.")
MSG_FORBIDDEN = _("You do not have permission to perform this action.")
MSG_SERVER_ERROR = _("Server error. The error was recorded; please try again later.")
MSG_CSRF_FAILED = _("The form was not accepted: its security token is missing or has expired. "
                    "Reload the page and try again.")


def cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def cooloff_minutes() -> int:
    return cooloff_seconds() // 60


def locked_out_message() -> str:
    return gettext(MSG_LOCKED_OUT) % {"minutes": cooloff_minutes()}


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: 429 with a Chinese (or English) message."""
    # Axes retries a callable that raises TypeError with two arguments: keep this one simple.
    if is_api(request):
        response = JsonResponse({"detail": locked_out_message()}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": locked_out_message()}, status=429)
    response["Retry-After"] = str(cooloff_seconds())
    return response


def page_not_found(request, exception):
    if is_api(request):
        return JsonResponse({"detail": gettext(MSG_NOT_FOUND)}, status=404)
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return JsonResponse({"detail": gettext(MSG_FORBIDDEN)}, status=403)
    return defaults.permission_denied(request, exception)


def server_error(request):
    if is_api(request):
        return JsonResponse({"detail": gettext(MSG_SERVER_ERROR)}, status=500)
    # No RequestContext: a failing database or context processor must not fail this page too.
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the site's Chinese 403, not Django's bare English "Forbidden (403)" (issue 8 item 8)."""
    if is_api(request):
        return JsonResponse({"detail": gettext(MSG_CSRF_FAILED)}, status=403)
    return render(request, "403.html", {"message": gettext(MSG_CSRF_FAILED)}, status=403)
