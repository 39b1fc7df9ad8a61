"""Pages of the cadre registry: the organisation tree, people, appointments, the reserve pool and reports.

Every row comes through ``ScopedViewMixin``, ``access_by_id`` or a selector that calls
``visible_to`` (R-ORG-2); every write goes through a service, whose errors are shown beside
the fields they name (R-SEC-3). Writing is for staff (RoleRequiredMixin); supervisors read.
"""
import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, ListView

from cadres.choices import AppointmentRole, ReserveStatus
from cadres.filtersets import AppointmentFilterSet, PersonFilterSet, ReserveCandidateFilterSet
from cadres.forms import (
    AppointmentEndForm,
    AppointmentForm,
    PersonForm,
    ReserveCandidateForm,
    ReserveWithdrawForm,
    TalentPoolForm,
    Under35Form,
    apply_service_errors,
    visible_units,
)
from cadres.models import Appointment, Person, ReserveCandidate
from cadres.nominations import person_nomination_blocks
from cadres.selectors import (
    age_on,
    current_secretary_subquery,
    dual_leader_share,
    person_history,
    reserve_coverage,
    talent_pool,
    under_35_ledger,
    units_by_sector,
)
from cadres.services.appointments import appointment_create, appointment_end, appointment_update
from cadres.services.people import person_create, person_update
from cadres.services.personal_data import person_reveal, reveal_fields_parse
from cadres.services.reserves import reserve_candidate_add, reserve_candidate_withdraw
from core.formatting import date_text
from core.choices import Role
from core.models import OrgUnit, Policy
from core.permissions import RoleRequiredMixin
from core.scoping import ScopedViewMixin, access_by_id
from core.selectors import anchor_unit, subtree_counts
from core.services.access_log import client_ip
from core.services.policies import policy_effective

PAGE_SIZE = 50
TALKS_SHOWN = 10  # on a person's page; the talks page lists them all

MSG_PERSON_CREATED = _("{person} was added to the registry.")
MSG_PERSON_SAVED = _("The record of {person} was saved.")
MSG_APPOINTMENT_CREATED = _("The appointment of {person} at {unit} was recorded.")
MSG_APPOINTMENT_SAVED = _("The appointment was saved.")
MSG_APPOINTMENT_ENDED = _("The appointment of {person} at {unit} ended on {date}.")
MSG_RESERVE_ADDED = _("{person} was added to the reserve pool of {unit}.")
MSG_RESERVE_WITHDRAWN = _("{person} was withdrawn from the reserve pool of {unit}.")


def restrict_filter_form(filterset, user):
    """Filter dropdowns list only what the user may see: a unit choice outside the subtree
    would leak its name (R-ORG-2)."""
    form = filterset.form
    if "unit" in form.fields:
        form.fields["unit"].queryset = visible_units(user)
    if "person" in form.fields:
        del form.fields["person"]
    for field in form.fields.values():
        if isinstance(field, forms.NullBooleanField):
            field.widget.choices = [("", _("any")), ("true", _("yes")), ("false", _("no"))]
    return filterset


class FilteredListView(LoginRequiredMixin, ScopedViewMixin, ListView):
    """A scoped, filtered, paginated list (50 a page)."""

    filterset_class = None
    filter_fields: tuple[str, ...] = ()
    paginate_by = PAGE_SIZE

    def scope_queryset(self, queryset):
        queryset = self.prepare(queryset)
        if self.filterset_class is None:
            return queryset
        self.filterset = restrict_filter_form(
            self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request),
            self.request.user)
        return self.filterset.qs

    def prepare(self, queryset):
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.filterset_class is not None:
            form = self.filterset.form
            if self.filter_fields:
                form.fields = {name: form.fields[name] for name in self.filter_fields if name in form.fields}
            context["filter_form"] = form
        context["can_edit"] = self.request.user.is_staff_role
        user = self.request.user
        context["can_export"] = user.is_superuser or user.role in (Role.STAFF, Role.SUPERVISOR)
        return context


