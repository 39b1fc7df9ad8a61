"""R-DOS-1: the page a printout's QR code opens, and a form to type a code from paper.

Public: anyone holding the paper may check it. It says 一致 / 已过期（with the date of the first change）/
未知, the kind of file, when it was printed and its pages — nothing about whom it concerns. A logged-in
reader whose subtree holds the record (R-ORG-2, R-SEC-1) also sees whose file it is, with a link, and
which sections changed. ``Accept: application/json`` or ``?format=json`` gives the same answer as JSON.

Codes are 80-bit HMACs (dossiers.services.verification): guessing one is hopeless, but each lookup
rebuilds a record, so lookups are throttled per client address (``DEFAULT_THROTTLE_RATES["verify"]``).
"""
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from cadres.models import Person
from core.formatting import date_text
from core.models import OrgUnit
from dossiers.services.verification import Verification, code_display, code_normalise, print_verify

ERR_CODE_EMPTY = _("Type the verification code printed on the file's last page.")
ERR_CODE_SHAPE = _("A verification code has 16 letters and digits, e.g. ABCD-EFGH-JKLM-NPQR.")
ERR_THROTTLED = _("Too many verification requests from this address; try again in a minute.")

DEFAULT_VERIFY_RATE = "60/minute"
CODE_LENGTH = 16


class VerifyThrottle(SimpleRateThrottle):
    """Per client address; the rate is read on each request (``DEFAULT_THROTTLE_RATES["verify"]``, None: off)."""

    scope = "verify"

    def __init__(self):  # SimpleRateThrottle reads the rate at construction
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope, DEFAULT_VERIFY_RATE)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _wants_json(request) -> bool:
    if request.GET.get("format") == "json":
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _subject(request, result: Verification) -> dict | None:
    """Whose file it is — only for a reader whose subtree holds the record (R-ORG-2, R-SEC-1)."""
    row, user = result.row, request.user
    if row is None or not user.is_authenticated:
        return None
    if row.person_id:
        person = Person.objects.visible_to(user).filter(pk=row.person_id).first()
        if person is not None:
            return {"label": _("Person"), "name": person.name, "url": reverse("cadres:person_detail", args=[person.pk])}
        return None
    unit = OrgUnit.objects.visible_to(user).filter(pk=row.unit_id).first()
    if unit is None:
        return None
    name = f"{unit.name} {row.year}" if row.year else unit.name
    return {"label": _("Branch"), "name": name, "url": reverse("cadres:unit_detail", args=[unit.pk])}


def _answer(result: Verification) -> dict:
    """What anyone may know of a code: never whom the file concerns."""
    row = result.row
    return {
        "state": result.state,
        "kind": row.kind if row else None,
        "printed_at": row.printed_at.isoformat() if row else None,
        "changed_on": result.changed_on.isoformat() if result.changed_on else None,
        "pages": row.pages if row else None,
    }


@require_safe
def verify_form(request):
    """``/verify/``: type the code from paper; ``?code=`` goes to its page (lowercase, spaces and dashes are fine)."""
    error = None
    if "code" in request.GET:
        code = code_normalise(request.GET.get("code"))
        if not code:
            error = ERR_CODE_EMPTY
        elif len(code) != CODE_LENGTH:
            error = ERR_CODE_SHAPE
        else:
            target = reverse("verify", args=[code_display(code)])
            return redirect(f"{target}?format=json" if request.GET.get("format") == "json" else target)
    return render(request, "dossiers/verify_form.html", {"error": error, "typed": request.GET.get("code", "")},
                  status=400 if error else 200)


@require_safe
def verify_page(request, code):
    throttle = VerifyThrottle()
    if throttle.rate is not None and not throttle.allow_request(request, None):
        wait = int(throttle.wait() or 60)
        if _wants_json(request):
            response = JsonResponse({"detail": str(ERR_THROTTLED)}, status=429)
        else:
            response = render(request, "dossiers/verify_form.html", {"error": ERR_THROTTLED}, status=429)
        response["Retry-After"] = str(wait)
        return response
    result = print_verify(code)
    if _wants_json(request):
        response = JsonResponse(_answer(result), json_dumps_params={"ensure_ascii": False})
        response["Cache-Control"] = "no-store"
        return response
    subject = _subject(request, result)
    response = render(request, "dossiers/verify.html", {
        "result": result, "code": code_display(code_normalise(code)), "subject": subject,
        "changed_on": date_text(result.changed_on) if result.changed_on else "",
    })
    response["Cache-Control"] = "no-store"  # the page differs by reader
    return response
