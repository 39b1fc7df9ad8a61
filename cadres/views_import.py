"""Pages for Excel import and export (R-SEC-3): upload → preview → confirm, rejected rows as a file, exports.

The uploaded file is kept under MEDIA_ROOT/imports/ (until applied) and named on a Job row owned by the
uploader (R-JOB-3); preview, rejected-rows download and confirm each read it again, so
nothing is held in the session and the confirm step applies exactly what was checked —
or nothing, when the data changed in between.
"""
import re
import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from cadres.imports.members import members_import_preview
from cadres.imports.readers import KIND_MEMBERS, KIND_ROSTER, KIND_UNITS, read_table
from cadres.imports.rejects import rejected_rows_xlsx
from cadres.imports.roster import ERR_HAS_ERRORS, roster_import_preview
from cadres.imports.units import units_import
from cadres.tasks import apply_import
from cadres.services.personal_data import export_reveal_check, export_reveal_log, reveal_fields_parse
from cadres.resources import (
    ROSTER_TITLE,
    AppointmentResource,
    PersonResource,
    RosterResource,
    dataset_csv,
    dataset_xlsx,
)
from core.choices import JobState, Role
from core.uploads import upload_check_size
from core.models import Job
from core.permissions import RoleRequiredMixin
from core.scoping import access_by_id
from core.services.access_log import client_ip
from core.formatting import list_text
from core.services.jobs import job_create, job_enqueue, job_refuse

IMPORT_JOB_KINDS = {KIND_ROSTER: "import_roster", KIND_UNITS: "import_units", KIND_MEMBERS: "import_members"}
PREVIEW_ROWS_SHOWN = 500