# ---------------------------------------------------------------- the organisation tree (R-ORG-1)

def units_search_results(request):
    """The organisations matching ``q`` (name or code) in the user's subtree: the search page and its export."""
    q = (request.GET.get("q") or "").strip()
    if not q:
        return OrgUnit.objects.none()
    return (OrgUnit.objects.visible_to(request.user)
            .filter(Q(name__icontains=q) | Q(code__startswith=q))
            .order_by("path"))


@login_required
def units(request):
    """The tree's root for this user is their own unit; with ``q``, a search by name or code."""
    q = (request.GET.get("q") or "").strip()
    if not q:
        root = request.user.unit if request.user.unit_id else (
            OrgUnit.objects.visible_to(request.user).order_by("depth", "path").first())
        if root is None:
            return render(request, "cadres/units_search.html", {"q": q, "results": [], "page_obj": None})
        return redirect("cadres:unit_detail", root.pk)
    results = units_search_results(request)
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cadres/units_search.html", {"q": q, "results": page_obj, "page_obj": page_obj})


@login_required
def unit_detail(request, pk):
    """A unit, its ancestors within the user's scope, its children with counts, its secretary and posts."""
    user = request.user
    unit = access_by_id(OrgUnit, user=user, pk=pk)
    breadcrumbs = list(
        OrgUnit.objects.visible_to(user).filter(path__in=unit.ancestor_paths()).exclude(pk=unit.pk).order_by("depth"))
    children = list(
        OrgUnit.objects.visible_to(user).filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path"))
    # The first level server-rendered; deeper levels come from /api/v1/org-units/?parent= (static/js/tree.js),
    # both counted by the same selector, one grouped query per count (never a query per child).
    counts = subtree_counts(user=user, units=children)
    for child in children:
        child.units_below = counts[child.pk]["units_below"]
        child.branches = counts[child.pk]["branches"]
        child.secretaries = counts[child.pk].get("secretaries", 0)
    appointments = list(
        Appointment.objects.visible_to(user).filter(unit=unit).select_related("person")
        .order_by("end_date", "-start_date")[:100])
    current = [a for a in appointments if a.end_date is None]
    secretary = next((a for a in current if a.role == AppointmentRole.SECRETARY), None)
    reserves = list(ReserveCandidate.objects.visible_to(user).filter(unit=unit, status=ReserveStatus.CULTIVATING)
                    .select_related("person"))
    return render(request, "cadres/unit_detail.html", {
        "unit": unit, "breadcrumbs": breadcrumbs, "children": children, "secretary": secretary,
        "current_appointments": current, "past_appointments": [a for a in appointments if a.end_date][:30],
        "reserves": reserves, "can_edit": user.is_staff_role,
    })


# ---------------------------------------------------------------- people (R-SEL-1)

class PersonListView(FilteredListView):
    queryset = Person.objects.all()
    template_name = "cadres/person_list.html"
    context_object_name = "people"
    filterset_class = PersonFilterSet
    filter_fields = ("unit", "sector", "education", "gender", "current_secretary")

    def prepare(self, queryset):
        queryset = queryset.select_related("unit").annotate(is_current_secretary=Exists(current_secretary_subquery()))
        q = (self.request.GET.get("q") or "").strip()
        if q:
            queryset = queryset.filter(name__icontains=q)
        return queryset.order_by("unit__path", "name", "pk")


class PersonDetailView(LoginRequiredMixin, ScopedViewMixin, DetailView):
    """A person's profile, posts, reserve entries and change history (R-SEL-1, R-SEC-1, R-SEC-2)."""

    queryset = Person.objects.select_related("unit", "user")
    template_name = "cadres/person_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person, user = self.object, self.request.user
        context["appointments"] = (Appointment.objects.visible_to(user).filter(person=person)
                                   .select_related("unit").order_by("-start_date"))
        context["reserve_entries"] = (ReserveCandidate.objects.visible_to(user).filter(person=person)
                                      .select_related("unit").order_by("-added_on"))
        context["history"] = person_history(user=user, person=person)
        context["nomination_blocks"] = _blocks_for(person)
        # R-TLK-1: the last talks (scoped like every row of the page); the full list is the talks page's
        from cadres.selectors_talks import talks_for_person
        from cadres.views_talks import can_record_talks

        talks = list(talks_for_person(person=person).visible_to(user)[:TALKS_SHOWN + 1])
        context["talks"], context["talks_more"] = talks[:TALKS_SHOWN], len(talks) > TALKS_SHOWN
        context["can_record_talk"] = can_record_talks(user)
        from cadres.person_sections import person_sections

        context["person_sections"] = person_sections(request=self.request, person=person)
        context["age"] = age_on(person.birth_date, dt.date.today()) if person.birth_date else None
        context["can_edit"] = user.is_staff_role
        # R-SEC-1: masked unless staff of the subtree ask (?reveal=id_number,phone), which is logged.
        context["can_reveal"] = user.is_staff_role
        context["revealed"] = {}
        if "reveal" in self.request.GET:
            try:
                context["revealed"] = person_reveal(
                    user=user, person=person, fields=reveal_fields_parse(self.request.GET.get("reveal")),
                    purpose=self.request.GET.get("purpose", ""), ip=client_ip(self.request))
            except ValidationError as exc:
                for msgs in exc.message_dict.values():
                    for msg in msgs:
                        messages.error(self.request, msg)
        return context


class PersonCreateView(RoleRequiredMixin, View):
    template_name = "cadres/person_form.html"

    def get(self, request):
        initial = {"unit": request.GET.get("unit")} if request.GET.get("unit") else {}
        return render(request, self.template_name, {"form": PersonForm(user=request.user, initial=initial)})

    def post(self, request):
        form = PersonForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                person = person_create(data=form.service_data())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, MSG_PERSON_CREATED.format(person=person.name))
                return redirect("cadres:person_detail", person.pk)
        return render(request, self.template_name, {"form": form})


