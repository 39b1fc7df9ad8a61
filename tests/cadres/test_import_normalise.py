"""R-SEC-3: every spelling a real roster uses is read safely, or refused with a message — never guessed."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cadres.imports import normalise as n
from cadres.services.id_numbers import ERR_ID_CHECKSUM, ERR_ID_FLOAT
from tests.factories import make_id_number

D = dt.date


@pytest.mark.parametrize(("value", "expected", "month_only"), [
    ("1985.03", D(1985, 3, 1), True),
    ("1985.3", D(1985, 3, 1), True),
    ("1985.10", D(1985, 10, 1), True),
    ("1985年3月", D(1985, 3, 1), True),
    ("1985年3月5日", D(1985, 3, 5), False),
    ("2024-6", D(2024, 6, 1), True),
    ("2024-06-01", D(2024, 6, 1), False),
    ("2024/6/1", D(2024, 6, 1), False),
    ("2024-06-01 00:00:00", D(2024, 6, 1), False),
    ("198503", D(1985, 3, 1), True),
    ("19850305", D(1985, 3, 5), False),
    ("１９８５．０３", D(1985, 3, 1), True),       # full-width digits and point
    (" 1985 . 03 ", D(1985, 3, 1), True),          # stray spaces
    ("\u30001985年 3月\u3000", D(1985, 3, 1), True),  # ideographic spaces
    (dt.datetime(2024, 6, 1, 0, 0), D(2024, 6, 1), False),  # a real Excel date cell
    (D(2024, 6, 1), D(2024, 6, 1), False),
    (1985.03, D(1985, 3, 1), True),                # typed as a number, two decimals: unambiguous
    (1985.12, D(1985, 12, 1), True),
    (198503, D(1985, 3, 1), True),
])
def test_dates_in_every_spelling(value, expected, month_only):
    assert n.parse_date(value) == n.ParsedDate(expected, month_only)


@pytest.mark.parametrize("value", ["", None, "   "])
def test_an_empty_date_cell_is_none(value):
    assert n.parse_date(value) is None


@pytest.mark.parametrize(("value", "message"), [
    (1985.1, n.ERR_DATE_NUMBER.format(value="1985.1")),  # January or October (1985.10)? refused
    ("1985.13", n.ERR_DATE.format(value="1985.13")),
    ("2023-02-30", n.ERR_DATE.format(value="2023-02-30")),
    ("去年", n.ERR_DATE.format(value="去年")),
    (31048, n.ERR_DATE.format(value="31048")),           # an Excel serial number without its date format
    ("1850.01", n.ERR_DATE_RANGE.format(value="1850.01")),
])
def test_dates_that_would_be_guesses_are_refused(value, message):
    with pytest.raises(ValidationError) as excinfo:
        n.parse_date(value)
    assert excinfo.value.messages == [str(message)]


def _digits_only_id_number() -> str:
    """A valid number ending in a digit: only those can reach Excel as numbers."""
    return next(x for x in (make_id_number(birth=D(1980, 5, 17)) for _ in range(20)) if x[-1] != "X")


def test_an_id_number_as_a_float_is_refused_with_err_id_float():
    number = _digits_only_id_number()
    for value in (float(number[:17] + "1"), "4.30721198005171E+17", "4.30721198005171e17", f"{number}.0"):
        with pytest.raises(ValidationError) as excinfo:
            n.parse_id_number(value)
        assert excinfo.value.code == "float", value
        assert str(ERR_ID_FLOAT).split("{")[0] in excinfo.value.messages[0]


def test_an_id_number_as_an_18_digit_int_is_accepted_when_its_check_digit_is_right():
    number = _digits_only_id_number()
    assert n.parse_id_number(int(number)) == number
    wrong = int(number[:17] + str((int(number[17]) + 1) % 10))
    with pytest.raises(ValidationError) as excinfo:
        n.parse_id_number(wrong)
    assert excinfo.value.messages == [str(ERR_ID_CHECKSUM)]


def test_an_id_number_in_full_width_with_spaces_and_a_small_x_is_normalised():
    number = "43072119930306672X"
    typed = " ４３０７２１ １９９３０３０６ ６７２x "
    assert n.parse_id_number(typed) == number


@pytest.mark.parametrize(("value", "expected"), [
    ("是", True), ("否", False), (" 是 ", True), ("Y", True), ("n", False), (1, True), (0.0, False),
    ("√", True), ("×", False), (True, True), ("", None), (None, None),
])
def test_yes_no(value, expected):
    assert n.parse_yes_no(value) is expected


def test_yes_no_refuses_anything_else():
    with pytest.raises(ValidationError) as excinfo:
        n.parse_yes_no("也许")
    assert excinfo.value.messages == [str(n.ERR_YES_NO.format(value="也许"))]


@pytest.mark.parametrize(("parse", "value", "expected"), [
    (n.parse_selection, "公推直选", "public_direct"),
    (n.parse_selection, "两推一选", "two_recommendations_one_election"),
    (n.parse_selection, "上级党组织任命", "appointment"),
    (n.parse_selection, " 选派 ", "dispatch"),
    (n.parse_selection, "election", "election"),
    (n.parse_education, "大学本科", "bachelor"),
    (n.parse_education, "研究生", "postgraduate"),
    (n.parse_education, "中专", "secondary_vocational"),
    (n.parse_gender, "男", "M"),
    (n.parse_gender, "女", "F"),
    (n.parse_role, "党支部书记", "secretary"),
    (n.parse_role, "第一书记", "first_secretary"),
    (n.parse_role, "副书记", "deputy_secretary"),
    (n.parse_end_reason, "换届", "term_change"),
    (n.parse_source, "大学生村官", "college_graduate"),
    (n.parse_sector_cell, "农村", "village"),
    (n.parse_sector_cell, "非公企业", "non_public"),
    (n.parse_level_cell, "党支部", "branch"),
    (n.parse_level_cell, "township", "township"),
])
def test_chinese_words_map_to_choices(parse, value, expected):
    assert parse(value) == expected


def test_an_unknown_choice_names_the_value_and_the_choices():
    with pytest.raises(ValidationError) as excinfo:
        n.parse_selection("抽签")
    assert "抽签" in excinfo.value.messages[0] and "公推直选" in excinfo.value.messages[0]


@pytest.mark.parametrize(("value", "expected"), [
    ("430721001001", "430721001001"), (430721001001, "430721001001"), (430721001001.0, "430721001001"),
    ("４３０７２１００１００１", "430721001001"), (" 4307 21 ", "430721"), ("430721.0", "430721"),
    (15117126037.0, "15117126037"), (None, ""),
])
def test_codes_and_phones_keep_every_digit(value, expected):
    assert n.parse_code(value) == expected


@pytest.mark.parametrize("value", ["4.30721E+11", 4.307210010010012e17])
def test_a_rounded_code_is_refused(value):
    with pytest.raises(ValidationError) as excinfo:
        n.parse_code(value)
    assert excinfo.value.code == "rounded"


def test_names_lose_stray_spaces():
    assert n.clean_name(" 秦 秀英\u3000") == "秦秀英"
    assert n.clean_name("买买提.艾力") == "买买提·艾力"
