"""A citizen by number (helpdesk/citizen_contact.py): get_or_create without its savepoint, with
what a new row's save() does (the remembered opt-out, the audit entry)."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from helpdesk.citizen_contact import find_or_make
from helpdesk.models import Citizen
from privacy.models import AuditEvent
from sms import optout
from sms.models import ErasedOptOut
from tests.factories import CitizenFactory

PHONE = "+32470123456"


@pytest.mark.django_db
def test_a_known_number_costs_one_read_and_keeps_its_row(municipality_a):
    known = CitizenFactory(municipality=municipality_a, phone=PHONE, name="An", language="fr")
    with CaptureQueriesContext(connection) as queries:
        citizen, created = find_or_make(municipality_a.pk, PHONE, name="Bea", language="nl")
    assert (citizen.pk, created, citizen.name, citizen.language) == (known.pk, False, "An", "fr")
    assert len(queries.captured_queries) == 1


@pytest.mark.django_db
def test_a_known_citizen_without_a_name_gets_the_one_given(municipality_a):
    CitizenFactory(municipality=municipality_a, phone=PHONE, name="")
    citizen, _created = find_or_make(municipality_a.pk, PHONE, name="Bea")
    assert Citizen.objects.get(pk=citizen.pk).name == "Bea"


@pytest.mark.django_db
def test_a_new_number_is_made_with_its_audit_entry_and_no_savepoint(municipality_a):
    with CaptureQueriesContext(connection) as queries:
        citizen, created = find_or_make(municipality_a.pk, PHONE, name="Bea", language="fr")
    assert created
    stored = Citizen.objects.get(pk=citizen.pk)
    assert (stored.name, stored.language, stored.sms_opt_out) == ("Bea", "fr", False)
    assert AuditEvent.objects.filter(subject_id=citizen.pk, action="create").count() == 1
    assert not [q for q in queries.captured_queries if "SAVEPOINT" in q["sql"]]
    # The look-up, the remembered opt-out and the INSERT: one statement on PostgreSQL; SQLite
    # takes them one by one. The audit entry is written on its own outside a booking.
    made = [q["sql"] for q in queries.captured_queries if "privacy_auditevent" not in q["sql"]]
    assert len(made) == (1 if connection.vendor == "postgresql" else 3), made


@pytest.mark.django_db
def test_an_erased_number_that_had_opted_out_comes_back_opted_out(municipality_a):
    gone = CitizenFactory(municipality=municipality_a, phone=PHONE, sms_opt_out=True)
    optout.remember(gone)
    gone.delete()
    citizen, created = find_or_make(municipality_a.pk, PHONE)
    assert created
    assert Citizen.objects.get(pk=citizen.pk).sms_opt_out
    assert not ErasedOptOut.objects.exists()  # the flag lives on the citizen again


@pytest.mark.django_db
def test_a_known_number_leaves_a_remembered_opt_out_alone(municipality_a):
    """Only a new row takes the memory (the rule of sms.optout, inside the one statement)."""
    CitizenFactory(municipality=municipality_a, phone=PHONE)
    ErasedOptOut.objects.create(municipality=municipality_a, number_hash=optout.number_hash(PHONE))
    citizen, created = find_or_make(municipality_a.pk, PHONE)
    assert not created
    assert not citizen.sms_opt_out
    assert ErasedOptOut.objects.count() == 1


def first_contacts_at_once(municipality_id: int, phone: str) -> tuple[list, list]:
    """Two connections look the number up and make it at the same moment: (citizen ids, errors)."""
    barrier, found, errors = threading.Barrier(2), [], []

    def contact():
        try:
            with transaction.atomic():
                barrier.wait()
                found.append(find_or_make(municipality_id, phone)[0].pk)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=contact) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return found, errors


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent connections need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_contacts_at_once_make_one_citizen(municipality_a):
    for round_ in range(5):
        phone = f"+3247012300{round_}"
        found, errors = first_contacts_at_once(municipality_a.pk, phone)
        assert not errors
        assert len(found) == 2
        assert len(set(found)) == 1
        assert Citizen.objects.filter(phone=phone).count() == 1
