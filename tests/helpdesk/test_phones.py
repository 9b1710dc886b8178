"""phones.parse: a number as typed anywhere (search boxes, webhooks, API filters), or None."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumber_field.phonenumber import PhoneNumber

from helpdesk import phones


@pytest.mark.parametrize(
    "typed",
    [
        "0470 12 34 56",
        "0470123456",
        "0470.12.34.56",
        "0470/12.34.56",
        "+32 470 12 34 56",
        "+32470123456",
        "0032 470 12 34 56",
        " 0470 12 34 56 ",
    ],
)
def test_any_notation_of_a_belgian_number_is_read_as_belgian(typed):
    assert phones.parse(typed).as_e164 == "+32470123456"


def test_a_foreign_number_with_its_country_code_is_kept():
    assert phones.parse("+33 6 12 34 56 78").as_e164 == "+33612345678"


def test_a_landline_is_a_valid_number_all_the_same():
    number = phones.parse("02 511 11 11")
    assert number.as_e164 == "+3225111111"
    assert not phones.can_receive_sms(number)


@pytest.mark.parametrize(
    "typed",
    [
        "hello",
        "0470",
        "0470 12 34 5",
        "+",
        "+32",
        "   ",
        "12345678901234567890",
        "0470 12 34 56 78 90",
        "\x00\x01",
        "☎ 0470",
    ],
)
def test_what_is_not_a_valid_number_is_none(typed):
    assert phones.parse(typed) is None


@pytest.mark.parametrize("typed", ["", None])
def test_nothing_typed_is_none(typed):
    assert phones.parse(typed) is None


@pytest.mark.parametrize("typed", ["0" * 10_000, "+32" + "4" * 5_000, "0470 12 34 56" * 1_000, "x" * 100_000])
def test_very_long_input_is_none_and_does_not_raise(typed):
    assert phones.parse(typed) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_none_or_a_valid_number(typed):
    number = phones.parse(typed)
    assert number is None or (isinstance(number, PhoneNumber) and number.is_valid())


@pytest.mark.parametrize(("language", "country_code"), [("nl", "+32"), ("fr", "+32"), ("en", "+32")])
def test_an_unreadable_number_is_explained_with_the_belgian_country_code(language, country_code):
    """The library's Dutch message cited the Netherlands' +31; our catalogue replaces it."""
    from django.utils import translation
    from phonenumber_field.formfields import PhoneNumberField

    with translation.override(language):
        field = PhoneNumberField(region=phones.REGION)
        message = str(field.error_messages["invalid"])
    assert "+31" not in message
    assert country_code in message
