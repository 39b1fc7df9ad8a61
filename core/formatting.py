"""Dates and lists in the words of the active language, for messages built in Python (issue 8 item 9).

Templates use the ``cn_date`` filter (core.templatetags.zhishu), which calls ``date_text``.
"""
import datetime as dt

from django.utils import formats
from django.utils.translation import get_language


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")


def date_text(value) -> str:
    """2024年3月1日 in Chinese, the locale's date otherwise; also for an ISO date string (stored in JSON)."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if _chinese():
        return f"{value.year}年{value.month}月{value.day}日"
    return formats.date_format(value, "DATE_FORMAT")


def list_text(items, *, enumeration: bool = False) -> str:
    """Clauses joined with "，" (or, for a plain enumeration of names, "、") in Chinese; ", " otherwise."""
    items = [str(i) for i in items]
    if not _chinese():
        return ", ".join(items)
    return ("、" if enumeration else "，").join(items)
