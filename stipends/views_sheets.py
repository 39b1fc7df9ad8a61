"""R-STP-2..4 pages: the sheets of a jurisdiction, one sheet with its floors and lines, its actions
(recompute, approve, correct, discard), its Excel export, the what-if of a draft policy, and a secretary's
own lines. Rules live in stipends/services; these views only fetch (scoped), call and render."""
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from cadres.forms import apply_service_errors
from core.choices import Role
from core.models import AccessLog, Policy
from core.permissions import require_role
from core.scoping import ScopedViewMixin
from core.services.access_log import access_log_write, client_ip
from stipends import selectors
from stipends.choices import SheetState
from stipends.exports import sheet_export_title, sheet_export_xlsx
from stipends.filtersets import SheetPageFilterSet
from stipends.forms_sheets import (
    CorrectForm,
    JurisdictionYearForm,
    LineFilterForm,
    SheetBuildForm,
    StipendPolicyForm,
)
from stipends.models import StipendSheet
from stipends.services import sheets as svc

STAFF_AND_SUPERVISORS = (Role.STAFF, Role.SUPERVISOR)
PAGE_METHODS = ("GET", "HEAD", "POST")
READ_METHODS = ("GET", "HEAD")
LINES_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MSG_BUILD_STARTED = _("The sheet is being computed; it opens from this page when the job ends.")
MSG_APPROVED = _("The sheet is approved and frozen.")
MSG_CORRECTION_STARTED = _("Correction started: version {version} is a new draft.")
MSG_DISCARDED = _("The draft was discarded.")
MSG_POLICY_ADOPTED = _("The stipend policy of {unit} for {year} was saved.")
MSG_UNKNOWN_ACTION = _("Unknown action.")


