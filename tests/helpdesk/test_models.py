import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from helpdesk.models import Closure, Membership, Municipality, OpeningHours, Role
from tests.factories import CitizenFactory, DigipuntFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL-only constraint")


def test_database_refuses_closure_ending_before_it_starts(digipunt_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Closure.objects.create(
            municipality=digipunt_a.municipality,
            digipunt=digipunt_a,
            start_date=datetime.date(2026, 12, 10),
            end_date=datetime.date(2026, 12, 9),
        )


def test_closure_clean_names_the_end_date(digipunt_a):
    closure = Closure(
        municipality=digipunt_a.municipality,
        digipunt=digipunt_a,
        start_date=datetime.date(2026, 12, 10),
        end_date=datetime.date(2026, 12, 9),
    )
    with pytest.raises(ValidationError) as error:
        closure.full_clean()
    assert "end_date" in error.value.message_dict


def test_closure_of_a_digipunt_of_another_municipality_is_refused(digipunt_a, municipality_b):
    closure = Closure(
        municipality=municipality_b,
        digipunt=digipunt_a,
        start_date=datetime.date(2026, 12, 10),
        end_date=datetime.date(2026, 12, 10),
    )
    with pytest.raises(ValidationError) as error:
        closure.full_clean()
    assert "digipunt" in error.value.message_dict


def test_database_refuses_opening_hours_that_close_before_they_open(digipunt_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(
            digipunt=digipunt_a, weekday=5, opens=datetime.time(12), closes=datetime.time(9)
        )


def test_overlapping_opening_hours_are_a_validation_error(digipunt_a):
    # digipunt_a is open Monday 09:00-12:00 and 13:00-17:00.
    overlapping = OpeningHours(
        digipunt=digipunt_a, weekday=0, opens=datetime.time(11), closes=datetime.time(14)
    )
    with pytest.raises(ValidationError):
        overlapping.full_clean()


def test_touching_opening_hours_do_not_overlap(digipunt_a):
    touching = OpeningHours(digipunt=digipunt_a, weekday=0, opens=datetime.time(12), closes=datetime.time(13))
    touching.full_clean()


@on_postgres
def test_postgres_refuses_overlapping_opening_hours_even_without_clean(digipunt_a):
    # The constraint is checked at commit (a week may be rearranged row by row); ask now.
    def create_overlap_and_check_now():
        with transaction.atomic():
            OpeningHours.objects.create(
                digipunt=digipunt_a, weekday=0, opens=datetime.time(11), closes=datetime.time(14)
            )
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS opening_hours_no_overlap IMMEDIATE")

    with pytest.raises(IntegrityError):
        create_overlap_and_check_now()


def test_desks_must_be_positive(municipality_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        DigipuntFactory(municipality=municipality_a, desks=0, weekday_hours=False)


def test_postal_code_must_be_belgian(municipality_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        DigipuntFactory(municipality=municipality_a, postal_code="123", weekday_hours=False)


def test_one_citizen_per_phone_and_municipality(municipality_a, municipality_b):
    CitizenFactory(municipality=municipality_a, phone="+32470123456")
    # The same person known to another municipality is another record, scoped to it.
    CitizenFactory(municipality=municipality_b, phone="+32470123456")
    with pytest.raises(IntegrityError), transaction.atomic():
        CitizenFactory(municipality=municipality_a, phone="+32470123456")


def test_citizen_phone_is_stored_as_e164(municipality_a):
    citizen = CitizenFactory(municipality=municipality_a, phone="0470 12 34 56")
    citizen.refresh_from_db()
    assert str(citizen.phone) == "+32470123456"


@pytest.mark.parametrize("number", ["12345", "abcdefg", "+32 470"])
def test_invalid_citizen_phone_is_refused_naming_the_field(municipality_a, number):
    citizen = CitizenFactory.build(municipality=municipality_a, phone=number)
    with pytest.raises(ValidationError) as error:
        citizen.full_clean()
    assert "phone" in error.value.message_dict


def test_landline_citizen_cannot_receive_sms(municipality_a):
    assert not CitizenFactory(municipality=municipality_a, phone="+3292101010").can_receive_sms
    assert CitizenFactory(municipality=municipality_a, phone="+32470999999").can_receive_sms


def test_opted_out_citizen_cannot_receive_sms(municipality_a):
    assert not CitizenFactory(municipality=municipality_a, sms_opt_out=True).can_receive_sms


def test_municipality_sms_number_must_take_sms():
    municipality = Municipality(name="Vaste Lijn", sms_number="+3292101010")
    with pytest.raises(ValidationError) as error:
        municipality.full_clean()
    assert "sms_number" in error.value.message_dict


def test_citizen_first_name_hides_the_surname():
    assert CitizenFactory.build(name="An Peeters").first_name == "An"
    assert CitizenFactory.build(name="").first_name == ""


def test_network_admin_membership_has_no_municipality(municipality_a):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, municipality=municipality_a, role=Role.NETWORK_ADMIN)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, municipality=None, role=Role.STAFF)


def test_one_role_per_user_and_municipality(municipality_a):
    user = UserFactory()
    Membership.objects.create(user=user, municipality=municipality_a, role=Role.STAFF)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, municipality=municipality_a, role=Role.COORDINATOR)


def test_retention_has_a_floor():
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityFactory(citizen_retention_days=1)
