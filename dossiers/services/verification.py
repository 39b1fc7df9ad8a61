"""R-DOS-1: a printout carries a verification code; whoever holds it can check on the site that it matches
the record as of its date.

The code is not a guessable id. A print row keeps the HMAC-SHA256 (key ``ZHISHU_DOSSIER_KEY``) of the
record's content as printed and of each of its sections; the code is an HMAC of the print's kind,
subject, digest and time with a random nonce, so it cannot be made up, and a row whose fields were
altered no longer checks. To verify, the content is built again from the record as it is now (the
print kind's ``content`` function) and its digest compared: "matches", "outdated" with the date of the
first change after printing (the kind's ``changed_on``) and which sections differ, or "unknown".
"""
import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from dossiers.choices import VerifyState
from dossiers.models import DossierPrint

CODE_BYTES = 10  # 80 bits: 16 base32 characters, printed as four groups of four


@dataclass(frozen=True)
class PrintKindSpec:
    kind: str
    # The record's content now for the print's subject (the same dict the print was made from), or None
    # when the subject is gone; and the date of the first change after ``printed_at``, or None if unknown.
    content: Callable[[DossierPrint], dict | None]
    changed_on: Callable[[DossierPrint], dt.date | None]
    section_labels: dict = field(default_factory=dict)


_kinds: dict[str, PrintKindSpec] = {}


def register_print_kind(kind: str, *, content, changed_on, section_labels=None) -> None:
    _kinds[kind] = PrintKindSpec(kind=kind, content=content, changed_on=changed_on,
                                 section_labels=dict(section_labels or {}))


def print_kind(kind: str) -> PrintKindSpec | None:
    return _kinds.get(kind)


def _key() -> bytes:
    key = settings.ZHISHU_DOSSIER_KEY
    if not key:
        raise ImproperlyConfigured("ZHISHU_DOSSIER_KEY is not set: printed dossiers cannot be signed.")
    return key.encode()


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return str(value)


def canonical_json(value) -> bytes:
    """The one byte string a content dict signs as: sorted keys, no spaces, dates ISO, decimals exact."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_jsonable).encode()


def _mac(data: bytes) -> str:
    return hmac.new(_key(), data, hashlib.sha256).hexdigest()


def content_digest(content: dict) -> str:
    return _mac(canonical_json(content))


def section_digests(content: dict) -> dict[str, str]:
    return {name: _mac(canonical_json(value))[:16] for name, value in content.items()}


def _code_for(row: DossierPrint) -> str:
    message = "|".join(str(part) for part in (
        row.kind, row.person_id or "", row.unit_id, row.year or "", row.digest, row.printed_at.isoformat(), row.nonce))
    raw = hmac.new(_key(), message.encode(), hashlib.sha256).digest()[:CODE_BYTES]
    return base64.b32encode(raw).decode().rstrip("=")


def code_normalise(code: str) -> str:
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())[:32]


def code_display(code: str) -> str:
    """ABCD-EFGH-JKLM-NPQR: easier to read aloud and type from paper."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def print_stamp(*, kind: str, content: dict, unit, user=None, person=None, year=None, now=None) -> DossierPrint:
    """Record one print of ``content`` and give it its code (saved; the renderer adds the page count)."""
    row = DossierPrint(kind=kind, person=person, unit=unit, year=year, digest=content_digest(content),
                       sections=section_digests(content), nonce=secrets.token_hex(8),
                       # In UTC, as the database gives it back: the signed time must read back the same.
                       printed_at=(now or timezone.now()).astimezone(dt.UTC).replace(microsecond=0),
                       printed_by=user if getattr(user, "pk", None) else None)
    row.code = _code_for(row)
    row.save()
    return row


def verify_path(code: str) -> str:
    return reverse("verify", args=[code_display(code)])


def verify_url(code: str) -> str:
    return settings.ZHISHU_BASE_URL.rstrip("/") + verify_path(code)


def qr_data_uri(url: str) -> str:
    """The QR code of ``url`` as an SVG data URI (segno), for the printout's last page."""
    import segno

    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2)


@dataclass
class Verification:
    state: str
    row: DossierPrint | None = None
    changed_on: dt.date | None = None
    changed_sections: list = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return self.state == VerifyState.MATCHES


def print_verify(code: str) -> Verification:
    """R-DOS-1: does the printout with this code still match the record?"""
    normalised = code_normalise(code)
    row = (DossierPrint.objects.select_related("unit", "person").filter(code=normalised).first()
           if normalised else None)
    spec = print_kind(row.kind) if row else None
    if row is None or spec is None or not hmac.compare_digest(_code_for(row), row.code):
        return Verification(state=VerifyState.UNKNOWN)
    content = spec.content(row)
    if content is not None and hmac.compare_digest(content_digest(content), row.digest):
        return Verification(state=VerifyState.MATCHES, row=row)
    now_sections = section_digests(content) if content is not None else {}
    changed = [str(spec.section_labels.get(name, name)) for name in sorted(set(row.sections) | set(now_sections))
               if row.sections.get(name) != now_sections.get(name)]
    return Verification(state=VerifyState.OUTDATED, row=row, changed_on=spec.changed_on(row),
                        changed_sections=changed)