MSG_APPLIED = _("Imported: {summary}.")
MSG_ALREADY_APPLIED = _("This file has been imported already.")
MSG_NOT_APPLIED = _("Nothing was written: {error}")
MSG_RUNNING = _("The import is being written; this page shows when it is done.")
REFUSED_AT_CHECK = "check"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[(KIND_ROSTER, _("Roster of secretaries (花名册)")), (KIND_UNITS, _("List of organisations"))],
        initial=KIND_ROSTER,
    )
    file = forms.FileField(label=_("File"), help_text=_("An Excel workbook (.xlsx or .xls) or a CSV file."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            upload_check_size(name=upload.name, size=upload.size)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["file"]) from None
        return upload


def _import_job(request, pk) -> Job:
    """The uploader's own import job; anyone else's is 404 (jobs are never shared along the tree)."""
    job = access_by_id(Job, user=request.user, pk=pk)
    if job.kind not in IMPORT_JOB_KINDS.values() or not job.params.get("path"):
        raise Http404
    return job


def _read_job_file(job: Job):
    if not default_storage.exists(job.params["path"]):
        raise Http404  # applied already: the upload is deleted once its rows are written
    with default_storage.open(job.params["path"], "rb") as handle:
        data = handle.read()
    return read_table(data, filename=job.params.get("filename", ""), kind=job.params.get("kind"))


def _check(job: Job, user) -> dict:
    """Read the stored file and check it without writing: the same for preview, rejected rows and confirm."""
    try:
        table = _read_job_file(job)
    except ValidationError as exc:
        return {"table": None, "file_errors": exc.messages, "errors": [], "plans": [], "units": []}
    if job.params.get("kind") == KIND_UNITS:
        units, errors = units_import(user=user, table=table, dry_run=True)
        return {"table": table, "file_errors": [], "errors": errors, "plans": [], "units": units}
    if job.params.get("kind") == KIND_MEMBERS:
        preview = members_import_preview(user=user, table=table)
        return {"table": table, "file_errors": [], "errors": preview.errors, "plans": preview.plans, "units": [],
                "member_counts": preview.counts()}
    preview = roster_import_preview(user=user, rows=table)
    return {"table": table, "file_errors": [], "errors": preview.errors, "plans": preview.plans, "units": [],
            "preview": preview, "counts": preview.counts()}


class ImportStoreMixin:
    """An upload form's valid file: read once (a refused workbook is an error on the field), stored on a
    pending job, then the preview page. The view names the kind of import in ``import_kind(form)``."""

    def import_kind(self, form) -> str:
        return form.cleaned_data["kind"]

    def form_valid(self, form):
        upload, kind = form.cleaned_data["file"], self.import_kind(form)
        data = upload.read()
        try:
            read_table(data, filename=upload.name, kind=kind)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
            return self.form_invalid(form)
        job = import_job_store(user=self.request.user, kind=kind, filename=upload.name, data=data)
        return redirect("cadres:import-preview", pk=job.pk)


class ImportUploadView(RoleRequiredMixin, ImportStoreMixin, FormView):
    """Staff upload a roster or a unit list; the file is stored and checked on the next page."""

    template_name = "cadres/import_upload.html"
    form_class = ImportForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(exports=export_links(), **kwargs)


def import_job_store(*, user, kind: str, filename: str, data: bytes) -> Job:
    """Keep an upload under MEDIA_ROOT/imports/ and name it on a pending job of its uploader."""
    safe_name = re.sub(r"[^\w.\-]+", "_", filename)[-80:] or "upload"
    stored = default_storage.save(f"imports/{uuid.uuid4().hex}/{safe_name}", ContentFile(data))
    # Kept in params, not in Job.file: the jobs page offers Job.file for download, and the
    # upload (ID numbers included) must not be served from the media URL.
    return job_create(kind=IMPORT_JOB_KINDS[kind], user=user,
                      params={"kind": kind, "filename": filename, "path": stored})


class ImportPreviewView(RoleRequiredMixin, TemplateView):
    """What the file would create and update, and every error by row and column — nothing written yet."""

    template_name = "cadres/import_preview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = _import_job(self.request, kwargs["pk"])
        context["job"] = job
        context["kind"] = job.params.get("kind")
        context["filename"] = job.params.get("filename", "")
        context["upload_url"] = reverse("cadres:member_development_import" if context["kind"] == KIND_MEMBERS
                                        else "cadres:import-upload")
        if job.state == JobState.SUCCEEDED:
            context["result"] = job.result or {}
            return context
        refused_at_check = (job.result or {}).get("refused") == REFUSED_AT_CHECK
        if job.state == JobState.FAILED and not refused_at_check:
            # refused at confirm, timed out or its worker lost: start anew
            context.update(failed=True, can_confirm=False)
            return context
        if job.state == JobState.RUNNING or job.enqueued_at:
            context["running"] = True
            return context
        checked = _check(job, self.request.user)
        context.update(checked)
        context["plans_shown"] = checked["plans"][:PREVIEW_ROWS_SHOWN]
        context["units_shown"] = checked["units"][:PREVIEW_ROWS_SHOWN]
        context["can_confirm"] = job.state == JobState.PENDING and not checked["file_errors"] and not checked["errors"]
        if not context["can_confirm"] and job.state == JobState.PENDING:
            # Refused: the upload can never be confirmed, so its job ends now, with the reason (R-JOB-3).
            reason = (ERR_HAS_ERRORS if checked["errors"]
                      else "；".join(str(m) for m in checked["file_errors"]))
            job_refuse(job_id=job.pk, error=str(reason), result={"refused": REFUSED_AT_CHECK,
                                                                 "errors": len(checked["errors"])})
            job.refresh_from_db()
        return context


def _summary(result: dict) -> str:
    labels = {
        "units_created": _("units created"), "people_created": _("people created"),
        "people_updated": _("people updated"), "appointments_created": _("appointments created"),
        "appointments_updated": _("appointments updated"), "unchanged": _("rows unchanged"),
        "members_created": _("years recorded"), "members_updated": _("years corrected"),
    }
    return list_text([f"{labels[k]} {result[k]}" for k in labels if k in result])


class ImportConfirmView(RoleRequiredMixin, View):
    """Apply a checked file: all rows in one transaction, or nothing (R-SEC-3); a second confirm does nothing.

    The writing is a job (``cadres.tasks.apply_import``): a worker runs it in production, the
    request itself in eager mode. A file refused at this point ends the job as failed (R-JOB-3).
    """

    def post(self, request, pk):
        job = _import_job(request, pk)
        sent = job.state == JobState.PENDING and not job.enqueued_at
        if sent:
            job_enqueue(job=job, task=apply_import, on_commit=False)
        job.refresh_from_db()
        if job.state == JobState.SUCCEEDED:
            if sent:
                messages.success(request, MSG_APPLIED.format(summary=_summary(job.result or {})))
            else:
                messages.info(request, MSG_ALREADY_APPLIED)
        elif job.state == JobState.FAILED:
            messages.error(request, MSG_NOT_APPLIED.format(error=job.error))
        else:
            messages.info(request, MSG_RUNNING)
        return redirect("cadres:import-preview", pk=job.pk)


def _attachment(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


class ImportErrorsFileView(RoleRequiredMixin, View):
    """R-SEC-3: the rejected rows with 错误说明 beside each, to fix and upload again."""

    def get(self, request, pk):
        job = _import_job(request, pk)
        checked = _check(job, request.user)
        if checked["table"] is None:
            raise Http404
        content = rejected_rows_xlsx(table=checked["table"], errors=checked["errors"])
        stem = re.sub(r"\.[^.]+$", "", job.params.get("filename", "import"))
        return _attachment(content, filename=f"{stem}-待修改.xlsx", content_type=XLSX_TYPE)


class ExportView(RoleRequiredMixin, View):
    """An export of the user's subtree as .xlsx or CSV (UTF-8 with BOM). ID numbers and phones are
    masked unless staff ask (``?reveal=id_number,phone&purpose=…``); that export is logged (R-SEC-1)."""

    allowed_roles = (Role.STAFF, Role.SUPERVISOR)
    resource_class = None
    filename = ""
    title = None

    def get(self, request):
        reveal, purpose = set(), ""
        if "reveal" in request.GET:
            try:
                reveal, purpose = export_reveal_check(
                    user=request.user, fields=reveal_fields_parse(request.GET.get("reveal")),
                    purpose=request.GET.get("purpose", ""))
            except ValidationError as exc:
                return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
        dataset = self.resource_class(user=request.user, reveal=reveal).export()
        if reveal:
            export_reveal_log(user=request.user, object_type=self.resource_class._meta.model._meta.label_lower,
                              fields=reveal, rows=len(dataset), purpose=purpose, ip=client_ip(request))
        stamp = timezone.localdate().strftime("%Y%m%d")
        if request.GET.get("format") == "csv":
            return _attachment(dataset_csv(dataset), filename=f"{self.filename}-{stamp}.csv", content_type=CSV_TYPE)
        return _attachment(dataset_xlsx(dataset, title=self.title), filename=f"{self.filename}-{stamp}.xlsx",
                           content_type=XLSX_TYPE)


class PeopleExportView(ExportView):
    resource_class = PersonResource
    filename = "人员"


class AppointmentsExportView(ExportView):
    resource_class = AppointmentResource
    filename = "任职"


class RosterExportView(ExportView):
    resource_class = RosterResource
    filename = "党支部书记花名册"
    title = ROSTER_TITLE


REVEAL_QUERY = "?reveal=id_number,phone"


def export_links() -> list[dict]:
    """The export buttons of the upload page (its viewers are staff): masked, and unmasked (logged, R-SEC-1)."""
    links = [
        (_("Roster of secretaries"), reverse("cadres:export-roster")),
        (_("People"), reverse("cadres:export-people")),
        (_("Appointments"), reverse("cadres:export-appointments")),
    ]
    return [{"label": label, "url": url, "unmasked_url": url + REVEAL_QUERY} for label, url in links]
