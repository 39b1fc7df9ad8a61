"""Pinyin initials of a Chinese name, so a picker finds 张三一 by typing "zsy" (issue 8 item 3).

pypinyin picks a reading from its phrase dictionary (新华村 → x h c). A first character with
several readings gives one variant per reading, space-separated (单田芳 → "dtf stf ctf"), since
surnames are often read otherwise (单 shàn, 曾 zēng). Letters and digits that are not Han
characters are kept, other characters are dropped.
"""
import re

from pypinyin import Style, lazy_pinyin, pinyin

_DROP = re.compile(r"[^a-z0-9]")
MAX_VARIANTS = 3


def _letters(parts) -> str:
    return _DROP.sub("", "".join(parts).lower())


def name_initials(text: str | None) -> str:
    """The first letter of each character's pinyin, lower case: 新华村党支部 → "xhcdzb"."""
    text = (text or "").strip()
    if not text:
        return ""
    keep = lambda chars: list(chars)  # noqa: E731 — non-Han runs as they are
    usual = _letters(lazy_pinyin(text, style=Style.FIRST_LETTER, errors=keep))
    variants = [usual]
    first_readings = pinyin(text[0], style=Style.FIRST_LETTER, heteronym=True, errors=keep)[0]
    rest = usual[1:] if usual[:1] and first_readings and _letters(first_readings[:1]) else None
    if rest is not None:
        for letter in first_readings:
            variant = _letters([letter]) + rest
            if variant not in variants and len(variants) < MAX_VARIANTS:
                variants.append(variant)
    return " ".join(variants)
