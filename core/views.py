"""Pages of the foundation: dashboard, policies, enterprise coverage, notices and jobs.

Rows reach a page only through ``visible_to`` (ScopedViewMixin, access_by_id or a selector):
R-ORG-2. Domain apps add dashboard panels through ``core.panels`` rather than being imported here.
"""
import datetime as dt
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from pathlib import Path

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views import View
from django.views.generic import DetailView, ListView

from core.choices import JobState, Role
from core.exports import (
    CONTENT_TYPES,
    FORMATS,
    JOB_KIND,
    export_content_disposition,
    export_count,
    export_file,
    export_get,
    export_query,
    exports_registered,
)
from core.job_summaries import job_summary
from core.forms import UnitChoiceField
from core.models import Job, Notice, OrgUnit, Policy
from core.panels import panels_for
from core.permissions import RoleRequiredMixin
from core.scoping import ScopedViewMixin, access_by_id
from core.selectors import anchor_unit, enterprise_coverage, org3_problem_label, unit_counts
from core.services.jobs import job_create, job_enqueue
from core.services.notices import notices_mark_read
from core.services.policies import policy_effective
from core.tasks import export_enterprise_coverage, export_table
from core.status import status_sets
from core.widgets import unit_picker

ERR_PAGE_YEAR = _("Enter a year such as 2026.")
MSG_POLICY_SAVED = _("The policy of {unit} for {year} was saved.")
MSG_NOTICES_READ = _("All notices are marked as read.")
MSG_EXPORT_QUEUED = _("The export holds many rows and is written in the background; the file appears here when it is ready.")


def page_year(request, default: int | None = None) -> int:
    """The ``year`` of a page's query string; a bad value falls back to this year."""
    try:
        year = int(request.GET.get("year") or default or dt.date.today().year)
    except ValueError:
        return dt.date.today().year
    return year if 1949 <= year <= 2200 else dt.date.today().year


def default_unit(user) -> OrgUnit | None:
    return anchor_unit(user=user)


# ---------------------------------------------------------------- dashboard

@login_required
def dashboard(request):
    """Counts per sector and level in the user's subtree, then the panels apps contribute."""
    counts = unit_counts(user=request.user)
    max_sector = max((n for _v, _l, n in counts["by_sector"]), default=0)
    context = {
        "counts": counts,
        "max_sector": max_sector,
        "levels_present": [row for row in counts["by_level"] if row[2]],
        "year": dt.date.today().year,
        "today": dt.date.today(),
    }
    context["dashboard_panels"] = panels_for(request, context)
    return render(request, "core/dashboard.html", context)


# ---------------------------------------------------------------- R-ORG-3 report

def enterprise_coverage_rows(request) -> tuple[int, list[dict]]:
    """The year asked for and the R-ORG-3 rows, each with its problem's label: the page and its export."""
    year = page_year(request)
    rows = enterprise_coverage(user=request.user, year=year)
    for row in rows:
        row["label"] = org3_problem_label(row)
    return year, rows


@login_required
def enterprise_coverage_report(request):
    """R-ORG-3: non-public enterprises that break the coverage rule, with the policy values used."""
    year, rows = enterprise_coverage_rows(request)
    anchor = default_unit(request.user)
    explanation = None
    if anchor is not None:
        explanation = _labelled(policy_effective(unit=anchor, year=year).explain(
            "enterprise_branch_min_employees", "branch_min_members"))
    page_obj = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "core/report_enterprise_coverage.html", {
        "rows": page_obj, "page_obj": page_obj, "year": year, "explanation": explanation, "anchor": anchor,
    })


def _labelled(explanation: dict) -> dict:
    """Add each policy field's verbose name to an ``EffectivePolicy.explain()`` dict, a choice's label for its code."""
    fields = {f.name: f for f in Policy.value_fields()}
    return {k: {**v, "label": fields[k].verbose_name if k in fields else k,
                **({"value": _policy_shown(fields[k], v.get("value"))} if k in fields else {})}
            for k, v in explanation.items()}


def _policy_shown(field, value):
    """A policy value as the page shows it: a choice (R-STP-2's regime, a period) by its label, never its code."""
    return dict(field.choices).get(value, value) if field.choices and value is not None else value


# ---------------------------------------------------------------- R-POL pages

class PolicyQueryForm(forms.Form):
    unit = UnitChoiceField(label=_("unit"), queryset=OrgUnit.objects.none(), required=False)
    year = forms.IntegerField(label=_("year"), min_value=1949, max_value=2200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user).order_by("path")


