import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from fyren.demo.identities import personnummer
from fyren.people.identity import (
    COORDINATION_NUMBER,
    PERSONAL_IDENTITY_NUMBER,
    InvalidIdentityNumber,
    parse_identity_number,
)

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_it_accepts_the_twelve_digit_form_and_derives_birth_date_and_sex():
    number = parse_identity_number("19121212-1212", today=TODAY)
    assert number.digits == "191212121212"
    assert number.kind == PERSONAL_IDENTITY_NUMBER
    assert number.birth_date == dt.date(1912, 12, 12)
    assert number.legal_sex == "M"  # 9th digit 1 is odd


def test_it_accepts_the_ten_digit_form_with_hyphen_in_the_latest_possible_century():
    assert parse_identity_number("121212-1212", today=TODAY).digits == "201212121212"


def test_plus_marks_a_person_aged_a_hundred_or_more():
    assert parse_identity_number("121212+1212", today=TODAY).digits == "191212121212"


def test_a_ten_digit_number_without_separator_is_read_like_one_with_a_hyphen():
    assert parse_identity_number("1212121212", today=TODAY).digits == "201212121212"


def test_a_wrong_check_digit_is_refused_with_a_clear_message():
    with pytest.raises(InvalidIdentityNumber, match="check digit"):
        parse_identity_number("19121212-1213", today=TODAY)


@pytest.mark.parametrize("text", ["", "abc", "1912121212121", "19121212_1212", "12-12-12-1212"])
def test_malformed_text_is_refused(text):
    with pytest.raises(InvalidIdentityNumber):
        parse_identity_number(text, today=TODAY)


def test_an_impossible_date_is_refused():
    nine = "901332123"  # 13th month
    from fyren.lib.luhn import luhn_check_digit

    with pytest.raises(InvalidIdentityNumber, match="date"):
        parse_identity_number(f"19{nine}{luhn_check_digit(nine)}", today=TODAY)


def test_a_future_birth_date_is_refused():
    number = personnummer(dt.date(2027, 1, 1), "123")
    with pytest.raises(InvalidIdentityNumber, match="future"):
        parse_identity_number(number, today=TODAY)


def test_plus_with_the_twelve_digit_form_is_refused():
    with pytest.raises(InvalidIdentityNumber):
        parse_identity_number("19121212+1212", today=TODAY)


def test_a_coordination_number_has_sixty_added_to_the_day():
    text = personnummer(dt.date(1978, 6, 21), "275", coordination=True)
    number = parse_identity_number(text, today=TODAY)
    assert number.kind == COORDINATION_NUMBER
    assert number.birth_date == dt.date(1978, 6, 21)
    assert number.digits[6:8] == "81"  # kept as issued


def test_an_even_ninth_digit_means_female():
    assert parse_identity_number(personnummer(dt.date(1990, 3, 14), "238"), today=TODAY).legal_sex == "F"


births = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
serials = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")


@given(birth=births, serial=serials, coordination=st.booleans())
def test_every_generated_valid_number_round_trips(birth, serial, coordination):
    text = personnummer(birth, serial, coordination)
    number = parse_identity_number(text, today=TODAY)
    assert number.digits == text
    assert number.birth_date == birth
    assert number.kind == (COORDINATION_NUMBER if coordination else PERSONAL_IDENTITY_NUMBER)
    # The ten-digit form with the right separator gives the same person.
    separator = "+" if number.age_on(TODAY) >= 100 else "-"
    assert parse_identity_number(f"{text[2:8]}{separator}{text[8:]}", today=TODAY).digits == text


@given(birth=births, serial=serials, wrong=st.integers(min_value=1, max_value=9))
def test_any_changed_check_digit_is_refused(birth, serial, wrong):
    text = personnummer(birth, serial)
    altered = text[:-1] + str((int(text[-1]) + wrong) % 10)
    with pytest.raises(InvalidIdentityNumber):
        parse_identity_number(altered, today=TODAY)