class PersonUpdateView(RoleRequiredMixin, View):
    template_name = "cadres/person_form.html"

    def get(self, request, pk):
        person = access_by_id(Person, user=request.user, pk=pk)
        return render(request, self.template_name,
                      {"form": PersonForm(user=request.user, instance=person), "person": person})

    def post(self, request, pk):
        person = access_by_id(Person, user=request.user, pk=pk)
        form = PersonForm(request.POST, user=request.user, instance=person)
        if form.is_valid():
            try:
                person_update(person=person, data=form.service_data())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, MSG_PERSON_SAVED.format(person=person.name))
                return redirect("cadres:person_detail", person.pk)
        person.refresh_from_db()
        return render(request, self.template_name, {"form": form, "person": person})


# ---------------------------------------------------------------- nomination blocks (R-MEM-1, R-CLS-5)

def _blocks_for(person) -> list:
    """Why the person may not be nominated today (cadres.nominations: R-MEM-1 and the apps' reasons)."""
    if person is None:
        return []
    return person_nomination_blocks(person=person, as_of=dt.date.today())


def _initial_blocks(request) -> list:
    """The blocks of the person a form is opened for (``?person=``), if the user may see them."""
    pk = request.GET.get("person") or ""
    if not (pk.isascii() and pk.isdigit()) or not 0 < int(pk) < 2**63:
        return []
    return _blocks_for(Person.objects.visible_to(request.user).filter(pk=int(pk)).first())


def _form_blocks(form) -> list:
    return _blocks_for(form.cleaned_data.get("person")) if hasattr(form, "cleaned_data") else []


# ---------------------------------------------------------------- appointments (R-SEL-2..5)

class AppointmentListView(FilteredListView):
    queryset = Appointment.objects.all()
    template_name = "cadres/appointment_list.html"
    context_object_name = "appointments"
    filterset_class = AppointmentFilterSet
    filter_fields = ("unit", "sector", "current", "is_dual_leader", "selection_method", "source_channel", "role")

    def prepare(self, queryset):
        return queryset.select_related("person", "unit").order_by("unit__path", "-start_date", "pk")


