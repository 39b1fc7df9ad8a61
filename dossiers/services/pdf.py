"""WeasyPrint: a Django template to PDF bytes, in Debian's Noto Sans CJK SC (fonts-noto-cjk).

The templates name the family ``"Noto Sans CJK SC"`` on the body and on every ``@page`` margin box:
the .ttc's first face is the Japanese one, so a bare "Noto Sans CJK" would draw Japanese glyph forms.
"""
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

FONT_FAMILY = "Noto Sans CJK SC"


@dataclass
class RenderedPdf:
    content: bytes
    pages: int
    filename: str = ""


_font_config = None


def _fonts():
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def pdf_render(*, template_name: str, context: dict, filename: str = "") -> RenderedPdf:
    from django.utils import translation
    from weasyprint import HTML

    # An official file is Chinese whatever the reader's interface language (choice labels included).
    with translation.override("zh-hans"):
        html = render_to_string(template_name, {"font_family": FONT_FAMILY, **context})
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(font_config=_fonts())
    return RenderedPdf(content=document.write_pdf(), pages=len(document.pages), filename=filename)


def user_label(user) -> str:
    """The exporting user as the watermark and the last page name them: full name (login)."""
    if user is None or not getattr(user, "pk", None):
        return ""
    full = (user.get_full_name() or "").strip()
    return f"{full}（{user.username}）" if full else user.username


def print_context(*, user, stamp, title: str, unit_name: str, person_name: str = "") -> dict:
    """What every printed file shares: running heads, the watermark, and the verification block."""
    from django.utils import timezone

    from core.formatting import date_text
    from dossiers.services.verification import code_display, qr_data_uri, verify_url

    printed = timezone.localtime(stamp.printed_at)
    who = user_label(user)
    url = verify_url(stamp.code)
    return {
        "title": title, "header_unit": unit_name, "header_person": person_name, "header_title": title,
        "footer_right": f"核验码 {code_display(stamp.code)}",
        "watermark": f"{who} 导出 {date_text(printed.date())} {printed:%H:%M}",
        "printed_by_label": who, "stamp": stamp, "stamp_code": code_display(stamp.code),
        "stamp_url": url, "stamp_qr": qr_data_uri(url),
    }
