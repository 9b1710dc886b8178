import pytest

from tests.factories import VolunteerFactory


@pytest.fixture
def digibuddy(municipality_a, digipunt_a):
    """An active volunteer of A (user `digibuddy`) serving digipunt A, with an e-mail address."""
    from tests.factories import UserFactory

    user = UserFactory(username="digibuddy", first_name="Vera", last_name="Peeters", email="vera@example.org")
    return VolunteerFactory(user=user, municipality=municipality_a, digipunten=[digipunt_a])


@pytest.fixture(autouse=True)
def _frozen_clock(frozen_now):
    """Volunteer tests reason about dates (blocks count from the day they were entered): freeze
    the clock for every test here, so the suite means the same whenever it runs."""
    return frozen_now
