"""Table exports of list and report pages (issue 8 item 4; R-SEC-1, R-JOB-3, R-ORG-2).

An app declares each export once, from its ``AppConfig.ready()`` (core imports no app)::

    register_export(TableExport(
        name="people", title="人员", page="cadres:people", template="cadres/person_list.html",
        headers=("姓名", ...), source=list_view_source(PersonListView), row=lambda p: [p.name, ...]))

``source(request)`` returns the rows of the page — for a list page the view's own ``get_queryset()``
(its filterset, search box and scoping, built on the request's query string), for a report the
same selector call the page makes — so the file holds exactly what the page's filters show,
and a filter added to a view later flows into its export by itself. ``row(item)`` turns one
item into the cells under ``headers`` (Chinese, like the files counties keep).

The page includes ``templates/core/_export.html`` (buttons "导出 Excel" / "导出 CSV" carrying the
current query string); ``/exports/<name>.xlsx`` and ``/exports/<name>.csv`` answer the roles
that see the page (``roles``; None: every logged-in user), rows scoped to the user's subtree.
Every cell passes ``safe_row`` (formula neutralisation); ID numbers and phones appear only masked
(``Person.masked_id_number``, ``masked_phone``): the unmasked, logged export stays the import page's
(cadres/export/…). Above ``ZHISHU_EXPORT_SYNC_MAX_ROWS`` rows the file is written by a job
(``core.tasks.export_table``) and the user is sent to the job's page.
"""
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.services.exports import safe_row

XLSX = "xlsx"
CSV = "csv"
FORMATS = (XLSX, CSV)
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}
JOB_KIND = "table_export"
MSG_EXPORT_ROWS = _("{done} of {total} rows")
MSG_EXPORT_WRITING = _("Writing the file")
# Query-string keys that move through a list but do not filter it.
NOT_FILTERS = ("page",)


@dataclass(frozen=True)
class TableExport:
    name: str  # the URL's /exports/<name>.xlsx
    title: str  # Chinese; the file name's stem and the sheet's name
    page: str  # URL name of the page whose rows the file holds
    template: str  # the page's template, which includes core/_export.html with export=<name>
    headers: Sequence[str]
    source: Callable[[HttpRequest], Iterable]
    row: Callable[[object], list]
    roles: tuple[str, ...] | None = None  # the page's roles; None: every logged-in user
    stamp: Callable[[HttpRequest], str] | None = None  # the year or date in the file name; default today

    def allowed(self, user) -> bool:
        if not user.is_authenticated:
            return False
        return self.roles is None or user.is_superuser or user.role in self.roles

    def filename(self, request, fmt: str, *, ascii_only: bool = False) -> str:
        stamp = self.stamp(request) if self.stamp else dt.date.today().strftime("%Y%m%d")
        return f"{self.name if ascii_only else self.title}-{stamp}.{fmt}"


_REGISTRY: dict[str, TableExport] = {}


def register_export(export: TableExport) -> TableExport:
    _REGISTRY[export.name] = export
    return export


def exports_registered() -> dict[str, TableExport]:
    return dict(_REGISTRY)


def export_get(name: str) -> TableExport | None:
    return _REGISTRY.get(name)


# ---------------------------------------------------------------- where rows come from

def export_request(*, user, query: str = "") -> HttpRequest:
    """A GET request of ``user`` with the page's query string: what a job hands a page's own code."""
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(query)
    request.user = user
    request.path = request.path_info = "/"
    return request


def list_view_source(view_class) -> Callable[[HttpRequest], Iterable]:
    """The rows of a ListView page: the view's own ``get_queryset()`` (scoped, filtered, unpaginated)."""

    def source(request):
        view = view_class()
        view.setup(request)
        return view.get_queryset()

    return source


def export_count(items) -> int:
    count = getattr(items, "count", None)
    if callable(count) and not isinstance(items, (list, tuple)):
        return count()
    return len(items)


# A job's progress is written every this many rows (R-JOB-3).
PROGRESS_EVERY = 1000


def export_rows(export: TableExport, items, *, report: Callable[[int, str], None] | None = None) -> list[list]:
    """The cells of every item; with ``report`` (a job's), progress from 10 to 80 % as rows are made."""
    if report is None:
        return [safe_row(export.row(item)) for item in items]
    total = max(export_count(items), 1)
    rows = []
    for i, item in enumerate(items, 1):
        rows.append(safe_row(export.row(item)))
        if i % PROGRESS_EVERY == 0:
            report(10 + 70 * i // total, MSG_EXPORT_ROWS.format(done=i, total=total))
    return rows


# ---------------------------------------------------------------- files

def cell_text(value) -> str:
    """A cell as CSV text: dates in Chinese (2024年3月1日), booleans 是/否, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def _xlsx_value(value):
    if isinstance(value, Promise):  # a lazy choice label
        return str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).replace(tzinfo=None)
    return value


def rows_xlsx(*, title: str, headers: Sequence[str], rows: Iterable[list]) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append([_xlsx_value(v) for v in values])
    for col in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 16
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = 'yyyy"年"m"月"d"日" hh:mm'
            elif isinstance(cell.value, dt.date):
                cell.number_format = 'yyyy"年"m"月"d"日"'
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_csv(*, headers: Sequence[str], rows: Iterable[list]) -> bytes:
    """CSV in ``utf-8-sig``: the BOM makes Chinese Excel and WPS read it without garbling."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(h) for h in headers])
    for values in rows:
        writer.writerow([cell_text(v) for v in values])
    return out.getvalue().encode("utf-8-sig")


def export_file(export: TableExport, *, request, fmt: str, items=None,
                report: Callable[[int, str], None] | None = None) -> tuple[bytes, int]:
    """The file of ``export`` for ``request`` (real, or rebuilt by a job) and how many rows it holds."""
    items = export.source(request) if items is None else items
    rows = export_rows(export, items, report=report)
    if report is not None:
        report(80, str(MSG_EXPORT_WRITING))
    if fmt == CSV:
        return rows_csv(headers=export.headers, rows=rows), len(rows)
    return rows_xlsx(title=export.title, headers=export.headers, rows=rows), len(rows)


def export_content_disposition(export: TableExport, request, fmt: str) -> str:
    """``attachment; filename="people-20261201.xlsx"; filename*=UTF-8''人员-20261201.xlsx`` (RFC 6266/5987):
    the Chinese name for every current browser, an ASCII one for the rest."""
    fallback = export.filename(request, fmt, ascii_only=True)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(export.filename(request, fmt))}"


def export_query(params: QueryDict) -> str:
    query = params.copy()
    for key in NOT_FILTERS:
        query.pop(key, None)
    return query.urlencode()