class AppointmentCreateView(RoleRequiredMixin, View):
    template_name = "cadres/appointment_form.html"

    def get(self, request):
        initial = {k: request.GET[k] for k in ("person", "unit", "role") if request.GET.get(k)}
        form = AppointmentForm(user=request.user, creating=True, initial=initial)
        return render(request, self.template_name, {"form": form, "blocks": _initial_blocks(request)})

    def post(self, request):
        form = AppointmentForm(request.POST, user=request.user, creating=True)
        if form.is_valid():
            try:
                appointment = appointment_create(data=form.service_data(),
                                                 override_reason=form.cleaned_data.get("override_reason", ""))
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, MSG_APPOINTMENT_CREATED.format(
                    person=appointment.person.name, unit=appointment.unit.name))
                return redirect("cadres:person_detail", appointment.person_id)
        return render(request, self.template_name, {"form": form, "blocks": _form_blocks(form)})


class AppointmentUpdateView(RoleRequiredMixin, View):
    template_name = "cadres/appointment_form.html"

    def get(self, request, pk):
        appointment = access_by_id(Appointment, user=request.user, pk=pk)
        return render(request, self.template_name, {
            "form": AppointmentForm(user=request.user, instance=appointment), "appointment": appointment,
            "blocks": _blocks_for(appointment.person)})

    def post(self, request, pk):
        appointment = access_by_id(Appointment, user=request.user, pk=pk)
        form = AppointmentForm(request.POST, user=request.user, instance=appointment)
        if form.is_valid():
            try:
                appointment_update(appointment=appointment, data=form.service_data())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, MSG_APPOINTMENT_SAVED)
                return redirect("cadres:person_detail", appointment.person_id)
        appointment = access_by_id(Appointment, user=request.user, pk=pk)
        return render(request, self.template_name, {"form": form, "appointment": appointment,
                                                     "blocks": _blocks_for(appointment.person)})


class AppointmentEndView(RoleRequiredMixin, View):
    """Ending a post takes two steps: fill in the date and reason, then confirm (R-SEL-2)."""

    template_name = "cadres/appointment_end.html"

    def get(self, request, pk):
        appointment = self.load(request, pk)
        return render(request, self.template_name, {"appointment": appointment, "form": AppointmentEndForm()})

    def post(self, request, pk):
        appointment = self.load(request, pk)
        form = AppointmentEndForm(request.POST)
        confirming = False
        if form.is_valid():
            if request.POST.get("confirm") == "yes":
                try:
                    appointment_end(appointment=appointment, end_date=form.cleaned_data["end_date"],
                                    end_reason=form.cleaned_data["end_reason"])
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                else:
                    messages.success(request, MSG_APPOINTMENT_ENDED.format(
                        person=appointment.person.name, unit=appointment.unit.name,
                        date=date_text(appointment.end_date)))
                    return redirect("cadres:person_detail", appointment.person_id)
            else:
                confirming = True
        return render(request, self.template_name, {
            "appointment": appointment, "form": form, "confirming": confirming,
            "end_reason_label": dict(form.fields["end_reason"].choices).get(form.cleaned_data.get("end_reason"))
            if confirming else None,
        })

    @staticmethod
    def load(request, pk):
        appointment = access_by_id(Appointment, user=request.user, pk=pk)
        return Appointment.objects.select_related("person", "unit").get(pk=appointment.pk)


# ---------------------------------------------------------------- reserve pool (R-RES-1)

class ReserveListView(FilteredListView):
    queryset = ReserveCandidate.objects.all()
    template_name = "cadres/reserve_list.html"
    context_object_name = "entries"
    filterset_class = ReserveCandidateFilterSet
    filter_fields = ("unit", "status", "sector")

    def prepare(self, queryset):
        return queryset.select_related("person", "unit").order_by("unit__path", "-added_on", "pk")


