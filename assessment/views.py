"""Pages of the annual assessment: duty reports, cycles and the review, calibration, upgrade targets,
democratic evaluation, indicators and scores, listings, stars, honours and the published reports."""
import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import formset_factory
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import ListView

from assessment.choices import DutyReportState, HonourKind, HonourLevel, ListingKind, Rating, Tier
from assessment.filtersets import ClassificationPageFilterSet, DutyReportPageFilterSet
from assessment.job_summaries import LEVEL_WARNING, review_headline, review_level
from assessment.models import (
    AssessmentCycle,
    BranchListing,
    BranchScore,
    Classification,
    ClassificationChange,
    DutyReport,
    EvaluationSample,
    Honour,
    IndicatorTemplate,
)
from assessment.selectors import (
    assessment_report,
    review_scope,
    assessment_reports_for_person,
    calibration,
    evaluation_aggregates,
    evaluation_satisfaction_for_jurisdiction,
    person_assessment,
    promotion_candidate_ids,
    red_flag_stages,
    sanctioned_person_ids,
    secretaries_of_year,
    upgrade_targets,
)
from assessment.services import classification as cls_services
from assessment.services.cycles import cycle_publish
from assessment.services.duty_reports import (
    EDITABLE_STATES,
    TEXT_FIELDS,
    duty_report_accept,
    duty_report_return,
    duty_report_save,
    duty_report_start,
    duty_report_submit,
)
from assessment.services.evaluations import (
    evaluation_close,
    evaluation_ratings_import,
    evaluation_ratings_record,
    evaluation_sample_draw,
    year_published,
)
from assessment.services.honours import honour_nominate, red_flag_advance
from assessment.services.listings import branch_listing_add, branch_listing_remove
from assessment.services.scoring import branch_score_set, indicator_template_save, template_for
from cadres.forms import PersonChoiceField
from cadres.models import Person
from cadres.selectors import person_find_by_id_number
from core.choices import BRANCH_LEVELS, JobState, Role
from core.forms import UnitChoiceField
from core.models import Job, OrgUnit
from core.permissions import RoleRequiredMixin, require_role
from core.scoping import ScopedViewMixin, access_by_id

def _year(request) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year") or dt.date.today().year - 1)
    except ValueError:
        return dt.date.today().year - 1


