"""R-SEC-3: one spreadsheet cell → one clean value, or a ValidationError saying what is wrong.

Cells arrive as text, numbers (int or float), real Excel dates or None. Each parser
accepts every safe spelling and refuses what could only be guessed: a float where an ID
number belongs has lost its last digits, and ``1985.1`` as a number cannot tell January
from October (``1985.10``).
"""
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cadres.choices import (
    EDUCATION_ALIASES,
    ROLE_ALIASES,
    SELECTION_ALIASES,
    YES_NO_ALIASES,
    AppointmentRole,
    Education,
    EndReason,
    Gender,
    SelectionMethod,
    SourceChannel,
    Specialty,
)
from cadres.services.id_numbers import validate_id_number
from core.services.orgunits import parse_level, parse_sector

ERR_REQUIRED = _("This cell is required.")
ERR_DATE = _("“{value}” is not a date; write it as 1985.03 or 1985-03-05.")
ERR_DATE_NUMBER = _(
    "“{value}” arrived as a number, which cannot tell January (1985.1) from October (1985.10); "
    "format the column as text and type it again."
)
ERR_DATE_RANGE = _("The date {value} lies outside the years 1900–2100.")
ERR_YES_NO = _("Write 是 or 否, not “{value}”.")
ERR_CHOICE = _("Unknown value “{value}”; use one of: {choices}.")
ERR_NUMBER_ROUNDED = _(
    "“{value}” arrived as a rounded number; format the column as text and type it again."
)
ERR_INTEGER = _("“{value}” is not a whole number.")

MIN_YEAR, MAX_YEAR = 1900, 2100

GENDER_ALIASES = {"男": Gender.MALE, "女": Gender.FEMALE, "男性": Gender.MALE, "女性": Gender.FEMALE}
SPECIALTY_ALIASES = {"专业型": Specialty.PROFESSIONAL, "复合型": Specialty.COMPOSITE}
SOURCE_ALIASES = {
    "大学生村官": SourceChannel.COLLEGE_GRADUATE,
    "机关干部": SourceChannel.ORGAN_CADRE,
    "能人": SourceChannel.CAPABLE_LOCAL,
    "致富能人": SourceChannel.CAPABLE_LOCAL,
    "本土能人": SourceChannel.CAPABLE_LOCAL,
    "业务骨干": SourceChannel.BACKBONE,
    "技术骨干": SourceChannel.BACKBONE,
    "退休干部": SourceChannel.RETIRED_CADRE,
    "其他": SourceChannel.OTHER,
}

END_REASON_ALIASES = {
    "换届": EndReason.TERM_CHANGE, "调整": EndReason.ADJUSTMENT, "工作调整": EndReason.ADJUSTMENT,
    "辞职": EndReason.RESIGNATION, "免职": EndReason.DISMISSAL, "退休": EndReason.RETIREMENT,
    "去世": EndReason.DEATH, "病故": EndReason.DEATH,
}

