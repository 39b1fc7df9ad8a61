"""Pages of the talks (谈心谈话, R-TLK-1): the list, recording and correcting a talk, the due list.

Rows come through ``ScopedViewMixin`` / ``access_by_id`` / ``talks_due_for_user`` (R-ORG-2);
writes go through ``cadres.services.talks``, whose errors are shown beside their fields.
Staff and supervisors record talks (the superior's leaders talk with secretaries); a secretary reads their own.
"""
import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_safe

from cadres.choices import TalkKind
from cadres.filtersets import TalkFilterSet
from cadres.forms import DATE, TalkForm, apply_service_errors, visible_units
from cadres.models import Talk
from cadres.selectors_talks import POLICY_FIELD, talks_due_for_user
from cadres.services.talks import Talker, talk_record, talk_update
from cadres.views import PAGE_SIZE, FilteredListView, _explained
from core.choices import Role
from core.forms import UnitChoiceField
from core.permissions import RoleRequiredMixin
from core.scoping import access_by_id
from core.selectors import anchor_unit

MSG_TALK_RECORDED = _("The talk with {person} on {date} was recorded.")
MSG_TALK_SAVED = _("The talk was saved.")
TALK_WRITERS = (Role.STAFF, Role.SUPERVISOR)


def can_record_talks(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in TALK_WRITERS)


class TalkListView(FilteredListView):
    queryset = Talk.objects.all()
    template_name = "cadres/talk_list.html"
    context_object_name = "talks"
    filterset_class = TalkFilterSet
    filter_fields = ("unit", "kind", "year", "date_after", "date_before")

    def prepare(self, queryset):
        queryset = queryset.select_related("person", "unit")
        q = (self.request.GET.get("q") or "").strip()
        if q:
            from django.db.models import Q

            queryset = queryset.filter(Q(person__name__icontains=q) | Q(talker_name__icontains=q))
        return queryset.order_by("-date", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can_record_talks(self.request.user)
        return context


def _service_kwargs(data: dict) -> dict:
    return {"person": data["person"], "kind": data["kind"], "date": data["date"],
            "talker": Talker(name=data["talker_name"], position=data.get("talker_position") or ""),
            "notes": data.get("notes") or "", "unit": data.get("unit")}


class TalkCreateView(RoleRequiredMixin, View):
    allowed_roles = TALK_WRITERS
    template_name = "cadres/talk_form.html"

    def get(self, request):
        initial = {}
        if request.GET.get("person"):
            initial["person"] = request.GET["person"]
        if request.GET.get("kind") in TalkKind.values:
            initial["kind"] = request.GET["kind"]
        form = TalkForm(user=request.user, initial=initial)
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = TalkForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                talk = talk_record(**_service_kwargs(form.cleaned_data), by=request.user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, MSG_TALK_RECORDED.format(person=talk.person.name, date=talk.date))
                return redirect("cadres:person_detail", talk.person_id)
        return render(request, self.template_name, {"form": form})


class TalkUpdateView(RoleRequiredMixin, View):
    allowed_roles = TALK_WRITERS
    template_name = "cadres/talk_form.html"

    def get(self, request, pk):
        talk = access_by_id(Talk, user=request.user, pk=pk)
        initial = {"person": talk.person_id, "kind": talk.kind, "date": talk.date, "talker_name": talk.talker_name,
                   "talker_position": talk.talker_position, "unit": talk.unit_id, "notes": talk.notes}
        return render(request, self.template_name, {"form": TalkForm(user=request.user, initial=initial),
                                                    "talk": talk})

    def post(self, request, pk):
        talk = access_by_id(Talk, user=request.user, pk=pk)
        form = TalkForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                talk_update(talk=talk, by=request.user, data={
                    "person": data["person"], "kind": data["kind"], "date": data["date"],
                    "talker_name": data["talker_name"], "talker_position": data.get("talker_position") or "",
                    "notes": data.get("notes") or "", "unit": data.get("unit")})
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, MSG_TALK_SAVED)
                return redirect("cadres:person_detail", talk.person_id)
        return render(request, self.template_name, {"form": form, "talk": talk})


class TalksDueForm(forms.Form):
    unit = UnitChoiceField(label=_("within unit"), queryset=None, required=False)
    as_of = forms.DateField(label=_("as of"), widget=DATE, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = visible_units(user)


def talks_due_rows(request):
    """The due list as the form asks for it: the page and its export."""
    form = TalksDueForm(request.GET or None, user=request.user)
    unit, as_of = None, dt.date.today()
    if form.is_bound and form.is_valid():
        unit = form.cleaned_data.get("unit")
        as_of = form.cleaned_data.get("as_of") or as_of
    return form, unit, as_of, talks_due_for_user(user=request.user, unit=unit, as_of=as_of)


@login_required
@require_safe
def talks_due(request):
    """R-TLK-1: the secretaries whose talk is missing or overdue, each with a link to record it."""
    form, unit, as_of, rows = talks_due_rows(request)
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    anchor = unit or anchor_unit(user=user)
    return render(request, "cadres/talks_due.html", {
        "form": form, "as_of": as_of, "rows": page_obj, "page_obj": page_obj,
        "can_edit": can_record_talks(user), "can_export": user.is_superuser or user.role in TALK_WRITERS,
        "explanation": _explained(anchor, as_of.year, POLICY_FIELD),
    })