def _refusals(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return list(exc.messages)


def _staff_or_supervisor(user) -> None:
    require_role(user, *STAFF_AND_SUPERVISORS)


# ---------------------------------------------------------------- the list, and computing a sheet

class SheetListView(LoginRequiredMixin, ScopedViewMixin, ListView):
    """R-STP-4: the sheets of the user's subtree by year, state and jurisdiction; staff compute one from here."""

    queryset = StipendSheet.objects.select_related("unit", "approved_by", "built_by")
    template_name = "stipends/sheets/list.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _staff_or_supervisor(request.user)  # a secretary reads their own line at /stipends/mine/
        return super().dispatch(request, *args, **kwargs)

    def scope_queryset(self, queryset):
        self.filterset = SheetPageFilterSet(self.request.GET or None, queryset=queryset, request=self.request)
        qs = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else queryset
        return qs.order_by("-year", "unit__path", "-version")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        for sheet in ctx["object_list"]:
            sheet.regime_labels = selectors.regime_labels(sheet.regimes)
        return {**ctx, "filter_form": self.filterset.form, "can_build": user.is_staff_role,
                "build_form": kwargs.get("build_form") or (SheetBuildForm(user=user) if user.is_staff_role else None)}

    def post(self, request, *args, **kwargs):
        require_role(request.user, Role.STAFF)
        form = SheetBuildForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                job = svc.sheet_build_start(unit=form.cleaned_data["unit"], year=form.cleaned_data["year"],
                                            user=request.user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.info(request, MSG_BUILD_STARTED)
                return redirect("job_detail", pk=job.pk)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(build_form=form), status=400)


# ---------------------------------------------------------------- one sheet

def _sheet_for(request, pk) -> StipendSheet:
    """A sheet of the user's subtree; a secretary reads their line at /stipends/mine/, never a sheet (404)."""
    if request.user.is_secretary_role:
        raise Http404
    try:
        return (StipendSheet.objects.visible_to(request.user).select_related("unit", "built_by", "approved_by")
                .get(pk=int(pk)))
    except (StipendSheet.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _act(request, sheet: StipendSheet, action: str):
    """Run one staff action; return a redirect, or the bound correction form with its errors."""
    user = request.user
    if action == "recompute":
        if sheet.state != SheetState.DRAFT:
            raise ValidationError(svc.MSG_SHEET_NOT_DRAFT.format(action=_("recomputed"),
                                                                 state=sheet.get_state_display()))
        job = svc.sheet_build_start(unit=sheet.unit, year=sheet.year, user=user)
        messages.info(request, MSG_BUILD_STARTED)
        return redirect("job_detail", pk=job.pk)
    if action == "approve":
        svc.sheet_approve(sheet=sheet, user=user)
        messages.success(request, MSG_APPROVED)
        return redirect("stipends:sheet", pk=sheet.pk)
    if action == "correct":
        form = CorrectForm(request.POST)
        form.is_valid()
        try:
            new = svc.sheet_correct(sheet=sheet, user=user, reason=form.cleaned_data.get("correction_reason", ""))
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "correction_reason" in exc.error_dict:
                apply_service_errors(form, exc)
                return form
            raise
        messages.success(request, MSG_CORRECTION_STARTED.format(version=new.version))
        return redirect("stipends:sheet", pk=new.pk)
    if action == "discard":
        previous = sheet.previous_id
        svc.sheet_discard(sheet=sheet, user=user)
        messages.success(request, MSG_DISCARDED)
        return redirect("stipends:sheet", pk=previous) if previous else redirect("stipends:sheets")
    raise ValidationError(MSG_UNKNOWN_ACTION)


@login_required
def sheet_detail(request, pk):
    """R-STP-2..4, R-POL-2: a sheet's head, its floors, its lines (filtered, 50 a page, subtotals per township),
    each line explaining itself from the policy values the sheet stored; staff act on it from here."""
    sheet = _sheet_for(request, pk)
    if request.method not in PAGE_METHODS:
        return HttpResponseNotAllowed(PAGE_METHODS)
    correct_form = CorrectForm()
    status = 200
    if request.method == "POST":
        require_role(request.user, Role.STAFF)
        try:
            outcome = _act(request, sheet, request.POST.get("action", ""))
        except ValidationError as exc:
            for m in _refusals(exc):
                messages.error(request, m)
            return redirect("stipends:sheet", pk=sheet.pk)
        if not isinstance(outcome, CorrectForm):
            return outcome
        correct_form, status = outcome, 400
    return render(request, "stipends/sheets/detail.html", _detail_context(request, sheet, correct_form),
                  status=status)


def _detail_context(request, sheet: StipendSheet, correct_form) -> dict:
    townships = selectors.sheet_townships(sheet=sheet)
    filter_form = LineFilterForm(request.GET or None, townships=townships)
    lines = selectors.lines_filter(selectors.sheet_lines(sheet=sheet), **filter_form.values())
    page_obj = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [selectors.line_display(line, sheet=sheet) for line in page_obj.object_list]
    filtered = request.GET.keys() - {"page"}
    user = request.user
    staff = user.is_staff_role
    versions = selectors.sheet_versions(sheet=sheet)
    # R-STP-4: a correction shows what it changes against the version it corrects, in total too.
    corrected = next((v for v in versions if v.pk == sheet.previous_id), None)
    return {
        "corrected": corrected, "total_difference": sheet.total - corrected.total if corrected else None,
        "sheet": sheet, "regime_labels": selectors.regime_labels(sheet.regimes),
        "floors": selectors.floor_display(sheet.floors), "rows": rows, "page_obj": page_obj,
        "filter_form": filter_form, "subtotals": selectors.township_subtotals(lines),
        "filtered": bool(filtered), "versions": versions,
        "is_correction": bool(sheet.previous_id), "staff": staff,
        "can_recompute": staff and sheet.state == SheetState.DRAFT,
        "can_approve": staff and sheet.state == SheetState.DRAFT and sheet.built_at is not None,
        "can_discard": staff and sheet.state == SheetState.DRAFT,
        "can_correct": staff and sheet.state == SheetState.APPROVED,
        "can_preview": staff, "correct_form": correct_form,
        "money_lines": sheet.line_count - sheet.workload_credit_count,
    }


@login_required
def sheet_export(request, pk):
    """R-STP-4: the whole sheet as .xlsx — every line, a subtotal per township, the grand total (= the page's).
    Written to the access log: the file holds every secretary's pay (R-SEC-1)."""
    sheet = _sheet_for(request, pk)
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)
    content, count = sheet_export_xlsx(sheet=sheet)
    access_log_write(user=request.user, action=AccessLog.ACTION_EXPORT,
                     object_type=StipendSheet._meta.label_lower, object_id=sheet.pk,
                     fields=["person", "amount"], rows=count, ip=client_ip(request),
                     purpose=str(_("Stipend sheet export")))
    response = HttpResponse(content, content_type=XLSX)
    name = f"{sheet_export_title(sheet)}.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"stipend-sheet-{sheet.pk}.xlsx\"; filename*=UTF-8''{quote(name)}")
    return response


