"""R-SEL-1 / R-SEC-3: resident ID numbers (GB 11643-1999)."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from cadres.services import id_numbers as ids
from cadres.services.id_numbers import (
    id_number_gender,
    normalise_id_number,
    validate_id_consistency,
    validate_id_number,
)


def with_check_digit(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")  # stdnum ignores the last character


def message_of(exc_info) -> str:
    return exc_info.value.messages[0]


def test_the_helper_makes_valid_numbers():
    assert with_check_digit("43072119930306672") == "43072119930306672X"


def test_it_accepts_an_x_check_digit():
    # From the county roster: 秦秀英, born 1993-03-06, female.
    assert validate_id_number("43072119930306672X") == "43072119930306672X"


def test_it_upper_cases_a_lower_case_x_and_folds_full_width_digits_and_spaces():
    assert validate_id_number(" ４３０７２１１９９３０３０６６７２x ") == "43072119930306672X"


def test_it_rejects_a_wrong_check_digit():
    with pytest.raises(ValidationError) as exc:
        validate_id_number("430721199303066721")
    assert message_of(exc) == str(ids.ERR_ID_CHECKSUM)


def test_it_rejects_an_impossible_date_even_with_a_correct_check_digit():
    number = with_check_digit("43072119930230672")  # 30 February
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number)
    assert message_of(exc) == str(ids.ERR_ID_DATE)


def test_it_rejects_legacy_15_digit_numbers_with_their_own_message():
    with pytest.raises(ValidationError) as exc:
        validate_id_number("430721930306672")
    assert message_of(exc) == str(ids.ERR_ID_LEGACY)


def test_it_rejects_a_number_of_the_wrong_length():
    with pytest.raises(ValidationError) as exc:
        validate_id_number("4307211993030667")
    assert message_of(exc) == str(ids.ERR_ID_LENGTH.format(length=16))


def test_it_rejects_letters_inside_the_number():
    with pytest.raises(ValidationError) as exc:
        validate_id_number("43072119930306A72X")
    assert message_of(exc) == str(ids.ERR_ID_FORMAT)


def test_it_rejects_a_birth_date_in_the_future():
    number = with_check_digit("43072120300101123")
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number, today=dt.date(2026, 11, 23))
    assert message_of(exc) == str(ids.ERR_ID_FUTURE)


@pytest.mark.parametrize("value", [1.1010519500101e17, "1.1010519500101e+17", "110105195001011234.0"])
def test_it_refuses_numbers_that_excel_turned_into_floats(value):
    with pytest.raises(ValidationError) as exc:
        normalise_id_number(value)
    assert exc.value.code == "float"


def test_an_integer_from_excel_is_read_as_its_digits():
    assert normalise_id_number(430721198510213193) == "430721198510213193"


def test_gender_comes_from_the_17th_digit():
    assert id_number_gender("43072119930306672X") == "F"  # 2 is even
    assert id_number_gender("430721199111112031") == "M"  # 3 is odd


def test_birth_date_and_gender_must_agree_with_the_number():
    errors = dict(validate_id_consistency(id_number="43072119930306672X", birth_date=dt.date(1993, 3, 7), gender="M"))
    assert set(errors) == {"birth_date", "gender"}


def test_a_roster_month_is_compared_by_month_only():
    assert validate_id_consistency(id_number="43072119930306672X", birth_date=dt.date(1993, 3, 1), gender="F",
                                   month_only=True) == []
    errors = validate_id_consistency(id_number="43072119930306672X", birth_date=dt.date(1993, 4, 1), gender="F",
                                     month_only=True)
    assert [f for f, _ in errors] == ["birth_date"]


def test_a_county_code_younger_than_the_holder_is_accepted():
    # 430721 (安乡县) dates from 1988; people born earlier hold numbers issued later.
    assert validate_id_number("430721196403273482") == "430721196403273482"


def test_an_unknown_province_is_refused():
    with pytest.raises(ValidationError) as exc:
        validate_id_number(with_check_digit("99072119930306672"))
    assert message_of(exc) == str(ids.ERR_ID_REGION)