@login_required
def policy_view(request):
    """R-POL-1/2: the effective policy of a unit and year, field by field, with where each value comes from."""
    unit, year = default_unit(request.user), dt.date.today().year
    form = PolicyQueryForm(request.GET or None, user=request.user, initial={"unit": unit, "year": year})
    if form.is_bound and form.is_valid():
        unit = form.cleaned_data["unit"] or unit
        year = form.cleaned_data["year"] or year
    rows, own_policy = [], None
    if unit is not None:
        effective = policy_effective(unit=unit, year=year)
        explained = effective.explain()
        for f in Policy.value_fields():
            item = explained[f.name]
            rows.append({"name": f.name, "label": f.verbose_name, **item,
                         "value": _policy_shown(f, effective.values[f.name])})
        own_policy = Policy.objects.visible_to(request.user).filter(unit=unit, year=year).first()
    policies = Policy.objects.visible_to(request.user).select_related("unit").order_by("-year", "unit__path")[:50]
    return render(request, "core/policy.html", {
        "form": form, "unit": unit, "year": year, "rows": rows, "own_policy": own_policy, "policies": policies,
        "can_edit": request.user.is_staff_role,
    })


class PolicyForm(forms.ModelForm):
    """Staff set only the values that differ; empty fields inherit (R-POL-1)."""

    class Meta:
        model = Policy
        fields = ["unit", "year", "note", *[f.name for f in Policy.value_fields()]]
        widgets = {"note": forms.Textarea(attrs={"rows": 2, "wide": True}), "unit": unit_picker()}
        field_classes = {"unit": UnitChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user).order_by("path")
        for f in Policy.value_fields():
            field = self.fields[f.name]
            default = f.policy_default
            field.help_text = _("{rule} · default {default} · {seed}").format(
                rule=f.policy_rule, default="—" if default is None else _policy_shown(f, default), seed=f.policy_seed)

    def rule_groups(self):
        """Value fields grouped by rule id, so the form reads like the SPEC."""
        groups: dict[str, list] = {}
        for f in Policy.value_fields():
            groups.setdefault(f.policy_rule.rsplit("-", 1)[0], []).append(self[f.name])
        return groups.items()


class PolicyEditMixin(RoleRequiredMixin):
    template_name = "core/policy_form.html"

    def render_form(self, request, form, policy=None):
        return render(request, self.template_name, {"form": form, "policy": policy})

    def save(self, request, form):
        policy = form.save()
        messages.success(request, MSG_POLICY_SAVED.format(unit=policy.unit.name, year=policy.year))
        return redirect(f"{reverse('policy')}?unit={policy.unit_id}&year={policy.year}")


class PolicyCreateView(PolicyEditMixin, View):
    def get(self, request, *args, **kwargs):
        initial = {"year": page_year(request), "unit": request.GET.get("unit") or request.user.unit_id}
        return self.render_form(request, PolicyForm(user=request.user, initial=initial))

    def post(self, request, *args, **kwargs):
        form = PolicyForm(request.POST, user=request.user)
        if form.is_valid():
            return self.save(request, form)
        return self.render_form(request, form)


class PolicyUpdateView(PolicyEditMixin, View):
    def get(self, request, pk):
        policy = access_by_id(Policy, user=request.user, pk=pk)
        return self.render_form(request, PolicyForm(user=request.user, instance=policy), policy)

    def post(self, request, pk):
        policy = access_by_id(Policy, user=request.user, pk=pk)
        form = PolicyForm(request.POST, user=request.user, instance=policy)
        if form.is_valid():
            return self.save(request, form)
        return self.render_form(request, form, policy)


# ---------------------------------------------------------------- notices and jobs (owned by one user)

