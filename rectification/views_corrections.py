"""R-RCT-4: deadline corrections — the list (filters, export), the order form (from a case or standalone),
and the decisions (met; accept or decline a proposed adjustment, with confirmation)."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_http_methods
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from cadres.choices import AppointmentRole
from cadres.models import Appointment
from core.choices import BRANCH_LEVELS, Role
from core.forms import UnitChoiceField
from core.models import OrgUnit
from core.permissions import require_role
from core.scoping import ScopedViewMixin, access_by_id
from rectification.choices import CorrectionState
from rectification.filtersets_ranking import CorrectionPageFilterSet
from rectification.models import CorrectionOrder, RectificationCase
from rectification.services.corrections import (
    correction_accept,
    correction_decline,
    correction_mark_met,
    correction_order,
)

ERR_NO_SECRETARY = gettext_lazy("{unit} has no current secretary to order a correction to.")
ERR_CONFIRM = gettext_lazy("Tick the confirmation: accepting ends the secretary's appointment.")


def _flash(request, exc: ValidationError):
    msgs = [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages
    for m in msgs:
        messages.error(request, m)


class CorrectionListView(LoginRequiredMixin, ScopedViewMixin, ListView):
    """R-RCT-4: the orders in the user's subtree (a secretary: their own), by state and year, 50 a page."""

    queryset = CorrectionOrder.objects.select_related("unit", "person", "case")
    template_name = "rectification/corrections/list.html"
    paginate_by = 50

    def scope_queryset(self, queryset):
        self.filterset = CorrectionPageFilterSet(self.request.GET or None, queryset=queryset, request=self.request)
        qs = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else queryset
        return qs.order_by("deadline", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, filter_form=self.filterset.form)


class CorrectionForm(forms.Form):
    unit = UnitChoiceField(label=gettext_lazy("Branch"), queryset=OrgUnit.objects.none(), branch=True,
                           required=False)
    requirement = forms.CharField(label=gettext_lazy("What must be corrected"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=gettext_lazy("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if case is not None:
            del self.fields["unit"]
        else:
            self.fields["unit"].required = True
            self.fields["unit"].queryset = OrgUnit.objects.visible_to(user).filter(level__in=BRANCH_LEVELS)

    def appointment(self):
        unit = self.case.unit if self.case is not None else self.cleaned_data["unit"]
        appointment = Appointment.objects.filter(unit=unit, role=AppointmentRole.SECRETARY,
                                                 end_date__isnull=True).first()
        if appointment is None:
            raise ValidationError({"unit": [ERR_NO_SECRETARY.format(unit=unit.name)]})
        return appointment


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def correction_new(request, pk=None):
    """R-RCT-4: order the current secretary of a branch (the case's, or one chosen) to correct by a date."""
    require_role(request.user, Role.STAFF)
    case = access_by_id(RectificationCase, user=request.user, pk=pk) if pk else None
    form = CorrectionForm(request.POST or None, user=request.user, case=case)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            order = correction_order(appointment=form.appointment(), requirement=form.cleaned_data["requirement"],
                                     deadline=form.cleaned_data["deadline"], by=request.user, case=case)
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, msgs)
        else:
            messages.success(request, _("The correction is ordered."))
            return redirect("rectification:correction", pk=order.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "rectification/corrections/form.html", {"form": form, "case": case, "errors": errors},
                  status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def correction_detail(request, pk):
    """R-RCT-4: one order with its decisions; staff act, others read."""
    order = access_by_id(CorrectionOrder, user=request.user, pk=pk)
    if request.method == "POST":
        require_role(request.user, Role.STAFF)
        action = request.POST.get("action")
        try:
            if action == "met":
                correction_mark_met(order=order, note=request.POST.get("note", ""), by=request.user)
                messages.success(request, _("Marked as corrected."))
            elif action == "accept":
                if request.POST.get("confirm") != "yes":
                    raise ValidationError({"confirm": [ERR_CONFIRM]})
                end_date = forms.DateField(required=False).clean(request.POST.get("end_date") or None)
                correction_accept(order=order, reason=request.POST.get("reason", ""), by=request.user,
                                  end_date=end_date)
                messages.success(request, _("Adjustment accepted: the secretary's appointment has ended."))
            elif action == "decline":
                correction_decline(order=order, reason=request.POST.get("reason", ""), by=request.user)
                messages.success(request, _("Adjustment declined."))
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as exc:
            _flash(request, exc)
        return redirect("rectification:correction", pk=order.pk)
    return render(request, "rectification/corrections/detail.html", {
        "order": order, "may_act": request.user.is_staff_role,
        "open": order.state == CorrectionState.OPEN,
        "proposed": order.state == CorrectionState.ADJUSTMENT_PROPOSED,
    })
