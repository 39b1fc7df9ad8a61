"""R-MEM-1 pages: new members per branch and year, entered in place or imported, with the flagged villages.

Rows come through ``OrgUnit.objects.visible_to`` (R-ORG-2): a secretary sees their own branch only.
Writing is for staff, through ``member_development_set``; the import reuses the registry's
upload → preview → confirm machinery (cadres.views_import, core.Job).
"""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django.views.generic import FormView

from cadres.imports.readers import KIND_MEMBERS
from cadres.selectors_members import (
    STATE_FLAGGED,
    STATE_NOT_JUDGED,
    STATE_NOT_RECORDED,
    STATE_OK,
    member_development_statuses,
)
from cadres.services.members import member_development_set
from cadres.views import _explained, _year
from cadres.views_import import ImportStoreMixin
from core.choices import BRANCH_LEVELS, Level, Sector
from core.models import OrgUnit
from core.permissions import RoleRequiredMixin
from core.selectors import anchor_unit
from core.uploads import upload_check_size

PAGE_SIZE = 50
MSG_SAVED = _("{unit}: {year} recorded, {count} new members.")
ERR_UNKNOWN_BRANCH = _("No such branch in your jurisdiction.")
STATE_CHOICES = [("", _("any")), (STATE_FLAGGED, _("Flagged: no new member")),
                 (STATE_NOT_RECORDED, _("Not recorded")), (STATE_OK, _("Developing members"))]


class MemberFilterForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2200, required=False)
    township = forms.ModelChoiceField(label=_("township"), queryset=OrgUnit.objects.none(), required=False,
                                      empty_label=_("All"))
    sector = forms.ChoiceField(label=_("sector"), choices=[("", _("any")), *Sector.choices], required=False)
    state = forms.ChoiceField(label=_("R-MEM-1 status"), choices=STATE_CHOICES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = (OrgUnit.objects.visible_to(user)
                                            .filter(level__in=(Level.TOWNSHIP, Level.SYSTEM)).order_by("path"))


def member_development_rows(request) -> dict:
    """The page's rows (and its export's): every branch the user sees, its years and its R-MEM-1 status."""
    year = _year(request)
    form = MemberFilterForm(request.GET or None, user=request.user, initial={"year": year})
    data = form.cleaned_data if form.is_valid() else {}
    units = OrgUnit.objects.visible_to(request.user).filter(level__in=BRANCH_LEVELS, is_active=True)
    if data.get("township"):
        units = units.filter(path__startswith=data["township"].path)
    if data.get("sector"):
        units = units.filter(sector=data["sector"])
    statuses = member_development_statuses(units=units.order_by("path"), year=year, extra_years=1)
    counts = {s: 0 for s in (STATE_FLAGGED, STATE_NOT_RECORDED, STATE_OK, STATE_NOT_JUDGED)}
    for s in statuses:
        counts[s.state] += 1
    if data.get("state"):
        statuses = [s for s in statuses if s.state == data["state"]]
    years = sorted({y for s in statuses for y in s.counts}) or [year - 1, year]
    return {"year": year, "form": form, "statuses": statuses, "years": years, "counts": counts}


def status_years_text(status) -> str:
    return "；".join(f"{y}年{'未填报' if status.counts.get(y) is None else str(status.counts[y]) + '人'}"
                     for y in sorted(status.counts))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_development_page(request):
    """R-MEM-1: new members per branch over the policy's window and one year more; staff enter them in place."""
    if request.method == "POST":
        return _save(request)
    context = member_development_rows(request)
    page_obj = Paginator(context["statuses"], PAGE_SIZE).get_page(request.GET.get("page"))
    for s in page_obj:
        s.cells = [s.counts.get(y) for y in context["years"]]
        s.window_text = "、".join(f"{y}年" for y in s.window)
        s.missing_text = "、".join(f"{y}年" for y in s.missing_years)
        s.current = s.counts.get(context["year"])
    anchor = anchor_unit(user=request.user)
    context.update(
        page_obj=page_obj, rows=page_obj,
        can_edit=request.user.is_staff_role,
        explanation=_explained(anchor, context["year"], "no_new_member_years"),
        query=request.GET.urlencode(),
    )
    return render(request, "cadres/member_development.html", context)


def _save(request):
    """One branch's count for one year, from the row's own form (works without JavaScript)."""
    if not request.user.is_staff_role:
        raise PermissionDenied
    back = request.POST.get("back", "")
    back_url = "?" + back if back and not back.startswith(("/", "http")) else ""
    raw_unit, raw_year, raw_count = (request.POST.get(k, "").strip() for k in ("unit", "year", "new_members"))
    unit = None
    if raw_unit.isascii() and raw_unit.isdigit() and 0 < int(raw_unit) < 2**63:
        unit = OrgUnit.objects.visible_to(request.user).filter(pk=int(raw_unit)).first()
    try:
        if unit is None:
            raise ValidationError({"unit": [ERR_UNKNOWN_BRANCH]})
        year = int(raw_year) if raw_year.isascii() and raw_year.isdigit() and len(raw_year) <= 4 else None
        count = int(raw_count) if raw_count.isascii() and raw_count.isdigit() and len(raw_count) <= 9 else None
        row = member_development_set(unit=unit, year=year, new_members=count, note=request.POST.get("note", "")[:400],
                                     by=request.user)
    except ValidationError as exc:
        labels = {"unit": _("branch"), "year": _("year"), "new_members": _("new members"), "note": _("note")}
        for field, errors in exc.message_dict.items():
            for e in errors:
                messages.error(request, f"{unit.name + '：' if unit else ''}{labels.get(field, field)}：{e}")
        return redirect(f"{request.path}{back_url}")
    messages.success(request, MSG_SAVED.format(unit=unit.name, year=row.year, count=row.new_members))
    return redirect(f"{request.path}{back_url}")


class MemberImportForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_(
        "An Excel workbook (.xlsx or .xls) or a CSV file with the columns 组织名称 (or 组织代码), 年度, 新发展党员数."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            upload_check_size(name=upload.name, size=upload.size)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["file"]) from None
        return upload


class MemberDevelopmentImportView(RoleRequiredMixin, ImportStoreMixin, FormView):
    """R-MEM-1, R-SEC-3: upload a sheet of new members; it is checked on the preview page, then confirmed."""

    template_name = "cadres/member_development_import.html"
    form_class = MemberImportForm

    def import_kind(self, form) -> str:
        return KIND_MEMBERS