def _errors(exc: ValidationError) -> list[str]:
    return [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages


class DutyReportListView(LoginRequiredMixin, ScopedViewMixin, ListView):
    """R-ASM-2: a secretary's own reports; a supervisor's reports to review within their subtree.

    Filtered by year and state through ``self.filterset`` (its ``qs`` is what the page and an
    export show), 50 a page with page links."""

    queryset = DutyReport.objects.select_related("unit", "person")
    template_name = "assessment/duty_report_list.html"
    paginate_by = 50

    def scope_queryset(self, queryset):
        self.filterset = DutyReportPageFilterSet(self.request.GET or None, queryset=queryset, request=self.request)
        qs = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else queryset
        return qs.order_by("-year", "unit__path", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, filter_form=self.filterset.form, year=_year(self.request))


@login_required
def duty_report_new(request):
    """The secretary opens (or creates) the year's report."""
    if request.method != "POST":
        return redirect("assessment:duty_reports")
    try:
        report = duty_report_start(user=request.user, year=_year(request))
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
        return redirect("assessment:duty_reports")
    return redirect("assessment:duty_report", pk=report.pk)


@login_required
def duty_report_detail(request, pk):
    """R-ASM-2: the form for the secretary, the decision for the supervisor, the history for both."""
    report = access_by_id(DutyReport, user=request.user, pk=pk)
    is_author = report.person.user_id == request.user.pk
    can_edit = is_author and report.state in EDITABLE_STATES
    can_decide = (not is_author and report.state == DutyReportState.SUBMITTED
                  and (request.user.is_superuser or request.user.role in (Role.STAFF, Role.SUPERVISOR)))
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action")
        data = {name: request.POST.get(name, "") for name in TEXT_FIELDS}
        try:
            if action == "save" and can_edit:
                duty_report_save(report=report, data=data, by=request.user)
                messages.success(request, _("Draft saved."))
            elif action == "submit" and can_edit:
                duty_report_submit(report=report, data=data, by=request.user)
                messages.success(request, _("Report submitted."))
            elif action == "accept" and can_decide:
                duty_report_accept(report=report, by=request.user)
                messages.success(request, _("Report accepted."))
            elif action == "return" and can_decide:
                duty_report_return(report=report, reason=request.POST.get("reason", ""), by=request.user)
                messages.success(request, _("Report returned to the secretary."))
            else:
                raise PermissionDenied
            return redirect("assessment:duty_report", pk=report.pk)
        except ValidationError as exc:
            errors = _errors(exc)
            for name in TEXT_FIELDS:
                setattr(report, name, data[name])  # nothing typed is lost, even when refused
    events = report.events.select_related("by")
    return render(request, "assessment/duty_report_detail.html", {
        "report": report, "can_edit": can_edit, "can_decide": can_decide, "errors": errors, "events": events,
        "fields": [(name, DutyReport._meta.get_field(name).verbose_name, getattr(report, name))
                   for name in TEXT_FIELDS],
    })


class CycleListView(LoginRequiredMixin, ScopedViewMixin, ListView):
    """R-ASM-1, R-JOB-1: the cycles, with the annual review's start button and progress."""

    queryset = AssessmentCycle.objects.select_related("unit", "last_review_job")
    template_name = "assessment/cycle_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for cycle in context["object_list"]:
            job = cycle.last_review_job
            # What the last run did, in words (from its stored counts; no query per row).
            cycle.review_headline = (review_headline(job.result) if job is not None and job.state ==
                                     JobState.SUCCEEDED and isinstance(job.result, dict) else "")
        return context


MSG_REVIEW_FINISHED = gettext_lazy("The annual review of {year} has finished: {headline}")
MSG_REVIEW_RUNNING = gettext_lazy("The annual review of {year} is running ({progress}%); this page follows it.")
MSG_REVIEW_QUEUED = gettext_lazy("The annual review of {year} has started; it waits for a worker. This page "
                                 "follows it.")
MSG_REVIEW_FAILED = gettext_lazy("The annual review of {year} failed: {error}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_review(request, pk):
    """R-JOB-1: the review is year-wide, so GET asks for confirmation (cycle, year, branches touched) and
    only a POST with ``confirm=yes`` starts it; then the job's page says what really happened."""
    require_role(request.user, Role.STAFF)
    cycle = access_by_id(AssessmentCycle, user=request.user, pk=pk)
    errors = []
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            errors = [ERR_CONFIRM]
        else:
            try:
                job = cls_services.annual_review_start(cycle=cycle, by=request.user)
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                _flash_review(request, job, cycle)
                return redirect("job_detail", pk=job.pk)
    context = {"cycle": cycle, "scope": review_scope(cycle=cycle), "errors": errors,
               "last_job": cycle.last_review_job}
    return render(request, "assessment/cycle_review_confirm.html", context, status=400 if errors else 200)


def _flash_review(request, job, cycle) -> None:
    """The banner after starting the review: started, running with its progress, finished or failed."""
    job = Job.objects.get(pk=job.pk)  # in eager mode the run is over by now
    if job.state == JobState.SUCCEEDED:
        text = MSG_REVIEW_FINISHED.format(year=cycle.year, headline=review_headline(job.result or {}))
        level = messages.WARNING if review_level(job.result or {}) == LEVEL_WARNING else messages.SUCCESS
    elif job.state == JobState.FAILED:
        text, level = MSG_REVIEW_FAILED.format(year=cycle.year, error=job.error), messages.ERROR
    elif job.state == JobState.RUNNING:
        text, level = MSG_REVIEW_RUNNING.format(year=cycle.year, progress=job.progress), messages.INFO
    else:
        text, level = MSG_REVIEW_QUEUED.format(year=cycle.year), messages.INFO
    messages.add_message(request, level, text)


@login_required
def calibration_page(request):
    """R-CLS-6: tier distribution per township and sector side by side; publication with confirmation."""
    require_role(request.user, Role.STAFF, Role.SUPERVISOR)
    year = _year(request)
    data = calibration(user=request.user, year=year)
    if request.method == "POST" and request.POST.get("action") == "publish":
        require_role(request.user, Role.STAFF)
        cycle = access_by_id(AssessmentCycle, user=request.user, pk=request.POST.get("cycle"))
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the confirmation to publish."))
        else:
            try:
                cycle_publish(cycle=cycle, by=request.user)
                messages.success(request, _("The classification is published and locked."))
            except ValidationError as exc:
                for m in _errors(exc):
                    messages.error(request, m)
        return redirect(f"{reverse('assessment:calibration')}?year={year}")
    if request.method == "POST" and request.POST.get("action") == "override":
        require_role(request.user, Role.STAFF)
        try:
            unit = _branch_chosen(request.user, request.POST)
        except ValidationError:
            unit = None
        row = Classification.objects.visible_to(request.user).filter(year=year, unit=unit).first() if unit else None
        if row is None:
            messages.error(request, _("No classified branch with this code in your jurisdiction."))
        else:
            try:
                cls_services.classification_override(classification=row, tier=request.POST.get("tier", ""),
                                                     reason=request.POST.get("reason", ""), by=request.user)
                messages.success(request, _("Tier changed; the reason is kept."))
            except ValidationError as exc:
                for m in _errors(exc):
                    messages.error(request, m)
        return redirect(f"{reverse('assessment:calibration')}?year={year}")
    labels = dict(Tier.choices)
    changes = (ClassificationChange.objects.visible_to(request.user)
               .filter(classification__year=year,
                       classification__unit__path__startswith=data["unit"].path if data["unit"] else "")
               .select_related("classification__unit", "by").order_by("-at")[:50])
    return render(request, "assessment/calibration.html", {
        **data, "tier_labels": [(t, labels.get(t, _("Unclassified"))) for t in data["tiers"]],
        "tier_choices": Tier.choices, "changes": changes, "branch_form": BranchPickForm(user=request.user),
        # Both charts draw /api/v1/reports/calibration/, the same selector as the tables under them.
        "chart_url": f"{reverse('report-calibration')}?year={year}", "charts": calibration_charts(data),
    })


TIER_COLOURS = {"good": "#2e7d32", "fairly_good": "#7cb342", "average": "#f9a825", "poor": "#c62828", "none": "#9e9e9e"}


def calibration_charts(data: dict) -> dict:
    """The stacked tier bars of the calibration page: one series per tier, named by the tier's label."""
    series = [{"field": f"counts.{t['tier']}", "name": t["label"], "color": TIER_COLOURS[t["tier"]]}
              for t in data["tier_legend"]]
    return {key: {"rows": key, "label": "label", "stack": True, "series": series}
            for key in ("by_township", "by_sector")}


@login_required
def upgrade_targets_page(request):
    """R-CLS-4: target, actual and the gap as a chart (drawn from /api/v1/reports/upgrade-targets/) over a table
    of the same numbers; each group's branches behind the gap are a count linking to their list."""
    require_role(request.user, Role.STAFF, Role.SUPERVISOR)
    year = _year(request)
    chart = {"rows": "groups", "label": "label", "unit": "%", "max": 100, "series": [
        {"field": "actual_pct", "name": _("Actual"), "color": "#b3261e"},
        {"field": "target_pct", "name": _("Target"), "color": "#9ca3af"}]}
    return render(request, "assessment/upgrade_targets.html", {
        **upgrade_targets_for(request), "chart": chart,
        "chart_url": f"{reverse('report-upgrade-targets')}?year={year}"})


@login_required
@require_safe
def upgrade_targets_behind(request):
    """R-CLS-4: the branches of one of last year's tiers that are behind the target, one page at a time."""
    require_role(request.user, Role.STAFF, Role.SUPERVISOR)
    year = _year(request)
    tier = request.GET.get("tier", "")
    data = upgrade_targets(user=request.user, year=year)
    group = next((g for g in data["groups"] if g["previous_tier"] == tier), None)
    if group is None:
        raise Http404
    labels = dict(Tier.choices)
    behind = [{**b, "tier_label": labels.get(b["tier"], "")} for b in group["behind"]]
    page_obj = Paginator(behind, 50).get_page(request.GET.get("page"))
    return render(request, "assessment/upgrade_targets_behind.html", {
        "year": year, "group": group, "unit_name": data["unit_name"], "page_obj": page_obj, "rows": page_obj})


def upgrade_targets_for(request) -> dict:
    """R-CLS-4 of the year asked for (the selector labels each group): the page and its export."""
    data = upgrade_targets(user=request.user, year=_year(request))
    labels = dict(Tier.choices)
    for g in data["groups"]:
        g["behind_labels"] = [{**b, "tier_label": labels.get(b["tier"], "")} for b in g["behind"]]
    return data


@login_required
def person_page(request, pk):
    """R-CLS-5, R-HON-3: a person's sanctions and honours, where promotion and awards are chosen."""
    person = access_by_id(Person, user=request.user, pk=pk)
    return render(request, "assessment/person.html", {
        "person": person, **person_assessment(user=request.user, person=person),
        "reports": assessment_reports_for_person(user=request.user, person=person)})


# --- Democratic evaluation, indicators and scores, listings, stars, honours, reports (R-ASM-3..5, R-CLS-2/3, R-HON) ---

STAFF_AND_SUPERVISORS = (Role.STAFF, Role.SUPERVISOR)
ERR_NO_BRANCH = gettext_lazy("No branch with this code in your jurisdiction.")
ERR_CHOOSE_BRANCH = gettext_lazy("Choose a branch of your jurisdiction.")
ERR_CHOOSE_UNIT = gettext_lazy("Choose an organisation of your jurisdiction.")
ERR_NO_UNIT = gettext_lazy("No organisation with this code in your jurisdiction.")
ERR_NO_RATING = gettext_lazy("Choose a rating on at least one ballot.")
ERR_NO_FILE = gettext_lazy("Choose an Excel file.")
ERR_CONFIRM = gettext_lazy("Tick the confirmation first.")
ERR_UNKNOWN_CANDIDATES = gettext_lazy("Some candidates are unknown.")
ERR_NO_SECRETARY = gettext_lazy("The branch had no secretary in {year}; give the person's ID number.")
ERR_NO_PERSON = gettext_lazy("No person with this ID number in your jurisdiction.")


def _flash(request, exc: ValidationError) -> None:
    for m in _errors(exc):
        messages.error(request, m)


def _branch_by_code(user, code: str) -> OrgUnit:
    unit = (OrgUnit.objects.visible_to(user).filter(code=(code or "").strip(), level__in=BRANCH_LEVELS).first()
            if code else None)
    if unit is None:
        raise ValidationError({"code": [ERR_NO_BRANCH]})
    return unit


def visible_branches(user):
    return OrgUnit.objects.visible_to(user).filter(level__in=BRANCH_LEVELS)


class BranchPickForm(forms.Form):
    """A branch chosen with the unit picker (issue 8 item 3), among the user's branches (R-ORG-2)."""

    unit = UnitChoiceField(label=gettext_lazy("Branch"), queryset=OrgUnit.objects.none(), branch=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = visible_branches(user)


class NominationPickForm(BranchPickForm):
    person = PersonChoiceField(label=gettext_lazy("Person (empty: the branch's secretary)"),
                               queryset=Person.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["person"].for_user(user)


def _branch_chosen(user, data) -> OrgUnit:
    """The branch picked (``unit``, its id) or, as before the pickers and for scripts, typed (``code``)."""
    raw = (data.get("unit") or "").strip()
    if not raw and (data.get("code") or "").strip():
        return _branch_by_code(user, data.get("code"))
    form = BranchPickForm({"unit": raw}, user=user)
    if not form.is_valid():
        raise ValidationError({"unit": [ERR_CHOOSE_BRANCH]})
    return form.cleaned_data["unit"]


def _with_year(name: str, year: int, **kwargs) -> str:
    return f"{reverse(name, kwargs=kwargs or None)}?year={year}"


def _percent(value) -> str:
    if value in (None, ""):
        return "—"
    return f"{(Decimal(str(value)) * 100).normalize():f}%"


def _can_see_draw(user) -> bool:
    """R-ASM-3: the drawn roster numbers are for staff only, never for the branch."""
    return user.is_staff_role


class EvaluationListView(LoginRequiredMixin, ScopedViewMixin, ListView):
    """R-ASM-3: the samples of a year with their satisfaction shares, and the jurisdiction's share."""

    queryset = EvaluationSample.objects.select_related("unit")
    template_name = "assessment/evaluation_list.html"
    paginate_by = 50

    def scope_queryset(self, queryset):
        return queryset.filter(year=_year(self.request)).order_by("unit__path")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = _year(self.request)
        samples = list(ctx["object_list"])
        aggs = evaluation_aggregates(samples=samples)
        ctx.update(year=year, rows=[(s, aggs[s.pk]) for s in samples], branch_form=BranchPickForm(user=self.request.user))
        if not self.request.user.is_secretary_role:
            ctx["jurisdiction"] = evaluation_satisfaction_for_jurisdiction(user=self.request.user, year=year)
        return ctx


class EvaluationDrawView(RoleRequiredMixin, View):
    """R-ASM-3: staff draw a branch's evaluators, the seed recorded so anyone can redraw."""

    def post(self, request):
        year = _year(request)
        try:
            unit = _branch_chosen(request.user, request.POST)
            raw_seed = request.POST.get("seed", "").strip()
            seed = int(raw_seed) if raw_seed.isdigit() else None
            sample = evaluation_sample_draw(unit=unit, year=year, by=request.user, seed=seed)
        except ValidationError as exc:
            _flash(request, exc)
            return redirect(_with_year("assessment:evaluations", year))
        messages.success(request, _("Sample drawn."))
        return redirect("assessment:evaluation", pk=sample.pk)


@login_required
def evaluation_detail(request, pk):
    """R-ASM-3: the sample (numbers for staff only), the aggregate above the minimum, ballot entry and import."""
    sample = access_by_id(EvaluationSample, user=request.user, pk=pk)
    agg = evaluation_aggregates(samples=[sample])[sample.pk]
    entered = sample.ratings.count()
    can_enter = ((request.user.is_superuser or request.user.role in STAFF_AND_SUPERVISORS) and not agg["closed"]
                 and not year_published(unit=sample.unit, year=sample.year))
    remaining = max(sample.sample_size - entered, 0)
    labels = dict(Rating.choices)
    return render(request, "assessment/evaluation_detail.html", {
        # The number entered is the entry's progress, for those who enter; it says nothing of a rating.
        "sample": sample, "agg": agg, "entered": entered if not request.user.is_secretary_role else None,
        "show_draw": _can_see_draw(request.user), "can_enter": can_enter and remaining > 0,
        "can_close": request.user.is_staff_role and not agg["closed"],
        "remaining": remaining, "ballot_rows": range(min(remaining, 20)), "rating_choices": Rating.choices,
        "counts": [(labels[k], v) for k, v in (agg["rating_counts"] or {}).items()],
        "share_pct": _percent((sample.policy.get("evaluation_sample_share") or {}).get("value")),
        "minimum": (sample.policy.get("evaluation_sample_min") or {}).get("value"),
    })


class EvaluationCloseView(RoleRequiredMixin, View):
    """R-ASM-3: staff close a sample before its due date; its aggregate then shows and no ballot is added."""

    def post(self, request, pk):
        sample = access_by_id(EvaluationSample, user=request.user, pk=pk)
        try:
            evaluation_close(evaluation=sample, user=request.user)
            messages.success(request, _("Evaluation closed."))
        except ValidationError as exc:
            _flash(request, exc)
        return redirect("assessment:evaluation", pk=sample.pk)


class EvaluationBallotsView(RoleRequiredMixin, View):
    """R-ASM-3: anonymous ballots entered one rating each — no evaluator is asked for or kept."""

    allowed_roles = STAFF_AND_SUPERVISORS

    def post(self, request, pk):
        sample = access_by_id(EvaluationSample, user=request.user, pk=pk)
        ratings = [r for r in request.POST.getlist("rating") if r]
        try:
            if not ratings:
                raise ValidationError({"ratings": [ERR_NO_RATING]})
            n = evaluation_ratings_record(sample=sample, ratings=ratings, by=request.user)
            messages.success(request, ngettext("%(n)d ballot recorded.", "%(n)d ballots recorded.", n) % {"n": n})
        except ValidationError as exc:
            _flash(request, exc)
        return redirect("assessment:evaluation", pk=sample.pk)


class EvaluationImportView(RoleRequiredMixin, View):
    """R-ASM-3, R-SEC-3: ballots from an Excel sheet, all or nothing."""

    allowed_roles = STAFF_AND_SUPERVISORS

    def post(self, request, pk):
        sample = access_by_id(EvaluationSample, user=request.user, pk=pk)
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError({"file": [ERR_NO_FILE]})
            n = evaluation_ratings_import(sample=sample, file=upload, by=request.user)
            messages.success(request, ngettext("%(n)d ballot imported.", "%(n)d ballots imported.", n) % {"n": n})
        except ValidationError as exc:
            _flash(request, exc)
        return redirect("assessment:evaluation", pk=sample.pk)


# --- R-ASM-4: indicator templates and the superior's scoring ---

class TemplateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    unit = UnitChoiceField(label=gettext_lazy("Jurisdiction"), queryset=OrgUnit.objects.none(), required=False)
    # Before the picker the jurisdiction was typed as a code; a script may still send one.
    code = forms.CharField(max_length=50, required=False, widget=forms.HiddenInput)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2200)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.editing = user, editing
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user)
        if editing:
            self.fields["year"].required = False
        else:
            self.fields["unit"].widget.attrs["required"] = True

    def clean(self):
        data = super().clean()
        if self.editing or data.get("unit") or "unit" in self.errors:
            return data
        code = (data.get("code") or "").strip()
        unit = OrgUnit.objects.visible_to(self.user).filter(code=code).first() if code else None
        if unit is None:
            self.add_error("unit", ERR_NO_UNIT if code else ERR_CHOOSE_UNIT)
        data["unit"] = unit
        return data


class IndicatorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Indicator"), max_length=200, required=False)
    weight = forms.DecimalField(label=gettext_lazy("Weight"), min_value=0, max_digits=6, decimal_places=2,
                                required=False)
    max_score = forms.DecimalField(label=gettext_lazy("Maximum score"), min_value=Decimal("0.01"), max_digits=6,
                                   decimal_places=2, required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and (data.get("weight") is None or data.get("max_score") is None):
            raise forms.ValidationError(gettext_lazy("Give the weight and the maximum score of every indicator."))
        return data


IndicatorFormSet = formset_factory(IndicatorForm, extra=3)


class IndicatorTemplateListView(LoginRequiredMixin, ScopedViewMixin, ListView):
    """R-ASM-4: the templates of a year in the user's jurisdiction (and those above it)."""

    queryset = IndicatorTemplate.objects.select_related("unit").prefetch_related("indicators")
    template_name = "assessment/template_list.html"
    paginate_by = 50

    def scope_queryset(self, queryset):
        return queryset.filter(year=_year(self.request))

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, year=_year(self.request))


class IndicatorTemplateFormView(RoleRequiredMixin, View):
    """R-ASM-4: staff define or change a template (name, weight, max score) until the year is published."""

    def _load(self, request, pk):
        return access_by_id(IndicatorTemplate, user=request.user, pk=pk) if pk else None

    def _render(self, request, template, form, formset, errors=(), status=200):
        return render(request, "assessment/template_form.html", {
            "template_obj": template, "form": form, "formset": formset, "errors": errors,
            "locked": template is not None and year_published(unit=template.unit, year=template.year),
        }, status=status)

    def get(self, request, pk=None):
        template = self._load(request, pk)
        if template is None:
            form = TemplateForm(user=request.user, initial={"year": _year(request), "unit": request.user.unit_id})
            formset = IndicatorFormSet()
        else:
            form = TemplateForm(user=request.user, editing=True,
                                initial={"name": template.name, "unit": template.unit_id, "year": template.year})
            formset = IndicatorFormSet(initial=[{"name": i.name, "weight": i.weight, "max_score": i.max_score}
                                                for i in template.indicators.all()])
        return self._render(request, template, form, formset)

    def post(self, request, pk=None):
        template = self._load(request, pk)
        form = TemplateForm(request.POST, user=request.user, editing=template is not None)
        formset = IndicatorFormSet(request.POST)
        if not (form.is_valid() and formset.is_valid()):
            return self._render(request, template, form, formset, status=400)
        indicators = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("name")]
        try:
            if template is None:
                template = indicator_template_save(unit=form.cleaned_data["unit"], year=form.cleaned_data["year"],
                                                   name=form.cleaned_data["name"], indicators=indicators)
            else:
                template = indicator_template_save(unit=template.unit, year=template.year,
                                                   name=form.cleaned_data["name"], indicators=indicators,
                                                   template=template)
        except ValidationError as exc:
            return self._render(request, template, form, formset, errors=_errors(exc), status=400)
        messages.success(request, _("Indicator template saved."))
        return redirect(_with_year("assessment:templates", template.year))


class ScoreListView(RoleRequiredMixin, ScopedViewMixin, ListView):
    """R-ASM-4: the branches to score in a year, with their superior score."""

    allowed_roles = STAFF_AND_SUPERVISORS
    queryset = OrgUnit.objects.filter(level__in=BRANCH_LEVELS, is_active=True)
    template_name = "assessment/score_list.html"
    paginate_by = 50

    def scope_queryset(self, queryset):
        q = self.request.GET.get("q", "").strip()
        queryset = queryset.order_by("path")
        return queryset.filter(Q(name__contains=q) | Q(code__startswith=q)) if q else queryset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = _year(self.request)
        units = list(ctx["object_list"])
        scores = dict(BranchScore.objects.filter(unit__in=units, year=year).values_list("unit_id", "superior_score"))
        ctx.update(year=year, q=self.request.GET.get("q", ""), rows=[(u, scores.get(u.pk)) for u in units])
        return ctx


class ScoreFormView(RoleRequiredMixin, View):
    """R-ASM-4: the superior scores a branch, one input per indicator; the weighted score is shown."""

    allowed_roles = STAFF_AND_SUPERVISORS

    def _context(self, request, unit, year, points=None, errors=()):
        template = template_for(unit=unit, year=year)
        score = BranchScore.objects.filter(unit=unit, year=year).first()
        points = points if points is not None else (score.points if score else {})
        indicators = list(template.indicators.all()) if template else []
        return {"unit": unit, "year": year, "template_obj": template, "score": score, "errors": errors,
                "rows": [(i, points.get(str(i.pk), "")) for i in indicators],
                "locked": year_published(unit=unit, year=year)}

    def _unit(self, request, unit_pk):
        unit = access_by_id(OrgUnit, user=request.user, pk=unit_pk)
        if unit.level not in BRANCH_LEVELS:
            raise Http404
        return unit

    def get(self, request, unit_pk):
        unit = self._unit(request, unit_pk)
        return render(request, "assessment/score_form.html", self._context(request, unit, _year(request)))

    def post(self, request, unit_pk):
        unit, year = self._unit(request, unit_pk), _year(request)
        points = {k.removeprefix("points_"): v.strip() for k, v in request.POST.items() if k.startswith("points_")}
        try:
            branch_score_set(unit=unit, year=year, points=points, by=request.user)
        except (ValidationError, ArithmeticError) as exc:
            errors = _errors(exc) if isinstance(exc, ValidationError) else [_("Points must be numbers.")]
            return render(request, "assessment/score_form.html",
                          self._context(request, unit, year, points=points, errors=errors), status=400)
        messages.success(request, _("Score saved."))
        return redirect(_with_year("assessment:score", year, unit_pk=unit.pk))


# --- R-CLS-2: negative list and weak-and-lax list ---

class ListingListView(LoginRequiredMixin, ScopedViewMixin, ListView):
    """R-CLS-2: the branches listed in a year; staff add with a reason and remove after confirming."""

    queryset = BranchListing.objects.select_related("unit", "created_by")
    template_name = "assessment/listing_list.html"
    paginate_by = 50

    def scope_queryset(self, queryset):
        return queryset.filter(year=_year(self.request)).order_by("kind", "unit__path")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, year=_year(self.request), kinds=ListingKind.choices,
                                        branch_form=BranchPickForm(user=self.request.user))


