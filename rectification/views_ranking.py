"""R-RCT-1: the bottom-ranking page — the committee's branches from the bottom, the policy share and whose
policy it is (R-POL-2), the candidates with staff's confirm/reject forms; supervisors read."""
import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.choices import Role
from core.forms import UnitChoiceField
from core.models import OrgUnit, Policy
from core.permissions import require_role
from core.scoping import access_by_id
from rectification.models import WeakCandidate
from rectification.selectors_ranking import bottom_ranking
from rectification.services.ranking import (
    COMMITTEE_DEPTH,
    POLICY_FIELD,
    candidate_confirm,
    candidate_reject,
    committee_of,
    ranking_propose,
)

PAGE_SIZE = 100
MSG_PROPOSED = gettext_lazy("Ranking done: {proposed} new candidates, {kept} kept with their decisions, "
                            "{withdrawn} withdrawn (quota {quota} of {branches} branches).")
MSG_CONFIRMED = gettext_lazy("{unit} is listed as weak and lax for {year}; its rectification case is open.")
MSG_REJECTED = gettext_lazy("The candidacy of {unit} is rejected.")
MSG_NOT_IN_COMMITTEE = gettext_lazy("Choose a county, district or system committee, or a unit inside one: "
                                    "the ranking is by city-managed committee.")


class RankingFilterForm(forms.Form):
    unit = UnitChoiceField(label=gettext_lazy("Unit"), queryset=OrgUnit.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user)


def ranking_year(request) -> int:
    raw = request.GET.get("year") or request.POST.get("year")
    try:
        year = int(raw) if raw else dt.date.today().year - 1
    except ValueError:
        return dt.date.today().year - 1
    return year if 2000 <= year <= 2200 else dt.date.today().year - 1


def ranking_for(request) -> dict:
    """The page's data (also the export's source): the ranking of the chosen unit's committee."""
    form = RankingFilterForm(request.GET or None, user=request.user)
    unit = form.cleaned_data.get("unit") if form.is_valid() else None
    data = bottom_ranking(user=request.user, year=ranking_year(request), unit=unit)
    return {**data, "form": form}


def _back(request, year, unit_id):
    query = {"year": year, **({"unit": unit_id} if unit_id else {})}
    return redirect(f"{reverse('rectification:ranking')}?{urlencode(query)}")


def _flash(request, exc: ValidationError):
    msgs = [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages
    for m in msgs:
        messages.error(request, m)


@login_required
def ranking_page(request):
    require_role(request.user, Role.STAFF, Role.SUPERVISOR)
    if request.method == "POST":
        return _ranking_post(request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    data = ranking_for(request)
    year = ranking_year(request)
    committees = []
    if data["committee"] is None:
        # Above the committees (the city): offer the city-managed committees the user sees, one link each.
        committees = list(OrgUnit.objects.visible_to(request.user).filter(depth=COMMITTEE_DEPTH, is_active=True)
                          .order_by("path").only("pk", "name"))
    page = Paginator(data["rows"], PAGE_SIZE).get_page(request.GET.get("page"))
    policy = data["policy"].get(POLICY_FIELD) if data["policy"] else None
    may_propose = bool(request.user.is_staff_role and data["committee"]
                       and OrgUnit.objects.visible_to(request.user).filter(pk=data["committee"].pk).exists())
    return render(request, "rectification/ranking/ranking.html", {
        **data, "year": year, "page_obj": page, "rows": page.object_list,
        "policy_item": policy, "policy_label": Policy._meta.get_field(POLICY_FIELD).verbose_name,
        "share_text": f"{(data['share'] * 100).normalize():f}%" if data["share"] is not None else "",
        "may_decide": request.user.is_staff_role, "may_propose": may_propose, "committees": committees,
    })


def _ranking_post(request):
    require_role(request.user, Role.STAFF)
    year = ranking_year(request)
    action = request.POST.get("action")
    unit_id = request.POST.get("unit") or ""
    try:
        if action == "propose":
            unit = access_by_id(OrgUnit, user=request.user, pk=unit_id or request.user.unit_id)
            committee = committee_of(unit=unit)
            if committee is None or not OrgUnit.objects.visible_to(request.user).filter(pk=committee.pk).exists():
                messages.error(request, MSG_NOT_IN_COMMITTEE)
            else:
                result = ranking_propose(committee=committee, year=year, by=request.user)
                messages.success(request, MSG_PROPOSED.format(**result))
        elif action in ("confirm", "reject"):
            candidate = access_by_id(WeakCandidate, user=request.user, pk=request.POST.get("candidate"))
            func = candidate_confirm if action == "confirm" else candidate_reject
            func(candidate=candidate, reason=request.POST.get("reason", ""), by=request.user)
            msg = MSG_CONFIRMED if action == "confirm" else MSG_REJECTED
            messages.success(request, msg.format(unit=candidate.unit.name, year=candidate.year))
            year = candidate.year
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as exc:
        _flash(request, exc)
    return _back(request, year, unit_id)
