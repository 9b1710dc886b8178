import datetime

import pytest
from django.utils import translation

from helpdesk.opening import closed_reason, closures_between, opening_periods, public_holiday
from tests.factories import ClosureFactory

pytestmark = pytest.mark.django_db


def test_belgian_public_holidays_in_the_active_language():
    with translation.override("nl-be"):
        assert public_holiday(datetime.date(2026, 7, 21)) == "Nationale feestdag"
    with translation.override("fr-be"):
        assert public_holiday(datetime.date(2026, 7, 21)) == "Fête nationale"
    assert public_holiday(datetime.date(2026, 11, 26)) is None


def test_open_on_an_ordinary_thursday(digipunt_a):
    periods = opening_periods(digipunt_a, datetime.date(2026, 11, 26))
    assert periods == [(datetime.time(9), datetime.time(12)), (datetime.time(13), datetime.time(17))]


def test_closed_on_a_public_holiday(digipunt_a):
    assert opening_periods(digipunt_a, datetime.date(2026, 11, 11)) == []  # Wapenstilstand


def test_closed_on_the_weekend(digipunt_a):
    assert opening_periods(digipunt_a, datetime.date(2026, 11, 28)) == []


def test_local_closure_of_the_digipunt(digipunt_a):
    ClosureFactory(
        digipunt=digipunt_a, start_date=datetime.date(2026, 12, 28), end_date=datetime.date(2026, 12, 30)
    )
    closures = closures_between(digipunt_a, datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))
    assert closed_reason(datetime.date(2026, 12, 29), closures) == "Kerstvakantie"
    assert closed_reason(datetime.date(2026, 12, 31), closures) is None


def test_municipality_wide_closure_closes_every_digipunt(digipunt_a):
    ClosureFactory(digipunt=None, municipality=digipunt_a.municipality, start_date=datetime.date(2026, 12, 2),
                   end_date=datetime.date(2026, 12, 2), reason="Personeelsdag")  # fmt: skip
    assert opening_periods(digipunt_a, datetime.date(2026, 12, 2)) == []


def test_closure_of_another_digipunt_does_not_close_this_one(digipunt_a, digipunt_b):
    ClosureFactory(
        digipunt=digipunt_b, start_date=datetime.date(2026, 12, 2), end_date=datetime.date(2026, 12, 2)
    )
    assert opening_periods(digipunt_a, datetime.date(2026, 12, 2)) != []
