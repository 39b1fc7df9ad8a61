"""Pages of the training app: courses, attendances, the compliance report, the Excel import."""
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from core.choices import JobState, Role, Sector
from core.models import Job
from core.permissions import RoleRequiredMixin
from core.scoping import ScopedViewMixin
from core.services.jobs import job_create, job_refuse, job_run

from .choices import ComplianceRule, ComplianceStatus
from .filtersets import CourseFilterSet
from .forms import AttendanceForm, AttendanceImportForm, ComplianceFilterForm, CourseForm
from .models import Attendance, Course
from .selectors import (
    chart_bars,
    secretary_training_panel,
    training_compliance_report,
    training_due_soon,
)
from .services.attendances import attendance_record
from .services.compliance import days_display
from .services.courses import course_create
from .services.imports import (
    ERR_IMPORT_INVALID,
    attendance_import_commit,
    attendance_import_preview,
    attendance_import_rejected,
    attendance_import_template,
)

IMPORT_JOB_KIND = "training.attendance_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERR_IMPORT_ALREADY_DONE = gettext_lazy("This file has been imported already.")


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _add_errors(form, exc: ValidationError) -> None:
    for name, msgs in exc.message_dict.items():
        for msg in msgs:
            form.add_error(name if name in form.fields else None, msg)


class CourseListView(LoginRequiredMixin, ScopedViewMixin, ListView):
    queryset = Course.objects.select_related("organiser")
    template_name = "training/course_list.html"
    paginate_by = 50

    def scope_queryset(self, queryset):
        self.filterset = CourseFilterSet(self.request.GET or None, queryset=queryset, request=self.request)
        return self.filterset.qs if self.filterset.is_bound else queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(filterset=self.filterset, **kwargs)


class CourseDetailView(LoginRequiredMixin, ScopedViewMixin, DetailView):
    queryset = Course.objects.select_related("organiser")
    template_name = "training/course_detail.html"

    def get_context_data(self, **kwargs):
        attendances = (
            Attendance.objects.visible_to(self.request.user)
            .filter(course=self.object).select_related("person", "person__unit").order_by("person__name")
        )
        can_edit = Course.objects.writable_by(self.request.user).filter(pk=self.object.pk).exists()
        return super().get_context_data(attendances=attendances, can_edit=can_edit, **kwargs)


class CourseCreateView(RoleRequiredMixin, FormView):
    form_class = CourseForm
    template_name = "training/course_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            course = course_create(data=form.cleaned_data, user=self.request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Course %(name)s saved.") % {"name": course.name})
        return redirect("training:course-detail", pk=course.pk)