class ReserveAddView(RoleRequiredMixin, View):
    template_name = "cadres/reserve_form.html"

    def get(self, request):
        initial = {k: request.GET[k] for k in ("person", "unit") if request.GET.get(k)}
        initial.setdefault("added_on", dt.date.today())
        return render(request, self.template_name, {"form": ReserveCandidateForm(user=request.user, initial=initial),
                                                     "blocks": _initial_blocks(request)})

    def post(self, request):
        form = ReserveCandidateForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                entry = reserve_candidate_add(data=form.service_data())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, MSG_RESERVE_ADDED.format(person=entry.person.name, unit=entry.unit.name))
                # R-MEM-1, R-CLS-5: a reserve entry is not a nomination; the reasons are shown as a warning.
                for block in _blocks_for(entry.person):
                    messages.warning(request, block.message)
                return redirect("cadres:reserves")
        return render(request, self.template_name, {"form": form, "blocks": _form_blocks(form)})


class ReserveWithdrawView(RoleRequiredMixin, View):
    """Withdrawing a candidate is confirmed on its own page."""

    template_name = "cadres/reserve_withdraw.html"

    def load(self, request, pk):
        entry = access_by_id(ReserveCandidate, user=request.user, pk=pk)
        return ReserveCandidate.objects.select_related("person", "unit").get(pk=entry.pk)

    def get(self, request, pk):
        return render(request, self.template_name, {"entry": self.load(request, pk), "form": ReserveWithdrawForm()})

    def post(self, request, pk):
        entry = self.load(request, pk)
        form = ReserveWithdrawForm(request.POST)
        if form.is_valid():
            try:
                reserve_candidate_withdraw(entry=entry, on=form.cleaned_data["on"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, MSG_RESERVE_WITHDRAWN.format(person=entry.person.name, unit=entry.unit.name))
                return redirect("cadres:reserves")
        return render(request, self.template_name, {"entry": entry, "form": form})


# ---------------------------------------------------------------- reports (R-RES-2..4)

def _explained(unit, year, *fields) -> dict | None:
    """R-POL-2: the policy values a report used, labelled with the fields' names."""
    if unit is None:
        return None
    names = {f.name: f.verbose_name for f in Policy.value_fields()}
    explanation = policy_effective(unit=unit, year=year).explain(*fields)
    return {k: {**v, "label": names.get(k, k)} for k, v in explanation.items()}


def _anchor(user):
    return anchor_unit(user=user)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or dt.date.today().year)
    except ValueError:
        return dt.date.today().year
    return year if 1949 <= year <= 2200 else dt.date.today().year


def reserve_coverage_rows(request) -> tuple[int, dict]:
    """The year asked for and its R-RES-2 coverage: the report page and its export."""
    year = _year(request)
    return year, reserve_coverage(user=request.user, year=year)


@login_required
def reserve_coverage_report(request):
    """R-RES-2: every village branch and whether it has its reserve candidates."""
    year, coverage = reserve_coverage_rows(request)
    page_obj = Paginator(coverage["lacking"], PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cadres/report_reserve_coverage.html", {
        "coverage": coverage, "year": year, "page_obj": page_obj, "lacking": page_obj,
        "explanation": _explained(_anchor(request.user), year, "reserve_min_per_village"),
    })


def under_35_rows(request):
    """The R-RES-3 ledger on the date asked for, each row with its age: the report page and its export."""
    form = Under35Form(request.GET or None)
    on_date = dt.date.today()
    if form.is_bound and form.is_valid() and form.cleaned_data["on_date"]:
        on_date = form.cleaned_data["on_date"]
    ledger = under_35_ledger(user=request.user, on_date=on_date)
    leaders = list(ledger["leaders"])
    reserves = list(ledger["reserves"])
    for row in leaders + reserves:
        row.age = age_on(row.person.birth_date, on_date)
    return form, on_date, ledger, leaders, reserves


