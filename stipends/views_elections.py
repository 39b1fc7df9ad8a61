"""R-STP-3 (004 第八条): the forms page — the year's secretaries with the form each receives; staff change one,
or set one form for the rows they tick. Supervisors read; the rules are in ``services/elections.py``."""
import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from cadres.models import Person
from core.choices import BRANCH_LEVELS, Role
from core.forms import UnitChoiceField
from core.models import OrgUnit
from core.permissions import require_role
from core.scoping import access_by_id

from .choices import StipendForm
from .selectors_elections import SCOPE_ALL, SCOPE_UNIVERSITY, election_rows
from .services.elections import MAX_YEAR, MIN_YEAR, election_set, elections_set

PAGE_SIZE = 100
MSG_SET = _("{person} ({unit}), {year}: {form}.")
MSG_BULK = _("{count} secretaries set to “{form}” for {year}: {created} newly recorded, {updated} changed, "
             "{unchanged} already so.")
MSG_REBUILD = _("Sheets already computed keep the form they were computed with: rebuild the draft sheet, or "
                "correct an approved one, to apply the change.")
MSG_BAD_ROW = _("The row chosen is not valid; reload the page and try again.")
MSG_NO_FORM = _("Choose the form to set.")
MSG_UNKNOWN_ACTION = _("Unknown action.")

FILTER_KEYS = ("year", "scope", "unit", "form", "page")


def forms_year(request) -> int:
    """The year asked for (GET or POST), else the year just ended (the one being paid)."""
    raw = request.GET.get("year") or request.POST.get("year")
    default = dt.date.today().year - 1
    try:
        year = int(raw) if raw else default
    except ValueError:
        return default
    return year if MIN_YEAR <= year <= MAX_YEAR else default


class ElectionFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR, required=False)
    scope = forms.ChoiceField(label=_("Which branches"), required=False, choices=[
        (SCOPE_UNIVERSITY, _("University and industry branches")), (SCOPE_ALL, _("All branches"))])
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    form = forms.ChoiceField(label=_("Form received"), required=False,
                             choices=[("", _("All forms")), *StipendForm.choices])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user).exclude(level__in=BRANCH_LEVELS)


def forms_for(request) -> dict:
    """The page's rows (also the export's source): the year's secretaries, filtered as the page is."""
    form = ElectionFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    year = forms_year(request)
    scope = data.get("scope") or SCOPE_UNIVERSITY
    rows = election_rows(user=request.user, year=year, scope=scope, unit=data.get("unit"),
                         form=data.get("form") or None)
    if not form.is_bound:
        form = ElectionFilterForm(initial={"year": year, "scope": scope}, user=request.user)
    return {"filter_form": form, "year": year, "scope": scope, "rows": rows}


def _back(request):
    query = {k: request.POST.get(k) for k in FILTER_KEYS if request.POST.get(k)}
    return redirect(f"{reverse('stipends:elections')}?{urlencode(query)}" if query else reverse("stipends:elections"))


def _flash(request, exc: ValidationError):
    msgs = [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages
    for m in msgs:
        messages.error(request, m)


def _pair(raw: str) -> tuple[int, int]:
    try:
        person_id, unit_id = (int(x) for x in raw.split(":"))
    except (AttributeError, ValueError):
        raise ValidationError(MSG_BAD_ROW) from None
    return person_id, unit_id


@login_required
def elections_page(request):
    """R-STP-3: GET lists the year's secretaries and their forms; POST (staff) changes one or the ticked rows."""
    require_role(request.user, Role.STAFF, Role.SUPERVISOR)
    if request.method == "POST":
        return _elections_post(request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    data = forms_for(request)
    page = Paginator(data["rows"], PAGE_SIZE).get_page(request.GET.get("page"))
    credits = sum(1 for r in data["rows"] if r.form == StipendForm.WORKLOAD_CREDIT)
    return render(request, "stipends/elections/list.html", {
        **data, "page_obj": page, "page_rows": page.object_list, "may_edit": request.user.is_staff_role,
        "form_choices": StipendForm.choices, "credit_count": credits, "total_count": len(data["rows"]),
        "filters": {k: request.GET.get(k) for k in FILTER_KEYS if request.GET.get(k)},
    })


def _elections_post(request):
    require_role(request.user, Role.STAFF)
    year = forms_year(request)
    action = request.POST.get("action")
    form = request.POST.get("form") or ""
    try:
        if not form:
            raise ValidationError({"form": [MSG_NO_FORM]})
        if action == "set":
            person_id, unit_id = _pair(request.POST.get("key"))
            unit = access_by_id(OrgUnit, user=request.user, pk=unit_id)  # 404 outside the subtree
            # The person as reached through a post at that branch (their home unit may lie elsewhere).
            person = Person.objects.filter(pk=person_id, appointments__unit=unit).distinct().first()
            if person is None:
                raise Http404
            row = election_set(person=person, unit=unit, year=year, form=form, user=request.user,
                               note=request.POST.get("note", "").strip())
            messages.success(request, MSG_SET.format(person=person.name, unit=unit.name, year=year,
                                                     form=row.get_form_display()))
        elif action == "bulk":
            pairs = [_pair(raw) for raw in request.POST.getlist("selected")]
            if {u for _p, u in pairs} - set(OrgUnit.objects.visible_to(request.user)
                                             .filter(pk__in={u for _p, u in pairs}).values_list("pk", flat=True)):
                raise Http404
            result = elections_set(pairs=pairs, year=year, form=form, user=request.user)
            messages.success(request, MSG_BULK.format(form=StipendForm(form).label, year=year, **result))
        else:
            messages.error(request, MSG_UNKNOWN_ACTION)
            return _back(request)
        messages.info(request, MSG_REBUILD)
    except ValidationError as exc:
        _flash(request, exc)
    return _back(request)