class ListingAddView(RoleRequiredMixin, View):
    def post(self, request):
        year = _year(request)
        try:
            unit = _branch_chosen(request.user, request.POST)
            kind = request.POST.get("kind", "")
            if kind not in ListingKind.values:
                raise ValidationError({"kind": [_("Choose a list.")]})
            branch_listing_add(unit=unit, year=year, kind=kind, reason=request.POST.get("reason", ""),
                               by=request.user)
            messages.success(request, _("Branch listed."))
        except ValidationError as exc:
            _flash(request, exc)
        return redirect(_with_year("assessment:listings", year))


class ListingRemoveView(RoleRequiredMixin, View):
    """R-CLS-2: removal asks for a reason and a confirmation first."""

    def get(self, request, pk):
        listing = access_by_id(BranchListing, user=request.user, pk=pk)
        return render(request, "assessment/listing_remove.html", {"listing": listing})

    def post(self, request, pk):
        listing = access_by_id(BranchListing, user=request.user, pk=pk)
        errors = []
        if request.POST.get("confirm") != "yes":
            errors = [ERR_CONFIRM]
        else:
            try:
                branch_listing_remove(listing=listing, reason=request.POST.get("reason", ""), by=request.user)
                messages.success(request, _("Branch taken off the list."))
                return redirect(_with_year("assessment:listings", listing.year))
            except ValidationError as exc:
                errors = _errors(exc)
        return render(request, "assessment/listing_remove.html",
                      {"listing": listing, "errors": errors, "reason": request.POST.get("reason", "")}, status=400)