class NoticeListView(LoginRequiredMixin, ScopedViewMixin, ListView):
    queryset = Notice.objects.all()
    template_name = "core/notices.html"
    context_object_name = "notices"
    paginate_by = 50

    def scope_queryset(self, queryset):
        if self.request.GET.get("unread"):
            queryset = queryset.filter(read_at__isnull=True)
        if self.request.GET.get("kind"):
            queryset = queryset.filter(kind=self.request.GET["kind"])
        return queryset.order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        from core.notice_kinds import notice_kind_label

        context = super().get_context_data(**kwargs)
        # R-JOB-2: the kinds this user has notices of, by their labels (one query).
        kinds = Notice.objects.visible_to(self.request.user).order_by("kind").values_list("kind", flat=True).distinct()
        context["kind_choices"] = [(k, notice_kind_label(k)) for k in kinds]
        context["kind"] = self.request.GET.get("kind", "")
        context["unread_only"] = bool(self.request.GET.get("unread"))
        return context


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_POST
def notice_read(request, pk):
    notice = access_by_id(Notice, user=request.user, pk=pk)
    notices_mark_read(user=request.user, notice_ids=[notice.pk])
    if request.POST.get("open") and notice.url and url_has_allowed_host_and_scheme(
            notice.url, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(notice.url)
    return HttpResponseRedirect(_safe_next(request, reverse("notices")))


@login_required
@require_POST
def notices_read_all(request):
    notices_mark_read(user=request.user)
    messages.success(request, MSG_NOTICES_READ)
    return HttpResponseRedirect(reverse("notices"))


class JobListView(LoginRequiredMixin, ScopedViewMixin, ListView):
    queryset = Job.objects.all()
    template_name = "core/jobs.html"
    context_object_name = "jobs"
    paginate_by = 50

    def scope_queryset(self, queryset):
        return queryset.select_related("unit").order_by("-created_at")


class JobDetailView(LoginRequiredMixin, ScopedViewMixin, DetailView):
    queryset = Job.objects.all()
    template_name = "core/job_detail.html"
    context_object_name = "job"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["state_labels"] = json.dumps({s.value: str(s.label) for s in JobState}, ensure_ascii=False)
        status_set = status_sets()["core.job"]
        context["state_tones"] = json.dumps(status_set.tones)
        # R-JOB-3: the result as the kind's Chinese summary (core.job_summaries), never raw JSON.
        context["summary"] = job_summary(self.object, self.request)
        return context


class JobDownloadView(LoginRequiredMixin, View):
    """A job's file, only for whoever started the job (R-DOS-2); media is never served publicly."""

    def get(self, request, pk):
        job = access_by_id(Job, user=request.user, pk=pk)
        if not job.file:
            raise Http404
        # A table export keeps its Chinese name (培训达标情况-2026.xlsx) whatever the storage made of it.
        filename = (job.params or {}).get("filename") or Path(job.file.name).name
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=filename)


class EnterpriseCoverageExportView(RoleRequiredMixin, View):
    """R-ORG-3 export as a background job (R-JOB-3); the job page shows its progress."""

    allowed_roles = (Role.STAFF, Role.SUPERVISOR)

    def post(self, request):
        job = job_create(kind="enterprise_coverage_export", user=request.user, params={"year": page_year(request)})
        job_enqueue(job=job, task=export_enterprise_coverage)
        return redirect("job_detail", pk=job.pk)


class TableExportView(LoginRequiredMixin, View):
    """Issue 8 item 4: a page's table as .xlsx or CSV (``core.exports``) — for the roles that see the page,
    rows of the user's subtree, filtered as the page is; above the threshold a job writes the file."""

    export_name = ""
    fmt = "xlsx"

    def get(self, request):
        export = export_get(self.export_name)
        if export is None:
            raise Http404
        if not export.allowed(request.user):
            raise PermissionDenied
        items = export.source(request)
        if export_count(items) > settings.ZHISHU_EXPORT_SYNC_MAX_ROWS:
            job = job_create(kind=JOB_KIND, user=request.user, params={
                "export": export.name, "format": self.fmt, "query": export_query(request.GET),
                "language": get_language() or ""})
            job_enqueue(job=job, task=export_table)
            messages.info(request, MSG_EXPORT_QUEUED)
            return redirect("job_detail", pk=job.pk)
        content, _rows = export_file(export, request=request, fmt=self.fmt, items=items)
        response = HttpResponse(content, content_type=CONTENT_TYPES[self.fmt])
        # RFC 5987 filename*=UTF-8''… with an ASCII fallback for old clients.
        response["Content-Disposition"] = export_content_disposition(export, request, self.fmt)
        return response


def export_urlpatterns() -> list:
    """/exports/<name>.xlsx and .csv for every registered export (apps register theirs in ready())."""
    return [path(f"exports/{name}.{fmt}", TableExportView.as_view(export_name=name, fmt=fmt),
                 name=f"export_{name}_{fmt}")
            for name in sorted(exports_registered()) for fmt in FORMATS]
