"""R-STP-5/6: the health-check pages — the eligible list per year (each row explaining itself, R-POL-2), its
refresh, the records of checks and recuperation, and the person page's section. Rules live in
services/health.py."""
import datetime as dt

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import ListView

from cadres.forms import PersonChoiceField, apply_service_errors
from cadres.models import Person
from core.choices import BRANCH_LEVELS, Role
from core.filtersets import ScopedFilterSet, WithinUnitFilter, YearFilter
from core.forms import UnitChoiceField
from core.models import OrgUnit
from core.permissions import require_role
from core.scoping import ScopedViewMixin, access_by_id
from stipends.choices import HealthCheckBasis, HealthCheckKind
from stipends.models import HealthCheck, HealthCheckEntitlement
from stipends.services import health as svc

STATE_WAITING, STATE_DECIDED, STATE_DONE = "waiting", "decided", "done"
STATES = (
    (STATE_WAITING, gettext_lazy("Not checked yet")),
    (STATE_DECIDED, gettext_lazy("Check arranged")),
    (STATE_DONE, gettext_lazy("Checked")),
)


def entitlement_state(ent) -> str:
    check = getattr(ent, "health_check", None)
    if check is None:
        return STATE_WAITING
    return STATE_DONE if check.done_on else STATE_DECIDED


def entitlements_with_checks(queryset):
    """Each entitlement with its check (one-to-one, joined: one query a page)."""
    return queryset.select_related("person", "unit", "health_check").annotate(
        checked=Exists(HealthCheck.objects.filter(entitlement_id=OuterRef("pk"))))


def explanation_view(exp: dict) -> dict:
    """The stored explanation, shaped for a page: dates as dates, the policy values with where they came from."""
    def day(value):
        return dt.date.fromisoformat(value) if value else None

    period = exp.get("period", {})
    policy = exp.get("policy", {})
    return {
        "rule": " / ".join(exp.get("rule", [])),
        "start": day(period.get("start")), "end": day(period.get("end")), "until": day(period.get("counted_until")),
        "lasted": exp.get("lasted", {}),
        "appointments": [{**a, "start": day(a.get("start")), "end": day(a.get("end"))}
                         for a in exp.get("appointments", [])],
        "gaps": [{**g, "after": day(g["after"]), "before": day(g["before"])} for g in exp.get("gaps", [])],
        "broken_by": ({**exp["broken_by"], "after": day(exp["broken_by"]["after"]),
                       "before": day(exp["broken_by"]["before"])} if exp.get("broken_by") else None),
        "held_years": exp.get("held_years", []),
        "good_years": exp.get("good_years", []),
        "policy": [{"name": name, "value": v.get("value"), "unit": v.get("unit"), "default": v.get("default"),
                    "rule": v.get("rule"), "seed": v.get("seed")} for name, v in policy.items()],
    }


# ---------------------------------------------------------------- the eligible list

class _CheckedWidget(django_filters.widgets.BooleanWidget):
    """全部 / 已体检 / 未体检 rather than the default 未知 / 是 / 否."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", gettext_lazy("All")), ("true", gettext_lazy("Checked")),
                        ("false", gettext_lazy("Not checked yet")))


class EligibleFilterSet(ScopedFilterSet):
    """/stipends/health/eligible/: by the year first eligible, the branch's subtree and whether checked."""

    year = YearFilter(label=gettext_lazy("Year first eligible"))
    unit = WithinUnitFilter(field_name="unit", label=gettext_lazy("Unit"))
    checked = django_filters.BooleanFilter(field_name="checked", label=gettext_lazy("Check recorded"),
                                           widget=_CheckedWidget())

    class Meta:
        model = HealthCheckEntitlement
        fields = ["year", "unit", "checked"]