# --- R-CLS-1/3: classifications with their stars ---

class ClassificationListView(LoginRequiredMixin, ScopedViewMixin, ListView):
    """R-CLS-1/3, R-ASM-5: tiers and stars of a year, by tier and jurisdiction; each row opens its report.

    Stars show as a value; staff change them on the row's own small form (ClassificationStarsView),
    so 50 rows do not carry 50 forms."""

    queryset = Classification.objects.select_related("unit", "cycle")
    template_name = "assessment/classification_list.html"
    paginate_by = 50

    def scope_queryset(self, queryset):
        qs = queryset.filter(year=_year(self.request)).order_by("unit__path")
        self.filterset = ClassificationPageFilterSet(self.request.GET or None, queryset=qs, request=self.request)
        return self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, year=_year(self.request), filter_form=self.filterset.form,
                                        years=_classification_years(self.request.user))


def _classification_years(user) -> list[int]:
    years = set(Classification.objects.visible_to(user).order_by().values_list("year", flat=True).distinct())
    return sorted(years | {dt.date.today().year - 1}, reverse=True)


class StarsForm(forms.Form):
    stars = forms.TypedChoiceField(label=gettext_lazy("Stars"), required=False, coerce=int, empty_value=None,
                                   choices=[("", gettext_lazy("No stars")), *[(i, "★" * i) for i in range(1, 6)]])
    # Required by the service (ERR_REASON_REQUIRED, its own message); the browser asks for it first.
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2, "required": True}))


