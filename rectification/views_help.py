"""R-RCT-2: the help of a case — the kinds its tier suggests, the help in force, the form to assign and to end it."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_http_methods
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.models import Classification
from cadres.forms import PersonChoiceField
from cadres.models import Person
from core.choices import BRANCH_LEVELS, Role
from core.forms import UnitChoiceField
from core.models import OrgUnit
from core.permissions import require_role
from core.scoping import access_by_id
from rectification.choices import HelpKind
from rectification.models import HelpAssignment, RectificationCase
from rectification.services.help import help_assign, help_end, help_suggested_kinds


class HelpForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of help"), choices=HelpKind.choices)
    person = PersonChoiceField(label=gettext_lazy("Person"), queryset=Person.objects.none(), required=False)
    partner_unit = UnitChoiceField(label=gettext_lazy("Pairing red-flag branch"), queryset=OrgUnit.objects.none(),
                                   branch=True, required=False)
    from_unit = UnitChoiceField(label=gettext_lazy("Sent by (organ or committee)"), queryset=OrgUnit.objects.none(),
                                required=False)
    start_date = forms.DateField(label=gettext_lazy("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].for_user(user)
        units = OrgUnit.objects.visible_to(user)
        self.fields["partner_unit"].queryset = units.filter(level__in=BRANCH_LEVELS)
        self.fields["from_unit"].queryset = units


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def help_page(request, pk):
    """R-RCT-2: staff assign help; supervisors and the branch read."""
    case = access_by_id(RectificationCase, user=request.user, pk=pk)
    form = HelpForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        require_role(request.user, Role.STAFF)
        if form.is_valid():
            d = form.cleaned_data
            try:
                help_assign(case=case, kind=d["kind"], person=d.get("person"), partner_unit=d.get("partner_unit"),
                            from_unit=d.get("from_unit"), start_date=d["start_date"], by=request.user,
                            note=d.get("note", ""))
            except ValidationError as exc:
                for field, msgs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, msgs)
            else:
                messages.success(request, _("Help assigned."))
                return redirect("rectification:case_help", pk=case.pk)
        status = 400
    tier = Classification.objects.filter(unit_id=case.unit_id, year=case.year).values_list("tier", flat=True).first()
    labels = dict(HelpKind.choices)
    rows = HelpAssignment.objects.visible_to(request.user).filter(case=case).select_related(
        "person", "partner_unit", "from_unit", "appointment")
    return render(request, "rectification/help/page.html", {
        "case": case, "form": form, "rows": rows, "tier": tier or "",
        "suggested": [labels[k] for k in help_suggested_kinds(tier)], "may_act": request.user.is_staff_role,
    }, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def help_end_page(request, pk):
    """R-RCT-2: end a help (and a first secretary's appointment), after confirmation."""
    assignment = access_by_id(HelpAssignment, user=request.user, pk=pk)
    require_role(request.user, Role.STAFF)
    if request.method == "POST":
        try:
            if request.POST.get("confirm") != "yes":
                raise ValidationError({"confirm": [_("Tick the confirmation to end this help.")]})
            end_date = forms.DateField(required=False).clean(request.POST.get("end_date") or None)
            help_end(assignment=assignment, end_date=end_date, by=request.user)
        except ValidationError as exc:
            msgs = [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages
            for m in msgs:
                messages.error(request, m)
            return redirect("rectification:help_end", pk=assignment.pk)
        messages.success(request, _("Help ended."))
        return redirect("rectification:case_help", pk=assignment.case_id)
    return render(request, "rectification/help/end.html", {"assignment": assignment})


def person_help_section(*, request, person):
    """The person page's section of help links (R-RCT-2): every help the person gives that the viewer sees,
    so a liaison or a committee member's pairing shows on their record as a first secretary's post does."""
    assignments = list(HelpAssignment.objects.visible_to(request.user).filter(person=person)
                       .select_related("case__unit").order_by("-start_date", "-pk"))
    return {"assignments": assignments} if assignments else None
