"""R-SEL-1 / R-SEC-3: resident ID numbers (GB 11643-1999), validated and normalised."""
import datetime as dt
import functools
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from core.formatting import date_text
from stdnum import exceptions as stdnum_exc
from stdnum.cn import ric

ERR_ID_REQUIRED = _("The resident ID number is required.")
ERR_ID_FLOAT = _(
    "The resident ID number arrived as a number ({value}); Excel has rounded it. "
    "Format the column as text and type the 18 characters again."
)
ERR_ID_LEGACY = _("15-digit resident ID numbers are no longer valid; enter the 18-character number.")
ERR_ID_LENGTH = _("A resident ID number has 18 characters; this one has {length}.")
ERR_ID_FORMAT = _("A resident ID number is 17 digits followed by a digit or X.")
ERR_ID_CHECKSUM = _("The check digit of the resident ID number is wrong.")
ERR_ID_DATE = _("The birth date inside the resident ID number is not a real date.")
ERR_ID_REGION = _("The region code of the resident ID number is unknown.")
ERR_ID_FUTURE = _("The birth date inside the resident ID number lies in the future.")
ERR_ID_BIRTH_MISMATCH = _("The birth date {birth} does not agree with the resident ID number ({id_birth}).")
ERR_ID_BIRTH_MONTH_MISMATCH = _("The birth month {birth} does not agree with the resident ID number ({id_birth}).")
ERR_ID_GENDER_MISMATCH = _("The gender does not agree with the resident ID number.")

_FLOATISH = re.compile(r"^\d+(\.\d+)?[eE][+-]?\d+$|^\d+\.\d+$")
_SPACES = re.compile(r"\s+")
_ID_FORMAT = re.compile(r"\d{17}[\dX]")
# An import checks each number several times (the cell, the person, the birth date and gender beside it):
# the pure checks are remembered for as many numbers as a city's roster holds (issue 12).
_CACHE_SIZE = 1 << 17


@functools.cache
def _province_known(code: str) -> bool:
    from stdnum import numdb

    return any("province" in props for _, props in numdb.get("cn/loc").info(code + "0000"))


def normalise_id_number(value) -> str:
    """Full-width digits and letters to half-width, spaces removed, x upper-cased.

    A value that is a float, or the text Excel makes of one ("1.1010519500101e+17"),
    is refused: its last digits are already lost.
    """
    if value is None:
        raise ValidationError(ERR_ID_REQUIRED, code="required")
    if isinstance(value, float):
        raise ValidationError(ERR_ID_FLOAT.format(value=repr(value)), code="float")
    if isinstance(value, int):
        value = str(value)
    return _normalised_text(str(value))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _normalised_text(value: str) -> str:
    text = _SPACES.sub("", unicodedata.normalize("NFKC", value)).upper()
    if not text:
        raise ValidationError(ERR_ID_REQUIRED, code="required")
    if _FLOATISH.match(text):
        raise ValidationError(ERR_ID_FLOAT.format(value=text), code="float")
    return text


def validate_id_number(value, *, today: dt.date | None = None) -> str:
    """Check length, format, region, date, check digit and a birth date not in the future.

    Returns the normalised number.
    """
    text = normalise_id_number(value)
    birth = _checked_birth_date(text)
    if birth > (today or dt.date.today()):
        raise ValidationError(ERR_ID_FUTURE, code="future")
    return text


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _checked_birth_date(text: str) -> dt.date:
    """validate_id_number's checks that do not depend on the day: the birth date, or ValidationError."""
    if len(text) == 15 and text.isdigit():
        raise ValidationError(ERR_ID_LEGACY, code="legacy")
    if len(text) != 18:
        raise ValidationError(ERR_ID_LENGTH.format(length=len(text)), code="length")
    if not _ID_FORMAT.fullmatch(text):
        raise ValidationError(ERR_ID_FORMAT, code="format")
    # The date first: stdnum checks the check digit before the date, and "no such day"
    # is the clearer message when both are wrong.
    try:
        birth = id_number_birth_date(text)
    except stdnum_exc.ValidationError:
        raise ValidationError(ERR_ID_DATE, code="date") from None
    if ric.calc_check_digit(text) != text[-1]:
        raise ValidationError(ERR_ID_CHECKSUM, code="checksum")
    # Only the province is checked: stdnum also checks that the county code existed in
    # the birth year, but numbers are issued later than birth (a person born in 1964 in
    # 安乡县 holds a 430721 number, a code assigned in 1988), so that check rejects real people.
    if not _province_known(text[:2]):
        raise ValidationError(ERR_ID_REGION, code="region")
    return birth


@functools.lru_cache(maxsize=_CACHE_SIZE)
def id_number_birth_date(value: str) -> dt.date:
    if _ID_FORMAT.fullmatch(value):  # already compact: stdnum's slicing without its character-by-character clean
        try:
            return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
        except ValueError:
            raise stdnum_exc.InvalidComponent() from None
    return ric.get_birth_date(value)


def id_number_caches_clear() -> None:
    """Forget the numbers remembered by the checks: a bulk caller calls this when done (R-SEC-1 — plain
    ID numbers are not kept in a long-lived process beyond the import that read them)."""
    for cached in (_normalised_text, _checked_birth_date, id_number_birth_date):
        cached.cache_clear()


def id_number_gender(value: str) -> str:
    """'M' or 'F' from the 17th digit (odd is male)."""
    return "M" if int(value[16]) % 2 else "F"


def validate_id_consistency(*, id_number: str, birth_date: dt.date | None, gender: str | None,
                            month_only: bool = False) -> list[tuple[str, ValidationError]]:
    """The birth date and gender given beside an ID number must agree with it.

    Returns (field, error) pairs; rosters give 出生年月 as year and month only (``month_only``).
    """
    errors = []
    id_birth = id_number_birth_date(id_number)
    if birth_date is not None:
        if month_only and (birth_date.year, birth_date.month) != (id_birth.year, id_birth.month):
            errors.append(("birth_date", ValidationError(ERR_ID_BIRTH_MONTH_MISMATCH.format(
                birth=birth_date.strftime("%Y.%m"), id_birth=id_birth.strftime("%Y.%m")), code="birth_mismatch")))
        elif not month_only and birth_date != id_birth:
            errors.append(("birth_date", ValidationError(ERR_ID_BIRTH_MISMATCH.format(
                birth=date_text(birth_date), id_birth=date_text(id_birth)), code="birth_mismatch")))
    if gender and gender != id_number_gender(id_number):
        errors.append(("gender", ValidationError(ERR_ID_GENDER_MISMATCH, code="gender_mismatch")))
    return errors