class ClassificationStarsView(RoleRequiredMixin, View):
    """R-CLS-3: stars 1–5 (or none), every change with a reason (classification_set_stars), on a page of
    its own that names the branch, its tier and its stars now."""

    def _render(self, request, row, form, status=200):
        return render(request, "assessment/classification_stars.html", {
            "row": row, "form": form, "back": _classifications_back(request, row),
            "keep": {name: request.POST.get(name) or request.GET.get(name) for name in ("page", "tier", "unit")
                     if request.POST.get(name) or request.GET.get(name)},
            "changes": row.changes.filter(field="stars").select_related("by").order_by("-at")[:10],
        }, status=status)

    def get(self, request, pk):
        row = access_by_id(Classification, user=request.user, pk=pk)
        return self._render(request, row, StarsForm(initial={"stars": row.stars or ""}))

    def post(self, request, pk):
        row = access_by_id(Classification, user=request.user, pk=pk)
        form = StarsForm(request.POST)
        if not form.is_valid():
            # A value outside 1–5 gets the service's own message, as before.
            if "stars" in form.errors:
                form.errors["stars"] = form.error_class([cls_services.ERR_STARS])
            return self._render(request, row, form, status=400)
        try:
            cls_services.classification_set_stars(classification=row, stars=form.cleaned_data["stars"],
                                                  reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            return self._render(request, row, form, status=400)
        messages.success(request, _("Stars saved; the reason is kept."))
        return redirect(_classifications_back(request, row))


def _classifications_back(request, row) -> str:
    """Back to the list page the row was opened from (its year, filters and page)."""
    page = (request.POST.get("page") or request.GET.get("page") or "")
    params = {"year": row.year}
    if page.isdigit():
        params["page"] = page
    for name in ("tier", "unit"):
        value = request.POST.get(name) or request.GET.get(name)
        if value:
            params[name] = value
    return f"{reverse('assessment:classifications')}?{urlencode(params)}"


# --- R-HON-1..3: honours ---

def _honours_context(request, year: int, *, errors=(), form_data=None) -> dict:
    rows = list(Honour.objects.visible_to(request.user).filter(year=year)
                .select_related("unit", "person").order_by("kind", "stage", "unit__path"))
    person_ids = {h.person_id for h in rows if h.person_id}
    sanctioned = sanctioned_person_ids(year=year, person_ids=person_ids)
    candidates = promotion_candidate_ids(person_ids=person_ids, year=year)
    for h in rows:
        h.sanctioned = h.person_id in sanctioned
        h.promotion_candidate = h.person_id in candidates
    return {
        "year": year, "errors": errors, "form_data": form_data or {},
        "people_honours": [h for h in rows if h.kind != HonourKind.RED_FLAG],
        "red_flags": [h for h in rows if h.kind == HonourKind.RED_FLAG],
        "stages": red_flag_stages(user=request.user, year=year),
        "kinds": HonourKind.choices, "levels": HonourLevel.choices,
        "pick_form": NominationPickForm(user=request.user, initial={
            "unit": (form_data or {}).get("unit"), "person": (form_data or {}).get("person")}),
    }


@login_required
def honour_list(request):
    """R-HON-1..3: honours of a year; red-flag candidates per differential stage against the quota."""
    context = _honours_context(request, _year(request))
    page_obj = Paginator(context["people_honours"], 50).get_page(request.GET.get("page"))
    return render(request, "assessment/honour_list.html", {**context, "people_honours": page_obj, "page_obj": page_obj})


class HonourNominateView(RoleRequiredMixin, View):
    """R-HON-1..3: nominate from a 好 branch; a refusal is shown in place, on the form."""

    def post(self, request):
        year = _year(request)
        data = {k: request.POST.get(k, "").strip() for k in ("kind", "unit", "code", "level", "person", "id_number")}
        try:
            unit = _branch_chosen(request.user, data)
            data["unit"] = str(unit.pk)  # a refusal shows the form again with the branch chosen
            if data["kind"] not in HonourKind.values:
                raise ValidationError({"kind": [_("Choose an honour.")]})
            person = None
            if data["kind"] != HonourKind.RED_FLAG:
                if data["person"]:
                    form = NominationPickForm({"unit": unit.pk, "person": data["person"]}, user=request.user)
                    if not form.is_valid():
                        raise ValidationError({"person": form.errors.get("person", [ERR_NO_PERSON])})
                    person = form.cleaned_data["person"]
                elif data["id_number"]:
                    person = person_find_by_id_number(id_number=data["id_number"],
                                                      queryset=Person.objects.visible_to(request.user))
                    if person is None:
                        raise ValidationError({"id_number": [ERR_NO_PERSON]})
                else:
                    found = secretaries_of_year(unit_ids=[unit.pk], year=year).get(unit.pk)
                    if not found:
                        raise ValidationError({"id_number": [ERR_NO_SECRETARY.format(year=year)]})
                    person = found[-1]
            honour_nominate(kind=data["kind"], year=year, unit=unit, person=person, by=request.user,
                            level=data["level"] if data["level"] in HonourLevel.values else HonourLevel.DISTRICT)
        except ValidationError as exc:
            return render(request, "assessment/honour_list.html",
                          _honours_context(request, year, errors=_errors(exc), form_data=data), status=400)
        messages.success(request, _("Nomination recorded."))
        return redirect(_with_year("assessment:honours", year))


class RedFlagAdvanceView(RoleRequiredMixin, View):
    """R-HON-2: pass the ticked candidates on to the next stage, fewer than the stage keeps."""

    def post(self, request):
        year = _year(request)
        # ASCII digits within a bigint: "²" or a 20-digit number is an unknown candidate, not a 500 (R-SEC-3).
        ids = {i for i in request.POST.getlist("ids") if i.isascii() and i.isdigit() and 0 < int(i) < 2**63}
        rows = list(Honour.objects.visible_to(request.user).filter(pk__in=ids))
        try:
            if not ids or len(rows) != len(ids):
                raise ValidationError({"ids": [ERR_UNKNOWN_CANDIDATES]})
            red_flag_advance(honours=rows, by=request.user)
            messages.success(request, _("Candidates passed on to the next stage."))
        except ValidationError as exc:
            _flash(request, exc)
        return redirect(_with_year("assessment:honours", year))


# --- R-ASM-5: the published assessment report ---

@login_required
def assessment_report_page(request, pk):
    """R-ASM-5: a secretary's assessment report, print-friendly; the branch's secretary sees it once published."""
    row = access_by_id(Classification, user=request.user, pk=pk)
    data = assessment_report(classification=row)
    if request.user.is_secretary_role and not data["published"]:
        raise Http404  # visible_to already hides it; kept so the rule does not hang on one Q object
    return render(request, "assessment/report.html", data)