class EligibleListView(LoginRequiredMixin, ScopedViewMixin, ListView):
    """R-STP-5: the eligible secretaries of the user's subtree (a secretary: their own), 50 a page."""

    queryset = HealthCheckEntitlement.objects.all()
    template_name = "stipends/health/eligible.html"
    paginate_by = 50

    def scope_queryset(self, queryset):
        queryset = entitlements_with_checks(queryset)
        self.filterset = EligibleFilterSet(self.request.GET or None, queryset=queryset, request=self.request)
        qs = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else queryset
        return qs.order_by("-year", "unit__path", "person__name", "pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        labels = dict(STATES)
        for ent in ctx["object_list"]:
            ent.state = entitlement_state(ent)
            ent.state_label = labels[ent.state]
            ent.why = explanation_view(ent.explanation)
        user = self.request.user
        return {**ctx, "filter_form": self.filterset.form, "may_act": user.is_superuser or user.is_staff_role,
                "refresh_year": self.request.GET.get("year") or dt.date.today().year - 1}


@login_required
@require_POST
def eligible_refresh(request):
    """R-STP-5/6: staff refresh the eligible list of their subtree for a year (the service is set-based)."""
    require_role(request.user, Role.STAFF)
    if request.user.is_superuser:
        scope_path = ""
    elif request.user.unit_id is None:  # R-ORG-2: no unit, no subtree to refresh
        raise PermissionDenied
    else:
        scope_path = request.user.unit.path
    try:
        result = svc.health_eligibility_refresh(scope_path=scope_path, year=request.POST.get("year"))
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            for m in msgs:
                messages.error(request, m)
        return redirect("stipends:health_eligible")
    messages.success(request, _("Eligible list of %(year)s refreshed: %(created)s newly eligible, %(updated)s "
                                "explanations updated.") % result)
    return redirect(f"{reverse('stipends:health_eligible')}?year={result['year']}")


# ---------------------------------------------------------------- the records

class CheckFilterSet(ScopedFilterSet):
    year = django_filters.NumberFilter(field_name="decided_on__year", label=gettext_lazy("Year decided"))
    kind = django_filters.ChoiceFilter(choices=HealthCheckKind.choices, label=gettext_lazy("Kind"),
                                       empty_label=gettext_lazy("All kinds"))
    basis = django_filters.ChoiceFilter(choices=HealthCheckBasis.choices, label=gettext_lazy("Basis"),
                                        empty_label=gettext_lazy("All"))
    unit = WithinUnitFilter(field_name="unit", label=gettext_lazy("Unit"))
    done = django_filters.BooleanFilter(field_name="done_on", lookup_expr="isnull", exclude=True,
                                        label=gettext_lazy("Carried out"), widget=django_filters.widgets.BooleanWidget())

    class Meta:
        model = HealthCheck
        fields = ["year", "kind", "basis", "unit", "done"]


class CheckListView(LoginRequiredMixin, ScopedViewMixin, ListView):
    """R-STP-5: the checks and recuperation recorded in the user's subtree (a secretary: their own)."""

    queryset = HealthCheck.objects.select_related("person", "unit", "entitlement")
    template_name = "stipends/health/checks.html"
    paginate_by = 50

    def scope_queryset(self, queryset):
        self.filterset = CheckFilterSet(self.request.GET or None, queryset=queryset, request=self.request)
        qs = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else queryset
        return qs.order_by("-decided_on", "unit__path", "pk")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs, filter_form=self.filterset.form,
                                        may_act=user.is_superuser or user.is_staff_role)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CheckForm(forms.Form):
    person = PersonChoiceField(label=gettext_lazy("Secretary"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=HealthCheckKind.choices)
    basis = forms.ChoiceField(label=gettext_lazy("Basis"), choices=HealthCheckBasis.choices)
    entitlement = forms.ModelChoiceField(label=gettext_lazy("Eligibility used"), required=False,
                                         queryset=HealthCheckEntitlement.objects.none())
    unit = UnitChoiceField(label=gettext_lazy("Branch (by decision; default: the person's last secretary post)"),
                           queryset=OrgUnit.objects.none(), branch=True, required=False)
    decided_on = forms.DateField(label=gettext_lazy("Decided on"), widget=DateInput())
    decision = forms.CharField(label=gettext_lazy("Decided by (committee and decision)"), required=False,
                               max_length=200)
    done_on = forms.DateField(label=gettext_lazy("Done on"), required=False, widget=DateInput())
    place = forms.CharField(label=gettext_lazy("Institution or place"), required=False, max_length=200)
    cost = forms.DecimalField(label=gettext_lazy("Cost (yuan)"), required=False, max_digits=10, decimal_places=2)
    paid_by = forms.CharField(label=gettext_lazy("Paid by"), required=False, max_length=200)
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].for_user(user)
        self.fields["entitlement"].queryset = (HealthCheckEntitlement.objects.visible_to(user)
                                               .filter(health_check__isnull=True).select_related("person"))
        self.fields["entitlement"].label_from_instance = lambda e: f"{e.person.name} · {e.year}"
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user).filter(level__in=BRANCH_LEVELS)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def check_new(request):
    """R-STP-5: staff record a check (by the rule, from the eligible list) or a check or recuperation by decision."""
    require_role(request.user, Role.STAFF)
    initial = {"decided_on": dt.date.today(), "kind": HealthCheckKind.CHECK, "basis": HealthCheckBasis.ELIGIBLE,
               "paid_by": _("County finance and the superior party organisation")}
    raw = request.GET.get("entitlement")
    if raw:
        ent = HealthCheckEntitlement.objects.visible_to(request.user).filter(pk=raw if raw.isdigit() else 0).first()
        if ent is not None:
            initial.update(entitlement=ent.pk, person=ent.person_id)
    form = CheckForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            check = svc.health_check_record(
                person=d["person"], kind=d["kind"], basis=d["basis"], entitlement=d["entitlement"],
                unit=d["unit"], decided_on=d["decided_on"], decision=d["decision"], done_on=d["done_on"],
                place=d["place"], cost=d["cost"], paid_by=d["paid_by"], notes=d["notes"], by=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect("stipends:health_check", pk=check.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "stipends/health/check_form.html", {"form": form}, status=status)


class CheckEditForm(forms.Form):
    decided_on = forms.DateField(label=gettext_lazy("Decided on"), widget=DateInput())
    decision = forms.CharField(label=gettext_lazy("Decided by (committee and decision)"), required=False,
                               max_length=200)
    done_on = forms.DateField(label=gettext_lazy("Done on"), required=False, widget=DateInput())
    place = forms.CharField(label=gettext_lazy("Institution or place"), required=False, max_length=200)
    cost = forms.DecimalField(label=gettext_lazy("Cost (yuan)"), required=False, max_digits=10, decimal_places=2)
    paid_by = forms.CharField(label=gettext_lazy("Paid by"), required=False, max_length=200)
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DoneForm(forms.Form):
    done_on = forms.DateField(label=gettext_lazy("Done on"), widget=DateInput())
    place = forms.CharField(label=gettext_lazy("Institution or place"), required=False, max_length=200)
    cost = forms.DecimalField(label=gettext_lazy("Cost (yuan)"), required=False, max_digits=10, decimal_places=2)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def check_detail(request, pk):
    """R-STP-5: one record; staff correct it or mark it done, others read."""
    check = access_by_id(HealthCheck, user=request.user, pk=pk)
    edit = CheckEditForm(initial={n: getattr(check, n) for n in svc.EDITABLE}, prefix="edit")
    done = DoneForm(initial={"done_on": dt.date.today(), "place": check.place}, prefix="done")
    status = 200
    if request.method == "POST":
        require_role(request.user, Role.STAFF)
        action = request.POST.get("action")
        form = CheckEditForm(request.POST, prefix="edit") if action == "edit" else DoneForm(request.POST,
                                                                                              prefix="done")
        if action == "edit":
            edit = form
        else:
            done = form
        if form.is_valid():
            try:
                if action == "edit":
                    svc.health_check_update(check=check, by=request.user, **form.cleaned_data)
                else:
                    svc.health_check_mark_done(check=check, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("stipends:health_check", pk=check.pk)
        status = 400
    entitlement = check.entitlement
    return render(request, "stipends/health/check_detail.html", {
        "check": check, "edit_form": edit, "done_form": done, "may_act": request.user.is_staff_role
        or request.user.is_superuser, "why": explanation_view(entitlement.explanation) if entitlement else None,
    }, status=status)


# ---------------------------------------------------------------- the person page's section

def person_health_section(*, request, person):
    """The person page's section: the person's eligibilities and their checks and recuperation (R-STP-5)."""
    entitlements = list(entitlements_with_checks(
        HealthCheckEntitlement.objects.visible_to(request.user).filter(person=person)).order_by("-year"))
    checks = list(HealthCheck.objects.visible_to(request.user).filter(person=person)
                  .select_related("unit").order_by("-decided_on", "-pk"))
    if not entitlements and not checks:
        return None
    labels = dict(STATES)
    for ent in entitlements:
        ent.state_label = labels[entitlement_state(ent)]
        ent.why = explanation_view(ent.explanation)
    return {"entitlements": entitlements, "checks": checks,
            "may_act": request.user.is_superuser or request.user.is_staff_role}