# The Chinese word written back into exported rosters, so that an export imports unchanged.
GENDER_WORDS = {Gender.MALE: "男", Gender.FEMALE: "女"}
EDUCATION_WORDS = {
    Education.PRIMARY: "小学", Education.JUNIOR: "初中", Education.SENIOR: "高中",
    Education.SECONDARY_VOCATIONAL: "中专", Education.COLLEGE: "大专", Education.BACHELOR: "大学本科",
    Education.POSTGRADUATE: "研究生",
}
ROLE_WORDS = {
    AppointmentRole.SECRETARY: "党支部书记", AppointmentRole.DEPUTY_SECRETARY: "党支部副书记",
    AppointmentRole.COMMITTEE_MEMBER: "支部委员", AppointmentRole.FIRST_SECRETARY: "第一书记",
}
SELECTION_WORDS = {
    SelectionMethod.PUBLIC_DIRECT: "公推直选", SelectionMethod.TWO_ONE: "两推一选", SelectionMethod.ELECTION: "选举",
    SelectionMethod.DISPATCH: "选派", SelectionMethod.APPOINTMENT: "上级党组织任命",
}
END_REASON_WORDS = {
    EndReason.TERM_CHANGE: "换届", EndReason.ADJUSTMENT: "调整", EndReason.RESIGNATION: "辞职",
    EndReason.DISMISSAL: "免职", EndReason.RETIREMENT: "退休", EndReason.DEATH: "去世",
}
SPECIALTY_WORDS = {v: k for k, v in SPECIALTY_ALIASES.items()}
SOURCE_WORDS = {
    SourceChannel.COLLEGE_GRADUATE: "大学生村官", SourceChannel.ORGAN_CADRE: "机关干部",
    SourceChannel.CAPABLE_LOCAL: "能人", SourceChannel.BACKBONE: "业务骨干",
    SourceChannel.RETIRED_CADRE: "退休干部", SourceChannel.OTHER: "其他",
}


@dataclass(frozen=True)
class ParsedDate:
    date: dt.date
    month_only: bool  # the cell gave a year and a month only: compare by month, store the 1st


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_SPACES = re.compile(r"\s+")


def fold(value) -> str:
    """Full-width digits, letters and punctuation to half-width; every kind of space removed."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))


def clean_text(value) -> str:
    """Free text: ideographic and non-breaking spaces become spaces, runs collapse, ends trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\u3000", " ").replace("\xa0", " ")
    return _SPACES.sub(" ", text).strip()


def clean_name(value) -> str:
    """A person's name has no spaces; 维吾尔族 names keep their middle dot, normalised to ·."""
    text = re.sub(r"\s+", "", clean_text(value))
    return re.sub(r"[.•・‧∙]", "·", text)


def _number_text(value: float) -> str:
    return f"{value:.15g}"


def _date_or_error(year: int, month: int, day: int, raw) -> dt.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(ERR_DATE_RANGE.format(value=raw), code="date_range")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(ERR_DATE.format(value=raw), code="date") from None


