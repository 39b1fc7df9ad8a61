"""Long exports run as jobs (R-JOB-3): the file lands on the job row, only its owner downloads it."""
import io

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.models import Job, User
from core.selectors import enterprise_coverage, org3_problem_label

# A cell whose text starts with one of these is run as a formula by Excel, WPS or LibreOffice
# (=HYPERLINK(...) calling out, +cmd|... in old Excel); tab and CR hide such a start (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """R-SEC-1: text that a spreadsheet would evaluate gets a leading apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    """Every cell of an exported row through ``safe_cell``: every .xlsx and CSV export writes rows through this."""
    return [safe_cell(v) for v in values]


def enterprise_coverage_export(*, job: Job, report) -> dict:
    """R-ORG-3 report as an .xlsx attached to ``job``; ``report(progress, message)`` shows progress."""
    user = User.objects.select_related("unit").get(pk=job.created_by_id)
    year = int(job.params.get("year"))
    report(10, _("Reading enterprises"))
    rows = enterprise_coverage(user=user, year=year)
    wb = Workbook()
    ws = wb.active
    ws.title = str(year)
    ws.append([_("code"), _("name"), _("employees"), _("party members"), _("problem")])
    for i, row in enumerate(rows, 1):
        ws.append(safe_row([row["unit"].code, row["unit"].name, row["employees"], row["members"],
                            org3_problem_label(row)]))
        if i % 500 == 0:
            report(10 + int(80 * i / len(rows)), _("Writing rows"))
    buffer = io.BytesIO()
    wb.save(buffer)
    # Store the file, then write only its column: ``job`` was loaded before job_run marked it
    # running, and saving the whole row would put the stale state back.
    filename = f"非公企业党组织覆盖情况-{year}.xlsx"  # the same name as the page's export (core.exports)
    job.file.save(filename, ContentFile(buffer.getvalue()), save=False)
    Job.objects.filter(pk=job.pk).update(file=job.file.name, params={**job.params, "filename": filename})
    return {"rows": len(rows), "year": year}


def table_export_job(*, job: Job, report) -> dict:
    """A page's table export (core.exports) written by a job: the page's rows rebuilt for the job's owner
    from the query string the page had, in the language the page was read in."""
    from django.utils import translation

    from core.exports import export_file, export_get, export_request

    export = export_get(job.params.get("export", ""))
    if export is None:
        raise ValueError(f"unknown export {job.params.get('export')!r}")
    user = User.objects.select_related("unit").get(pk=job.created_by_id)
    fmt = job.params.get("format", "xlsx")
    with translation.override(job.params.get("language") or None):
        report(10, _("Reading rows"))
        request = export_request(user=user, query=job.params.get("query", ""))
        content, rows = export_file(export, request=request, fmt=fmt, report=report)
        report(90, _("Writing rows"))
        filename = export.filename(request, fmt)
    job.file.save(filename, ContentFile(content), save=False)
    params = {**job.params, "filename": filename}
    Job.objects.filter(pk=job.pk).update(file=job.file.name, params=params)
    return {"rows": rows, "file": filename}
