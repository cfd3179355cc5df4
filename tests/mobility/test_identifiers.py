import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from mobility.core.identifiers import (
    check_digit,
    make_bin,
    make_iin,
    mask_iin,
    parse_bin,
    parse_iin,
    validate_bin,
    validate_iin,
)


def _code(value, validator):
    with pytest.raises(ValidationError) as info:
        validator(value)
    return info.value.code


class TestIin:
    def test_accepts_the_published_examples(self):
        male = parse_iin("791028302728")
        assert male.birth_date == dt.date(1979, 10, 28)
        assert male.is_male
        female = parse_iin("061211600012")
        assert female.birth_date == dt.date(2006, 12, 11)
        assert not female.is_male

    def test_rejects_a_wrong_check_digit(self):
        assert _code("791028302729", validate_iin) == "checksum"

    @pytest.mark.parametrize("value", ["791328302728", "790230302728", "790000302728"])
    def test_rejects_an_impossible_birth_date(self, value):
        assert _code(value, validate_iin) == "date"

    @pytest.mark.parametrize("value", ["79102830272", "7910283027281", ""])
    def test_rejects_a_wrong_length(self, value):
        assert _code(value, validate_iin) == "length"

    @pytest.mark.parametrize("value", ["79102830272A", "7910 8302728", "٧٩١٠٢٨٣٠٢٧٢٨"])
    def test_rejects_letters_and_non_ascii_digits(self, value):
        assert _code(value, validate_iin) == "digits"

    @pytest.mark.parametrize("digit", ["0", "7", "8", "9"])
    def test_rejects_an_unknown_century_digit(self, digit):
        assert _code("791028" + digit + "02728", validate_iin) == "century"

    def test_rejects_a_birth_date_in_the_future(self):
        future = make_iin(dt.date(2099, 1, 1), male=True, serial=5)
        assert _code(future, validate_iin) == "future"

    def test_error_messages_name_the_problem(self):
        with pytest.raises(ValidationError) as info:
            validate_iin("79102830272")
        assert "12" in info.value.messages[0]

    def test_masking_hides_the_birth_date_and_serial(self):
        assert mask_iin("791028302728") == "7910******28"
        assert mask_iin(None) == ""


class TestBin:
    def test_accepts_a_valid_head_office(self):
        value = make_bin(2008, 5, serial=1201)
        info = parse_bin(value)
        assert info.registered == (2008, 5)
        assert info.entity_type == "4"
        assert not info.is_branch

    def test_recognises_a_branch(self):
        assert parse_bin(make_bin(2012, 3, attribute="1", serial=77)).is_branch

    def test_rejects_a_wrong_check_digit(self):
        value = make_bin(2008, 5, serial=1201)
        wrong = value[:11] + str((int(value[11]) + 1) % 10)
        assert _code(wrong, validate_bin) == "checksum"

    def test_rejects_an_impossible_month(self):
        assert _code("081340012010", validate_bin) == "date"

    def test_rejects_an_unknown_type_digit(self):
        assert _code("080570012010", validate_bin) == "type_digit"

    def test_rejects_an_unknown_attribute_digit(self):
        assert _code("080549012010", validate_bin) == "attribute_digit"

    @pytest.mark.parametrize(("value", "code"), [("0805400120", "length"), ("08054001201X", "digits")])
    def test_rejects_shape_errors(self, value, code):
        assert _code(value, validate_bin) == code


def _reference_check_digit(digits: str) -> int | None:
    """The rule exactly as written in the domain brief."""
    d = [int(c) for c in digits]
    s = sum((i + 1) * d[i] for i in range(11)) % 11
    if s == 10:
        weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
        s = sum(weights[i] * d[i] for i in range(11)) % 11
        if s == 10:
            return None
    return s


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_check_digit_matches_the_published_rule(digits):
    assert check_digit(digits) == _reference_check_digit(digits)


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)),
    st.booleans(),
    st.integers(min_value=0, max_value=9999),
)
def test_generated_iins_validate_and_round_trip(birth, male, serial):
    value = make_iin(birth, male=male, serial=serial)
    info = parse_iin(value)
    assert info.birth_date == birth
    assert info.is_male == male


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.integers(min_value=0, max_value=9))
def test_any_other_last_digit_is_rejected(first_eleven, last):
    expected = check_digit(first_eleven)
    value = first_eleven + str(last)
    if expected == last:
        return
    # Whatever else is wrong with the number, a wrong check digit never passes.
    with pytest.raises(ValidationError):
        parse_iin(value)
    with pytest.raises(ValidationError):
        parse_bin(value)