class AttendanceCreateView(RoleRequiredMixin, FormView):
    form_class = AttendanceForm
    template_name = "training/attendance_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        course = self.request.GET.get("course")
        return {"course": course, "completed": True} if course else {"completed": True}

    def form_valid(self, form):
        try:
            attendance = attendance_record(data=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Attendance of %(person)s recorded.") % {"person": attendance.person.name})
        if "another" in self.request.POST:
            return redirect(reverse("training:attendance-create") + f"?course={attendance.course_id}")
        return redirect("training:course-detail", pk=attendance.course_id)


class ComplianceView(LoginRequiredMixin, TemplateView):
    """R-TRN-5: the compliance report page; rows come from the scoped selector."""

    template_name = "training/compliance.html"

    def get_context_data(self, **kwargs):
        form, report = compliance_report_for(self.request)
        # The counts cover the whole jurisdiction; the table shows one page of the rows.
        page_obj = Paginator(report["rows"], 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            form=form, report=report, page_obj=page_obj, bars=chart_bars(report["counts"]), rules=ComplianceRule,
            **kwargs,
        )


def compliance_report_for(request):
    """The filter form and the R-TRN-5 report it asks for: the compliance page and its export."""
    form = ComplianceFilterForm(request.GET or None, user=request.user)
    return form, training_compliance_report(user=request.user, **form.params())


def _outcome_text(outcome) -> str:
    return "" if outcome is None else str(ComplianceStatus(outcome[0]).label)


SECTOR_LABELS = dict(Sector.choices)
COMPLIANCE_HEADERS = ("单位", "领域", "姓名", "任职日期", "任期届满", "初任培训", "初任培训截止", "初任培训完成",
                      "年度培训天数", "年度应训天数", "年度培训", "党校轮训次数", "党校轮训")


def compliance_export_row(row) -> list:
    """A row of the compliance file from the row's outcomes and values: a whole city's file builds
    no explanation (R-POL-2 is the page's and the API's, row by row)."""
    initial = row.outcome(ComplianceRule.INITIAL.value)
    return [
        row.unit_name, str(SECTOR_LABELS.get(row.unit_sector, row.unit_sector)), row.name,
        row.start_date, row.planned_end_date,
        _outcome_text(initial), initial[1] if initial else None, row.initial_on if initial else None,
        float(days_display(row.days)), float(row.policy.annual_training_days),
        _outcome_text(row.outcome(ComplianceRule.ANNUAL.value)),
        row.rotations, _outcome_text(row.outcome(ComplianceRule.ROTATION.value)),
    ]


def due_soon_rows(request) -> list:
    """R-TRN-1 deadlines in the next days, then the overdue ones: the due-soon page and its export."""
    panel = training_due_soon(user=request.user)
    return [("即将到期", row) for row in panel["due"]] + [("已逾期", row) for row in panel["overdue"]]


class DueSoonView(RoleRequiredMixin, TemplateView):
    """Staff and supervisors: R-TRN-1 deadlines in the next 30 days and overdue ones."""

    allowed_roles = (Role.STAFF, Role.SUPERVISOR)
    template_name = "training/due_soon.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(panel=training_due_soon(user=self.request.user), **kwargs)


class MyTrainingView(LoginRequiredMixin, TemplateView):
    """A secretary's own training record and next deadline."""

    template_name = "training/my_training.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(panel=secretary_training_panel(self.request.user), **kwargs)


class ImportTemplateView(LoginRequiredMixin, View):
    def get(self, request):
        return _xlsx_response(attendance_import_template(), "attendance-import-template.xlsx")


def _import_job(request, pk) -> Job:
    """Import jobs belong to the user who uploaded them (OwnedQuerySet); anyone else gets 404."""
    return get_object_or_404(Job.objects.visible_to(request.user), pk=pk, kind=IMPORT_JOB_KIND)


class ImportUploadView(RoleRequiredMixin, FormView):
    """R-TRN-5: upload an attendance workbook; nothing is written before the preview is confirmed."""

    form_class = AttendanceImportForm
    template_name = "training/import_upload.html"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            preview = attendance_import_preview(user=self.request.user, file=upload)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        job = job_create(kind=IMPORT_JOB_KIND, user=self.request.user, params={"filename": upload.name})
        upload.seek(0)
        job.file.save(upload.name, ContentFile(upload.read()), save=False)
        job.result = preview.summary()
        job.save(update_fields=["file", "result"])
        if job.result.get("errors"):
            # Refused: this upload can never be confirmed, so its job ends now with the reason (R-JOB-3).
            job_refuse(job_id=job.pk, error=str(ERR_IMPORT_INVALID), result=job.result)
        return redirect("training:import-preview", pk=job.pk)


class ImportPreviewView(RoleRequiredMixin, TemplateView):
    """The rows to create and the errors by row and column; confirming writes all or nothing."""

    template_name = "training/import_preview.html"

    def get_context_data(self, **kwargs):
        job = _import_job(self.request, kwargs["pk"])
        return super().get_context_data(job=job, preview=job.result or {}, **kwargs)

    def post(self, request, pk):
        job = _import_job(request, pk)

        def work(report):
            with job.file.open("rb") as fh:
                created = attendance_import_commit(user=request.user, file=io.BytesIO(fh.read()))
            return {**(job.result or {}), "created": created}

        # R-JOB-3: a file refused now (the data changed since the preview) ends the job as failed.
        done = job_run(job_id=job.pk, work=work, refused_on=(ValidationError,))
        if done is None:  # confirmed already (a second click, another tab) or failed already
            job.refresh_from_db()
            messages.error(request, job.error if job.state == JobState.FAILED else ERR_IMPORT_ALREADY_DONE)
            return redirect("training:import-preview", pk=job.pk)
        if done.state == JobState.FAILED:
            messages.error(request, done.error)
            return redirect("training:import-preview", pk=pk)
        job = done
        messages.success(request, _("%(n)d attendances imported.") % {"n": job.result["created"]})
        return redirect(reverse("training:compliance"))


class ImportRejectedView(RoleRequiredMixin, View):
    """R-SEC-3: the uploaded rows back with the error beside each, to fix and upload again."""

    def get(self, request, pk):
        job = _import_job(request, pk)
        if not job.file:
            raise Http404
        with job.file.open("rb") as fh:
            data = io.BytesIO(fh.read())
        try:
            preview = attendance_import_preview(user=request.user, file=data)
        except ValidationError:
            raise Http404 from None
        return _xlsx_response(attendance_import_rejected(preview=preview, file=data), "attendance-import-errors.xlsx")
