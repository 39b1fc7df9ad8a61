"""R-SEC-3: caps on uploaded files, checked before a workbook is opened.

A 6 MB .xlsx can unpack to gigabytes and a 78 KB one to 200,000 rows; openpyxl would spend
minutes and gigabytes on them. Every import (roster, units, training, evaluation ballots, the
admin's import-export) calls these first, so such a file is refused in well under a second with
a message naming it. The caps are settings:

- ``ZHISHU_UPLOAD_MAX_BYTES`` (10 MB): the uploaded file itself;
- ``ZHISHU_IMPORT_MAX_UNCOMPRESSED_BYTES`` (50 MB): what a workbook's zip declares it unpacks to
  (Python's zipfile never inflates a member past its declared size);
- ``ZHISHU_IMPORT_MAX_ROWS`` (20,000): a sheet's declared dimension, and the rows actually read.
"""
import io
import re
import zipfile
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
ERR_UPLOAD_TOO_LARGE = _("The file “{name}” is larger than {size} MB; split it into smaller files.")
ERR_WORKBOOK_TOO_LARGE = _(
    "The workbook “{name}” unpacks to more than {size} MB, far more than a list of this office can hold; "
    "split it into smaller files."
)
ERR_TOO_MANY_ROWS = _("The file “{name}” has more than {rows} rows (sheet {sheet}); split it into smaller files.")

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]*(\d+)(?::[A-Z]*(\d+))?\"")
_HEAD_BYTES = 64 * 1024  # the dimension element comes before the sheet data


def upload_max_bytes() -> int:
    return settings.ZHISHU_UPLOAD_MAX_BYTES


def import_max_rows() -> int:
    return settings.ZHISHU_IMPORT_MAX_ROWS


def upload_check_size(*, name: str, size: int) -> None:
    """The uploaded file itself, by its size in bytes."""
    if size > upload_max_bytes():
        raise ValidationError({"file": [ERR_UPLOAD_TOO_LARGE.format(name=name, size=upload_max_bytes() // MB)]})


def workbook_check(*, data: bytes, name: str) -> None:
    """An .xlsx (a zip) before it is opened: its declared unpacked size and each sheet's declared rows.

    Anything that is not a readable zip is left to the reader, which has its own messages.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        members = archive.infolist()
        limit = settings.ZHISHU_IMPORT_MAX_UNCOMPRESSED_BYTES
        if sum(m.file_size for m in members) > limit:
            raise ValidationError({"file": [ERR_WORKBOOK_TOO_LARGE.format(name=name, size=limit // MB)]})
        for member in members:
            if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
                continue
            try:
                with archive.open(member) as sheet:
                    head = sheet.read(_HEAD_BYTES)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
                return  # the reader reports the damaged file
            found = _DIMENSION.search(head)
            if found:
                last_row = int(found.group(2) or found.group(1))
                if last_row > import_max_rows():
                    sheet_name = member.filename.rsplit("/", 1)[-1].removesuffix(".xml")
                    raise ValidationError({"file": [ERR_TOO_MANY_ROWS.format(
                        name=name, rows=import_max_rows(), sheet=sheet_name)]})


def rows_bounded(rows: Iterable[tuple[int, list]], *, name: str, sheet: str = "") -> Iterator[tuple[int, list]]:
    """``(row number, cells)`` pairs, refusing the file once a row number passes the cap — for sheets
    whose declared dimension is missing or wrong, and for CSV and .xls files."""
    limit = import_max_rows()
    for number, cells in rows:
        if number > limit:
            raise ValidationError({"file": [ERR_TOO_MANY_ROWS.format(name=name, rows=limit, sheet=sheet or "1")]})
        yield number, cells


def upload_read(upload) -> bytes:
    """The bytes of an uploaded file after the size check (``upload`` is a Django UploadedFile)."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if size is not None:
        upload_check_size(name=name, size=size)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(upload_max_bytes() + 1)
    upload_check_size(name=name, size=len(data))
    return data