# ---------------------------------------------------------------- what-if (R-STP-2, R-POL-1)

@login_required
def sheet_preview_page(request):
    """Issue 10 item 2: the sheet under the jurisdiction's own policy as drafted here, side by side with the
    policy in force; adopting saves the draft as the jurisdiction's policy through the policy validation."""
    require_role(request.user, Role.STAFF)
    if request.method not in PAGE_METHODS:
        return HttpResponseNotAllowed(PAGE_METHODS)
    source = request.POST if request.method == "POST" else request.GET
    query = JurisdictionYearForm({"unit": source.get("unit"), "year": source.get("year")} if source.get("unit")
                                 else None, user=request.user)
    context = {"query": query, "preview": None, "policy_form": None, "draft": None}
    if not (query.is_bound and query.is_valid()):
        bad = query.is_bound or request.method == "POST"  # a POST names the jurisdiction it drafts for
        return render(request, "stipends/sheets/preview.html", context, status=400 if bad else 200)
    unit, year = query.cleaned_data["unit"], query.cleaned_data["year"]
    own = Policy.objects.filter(unit=unit, year=year).first()
    instance = own or Policy(unit=unit, year=year)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = StipendPolicyForm(request.POST if action else None, instance=instance, unit=unit, year=year)
    context.update(unit=unit, year=year, policy_form=form, own_policy=own,
                   draft=selectors.sheet_draft_for(unit_id=unit.pk, year=year),
                   adopted=request.GET.get("adopted") == "1")
    status = 200
    if action in ("preview", "adopt"):
        status = 400
        if form.is_valid():
            values = form.draft_values()
            try:
                preview = svc.sheet_preview(unit=unit, year=year, values=values, user=request.user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                status = 200
                if action == "adopt":
                    policy = form.save()
                    messages.success(request, MSG_POLICY_ADOPTED.format(unit=unit.name, year=year))
                    return redirect(f"{reverse('stipends:preview')}?unit={policy.unit_id}&year={year}&adopted=1")
                context["preview"] = _preview_rows(preview)
    elif action:
        messages.error(request, MSG_UNKNOWN_ACTION)
        status = 400
    return render(request, "stipends/sheets/preview.html", context, status=status)


def _preview_rows(preview) -> dict:
    rows = []
    for r in preview.rows:
        line = r.line
        rows.append({"person": line.person_name, "branch": line.unit_name, "township": line.township_name,
                     "current": r.current.amount if r.current else None,
                     "draft": r.draft.amount if r.draft else None, "difference": r.difference,
                     "changed": bool(r.difference)})
    rows.sort(key=lambda x: (x["township"], x["branch"], x["person"]))
    return {"rows": rows, "current_total": preview.current.total, "draft_total": preview.draft.total,
            "difference": preview.difference, "changed": len(preview.changed_rows),
            "current_regimes": selectors.regime_labels(preview.current.regimes),
            "draft_regimes": selectors.regime_labels(preview.draft.regimes),
            "current_flagged": preview.current.flagged_count, "draft_flagged": preview.draft.flagged_count,
            "draft_floors": selectors.floor_display(preview.draft.floors)}


# ---------------------------------------------------------------- a secretary's own lines

@login_required
def my_stipend(request):
    """Issue 10 item 6: a secretary's own lines in approved sheets — year, branch, amount and why; nothing else."""
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)
    rows = [selectors.line_display(line, sheet=line.sheet) for line in selectors.my_lines(user=request.user)]
    return render(request, "stipends/sheets/mine.html", {"rows": rows})