_MONTH = re.compile(r"^(\d{4})[.\-/年](\d{1,2})月?$")
_DAY = re.compile(r"^(\d{4})[.\-/年](\d{1,2})[.\-/月](\d{1,2})日?$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_COMPACT_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def parse_date(value) -> ParsedDate | None:
    """``1985.03``, ``1985.3``, ``1985年3月``, ``1985年3月5日``, ``2024-6``, ``2024-06-01``, ``2024/6/1``,
    ``198503``, real date cells → a date; year-and-month values are the 1st, flagged ``month_only``."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return ParsedDate(value.date(), False)
    if isinstance(value, dt.date):
        return ParsedDate(value, False)
    if isinstance(value, bool):
        raise ValidationError(ERR_DATE.format(value=value), code="date")
    if isinstance(value, float) and not value.is_integer():
        text = _number_text(value)
        # 1985.03 and 1985.12 are unambiguous; 1985.1 may have been typed 1985.10.
        match = re.fullmatch(r"(\d{4})\.(\d{1,2})", text)
        if not match or match.group(2) == "1":
            raise ValidationError(ERR_DATE_NUMBER.format(value=text), code="date_number")
        return ParsedDate(_date_or_error(int(match.group(1)), int(match.group(2)), 1, text), True)
    if isinstance(value, (int, float)):
        value = str(int(value))
    raw = str(value).strip()
    text = fold(_TIME_SUFFIX.sub("", unicodedata.normalize("NFKC", raw)))
    for pattern, month_only in ((_DAY, False), (_MONTH, True), (_COMPACT_DAY, False), (_COMPACT_MONTH, True)):
        match = pattern.fullmatch(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            day = 1 if month_only else int(match.group(3))
            return ParsedDate(_date_or_error(year, month, day, raw), month_only)
    raise ValidationError(ERR_DATE.format(value=raw), code="date")


def parse_yes_no(value) -> bool | None:
    """是/否 (also yes/no, 1/0, √/×); None for an empty cell."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    key = fold(value).lower()
    if key in YES_NO_ALIASES:
        return YES_NO_ALIASES[key]
    raise ValidationError(ERR_YES_NO.format(value=clean_text(value)), code="yes_no")


def parse_choice(value, *, aliases: dict, choices, words: dict | None = None) -> str | None:
    """A Chinese alias, the stored value or the label (in the active language) → the stored value."""
    if is_blank(value):
        return None
    text = clean_text(value)
    key = fold(text)
    if key in aliases:
        return str(aliases[key])
    if text in choices.values:
        return text
    for choice_value, label in choices.choices:
        if key == fold(label):
            return choice_value
    known = "、".join((words or {}).values()) or "、".join(str(k) for k in aliases)
    raise ValidationError(ERR_CHOICE.format(value=text, choices=known), code="choice")


def parse_gender(value) -> str | None:
    return parse_choice(value, aliases=GENDER_ALIASES, choices=Gender, words=GENDER_WORDS)


def parse_education(value) -> str | None:
    return parse_choice(value, aliases=EDUCATION_ALIASES, choices=Education, words=EDUCATION_WORDS)


def parse_selection(value) -> str | None:
    return parse_choice(value, aliases=SELECTION_ALIASES, choices=SelectionMethod, words=SELECTION_WORDS)


def parse_role(value) -> str | None:
    return parse_choice(value, aliases=ROLE_ALIASES, choices=AppointmentRole, words=ROLE_WORDS)


def parse_specialty(value) -> str | None:
    return parse_choice(value, aliases=SPECIALTY_ALIASES, choices=Specialty, words=SPECIALTY_WORDS)


def parse_source(value) -> str | None:
    return parse_choice(value, aliases=SOURCE_ALIASES, choices=SourceChannel, words=SOURCE_WORDS)


def parse_end_reason(value) -> str | None:
    return parse_choice(value, aliases=END_REASON_ALIASES, choices=EndReason, words=END_REASON_WORDS)


def parse_level_cell(value) -> str | None:
    return parse_level(clean_text(value)) if not is_blank(value) else None


def parse_sector_cell(value) -> str | None:
    return parse_sector(clean_text(value)) if not is_blank(value) else None


def parse_id_number(value) -> str:
    """R-SEL-1: validated and normalised; a float or its exponent text is refused (ERR_ID_FLOAT).

    An int of 18 digits (the cell held the exact number) is accepted when its check digit is right.
    """
    return validate_id_number(value)


def parse_code(value) -> str:
    """A unit code or a phone number: digits as text. A whole number is safe up to 15 digits;
    a longer float, or text like ``4.30721E+11``, has been rounded by Excel and is refused."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        raise ValidationError(ERR_NUMBER_ROUNDED.format(value=value), code="rounded")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        raise ValidationError(ERR_NUMBER_ROUNDED.format(value=_number_text(value)), code="rounded")
    text = fold(value)
    if re.fullmatch(r"\d+(\.\d+)?[eE][+-]?\d+", text):
        raise ValidationError(ERR_NUMBER_ROUNDED.format(value=text), code="rounded")
    return re.sub(r"^(\d+)\.0+$", r"\1", text)


def parse_int(value) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = fold(value)
    if re.fullmatch(r"\d+", text):
        return int(text)
    raise ValidationError(ERR_INTEGER.format(value=clean_text(value)), code="integer")


# --- writing back (exports) -------------------------------------------------------------

def month_text(value: dt.date | None) -> str:
    """A date as the roster writes 出生年月 and 任职时间: ``1985.03``."""
    return value.strftime("%Y.%m") if value else ""


def date_text(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def yes_no_text(value: bool | None) -> str:
    return "是" if value else "否"