@login_required
def under_35_report(request):
    """R-RES-3: the ledger of village leaders and reserves under the policy's age on a chosen date."""
    form, on_date, ledger, leaders, reserves = under_35_rows(request)
    names = {f.name: f.verbose_name for f in Policy.value_fields()}
    explanation = {k: {**v, "label": names.get(k, k)} for k, v in ledger["policy"].items()}
    # Two lists, each paged on its own: ``page`` for the leaders, ``rpage`` for the reserves.
    page_obj = Paginator(leaders, PAGE_SIZE).get_page(request.GET.get("page"))
    reserves_page = Paginator(reserves, PAGE_SIZE).get_page(request.GET.get("rpage"))
    return render(request, "cadres/report_under_35.html", {
        "form": form, "ledger": ledger, "leaders": page_obj, "reserves": reserves_page, "on_date": on_date,
        "page_obj": page_obj, "reserves_page": reserves_page,
        "explanation": explanation,
    })


def talent_pool_rows(request):
    """The R-RES-4 talent pool as the form filters it: the report page and its export."""
    form = TalentPoolForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    today = dt.date.today()
    return form, today, talent_pool(user=request.user, on_date=today, **filters).order_by("unit__path", "name", "pk")


@login_required
def talent_pool_report(request):
    """R-RES-4: the talent pool by sector, age band, education and specialty."""
    form, today, people = talent_pool_rows(request)
    page_obj = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    for person in page_obj:
        person.age = age_on(person.birth_date, today) if person.birth_date else None
    return render(request, "cadres/report_talent_pool.html", {
        "form": form, "page_obj": page_obj, "people": page_obj, "today": today,
    })


# ---------------------------------------------------------------- dashboard panels (registered in apps.py)

def panel_sector_chart(request, dashboard: dict) -> dict | None:
    """Units and current secretaries per sector: the chart draws /api/v1/reports/units-by-sector/, the table
    below it shows the same selector's numbers (page and API cannot disagree)."""
    return {"report": units_by_sector(user=request.user), "chart_url": reverse("report-units-by-sector"),
            "chart": {"rows": "results", "label": "label", "series": [
                {"field": "units", "name": str(_("Organisations")), "color": "#e3a29e"},
                {"field": "secretaries", "name": str(_("Current secretaries")), "color": "#b3261e"}]}}


def panel_reserve_coverage(request, dashboard: dict) -> dict | None:
    coverage = reserve_coverage(user=request.user, year=dashboard["year"])
    return {"coverage": coverage, "lacking": coverage["lacking"][:8], "more": max(len(coverage["lacking"]) - 8, 0)}


def panel_dual_leaders(request, dashboard: dict) -> dict | None:
    return {"dual": dual_leader_share(user=request.user)}


def panel_secretary_home(request, dashboard: dict) -> dict | None:
    """A secretary's own record, posts and branch (R-ORG-2: only their own rows)."""
    user = request.user
    person = Person.objects.visible_to(user).select_related("unit").first()
    appointments = list(Appointment.objects.visible_to(user).current().select_related("unit"))
    reserves = list(ReserveCandidate.objects.visible_to(user).filter(status=ReserveStatus.CULTIVATING)
                    .select_related("unit"))
    return {"person": person, "appointments": appointments, "reserves": reserves, "branch": user.unit}


def register_dashboard_panels() -> None:
    from core.panels import register_panel

    readers = (Role.STAFF, Role.SUPERVISOR)
    register_panel(template_name="cadres/panels/secretary_home.html", context_func=panel_secretary_home,
                   roles=(Role.SECRETARY,), order=10)
    register_panel(template_name="cadres/panels/sector_chart.html", context_func=panel_sector_chart,
                   roles=readers, order=10)
    register_panel(template_name="cadres/panels/reserve_coverage.html", context_func=panel_reserve_coverage,
                   roles=readers, order=20)
    register_panel(template_name="cadres/panels/dual_leaders.html", context_func=panel_dual_leaders,
                   roles=readers, order=30)


