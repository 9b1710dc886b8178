"""The sender's citizen row (sms.inbound): found and locked, or made, in one statement on
PostgreSQL; what saving a new citizen does (the audit entry, the remembered opt-out of an erased
number) happens all the same."""

import pytest

from helpdesk.models import Citizen
from privacy import erasure
from privacy.models import AuditEvent
from sms import inbound
from sms.models import ErasedOptOut, InboundMessage
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db
PHONE = "+32479123456"


def created_entries():
    return list(
        AuditEvent.objects.filter(subject="citizen", action="create").values_list(
            "subject_id", "municipality_id", "via", "detail"
        )
    )


def test_a_new_number_becomes_one_citizen_with_its_audit_entry(phone_of, helper, municipality_a, frozen_now):
    municipality_a.default_language = "fr"
    municipality_a.save()
    assert phone_of(PHONE)("1")  # a digit: no language of its own
    citizen = Citizen.objects.get()
    assert (str(citizen.phone), citizen.municipality_id, citizen.language) == (PHONE, municipality_a.pk, "fr")
    assert (citizen.last_contact_at, citizen.sms_opt_out, citizen.simulated) == (frozen_now, False, False)
    assert created_entries() == [(citizen.pk, municipality_a.pk, "sms", "")]
    assert InboundMessage.objects.get().citizen == citizen


def test_a_known_citizen_is_found_and_marked_in_contact(phone_of, helper, municipality_a, frozen_now):
    known = CitizenFactory(municipality=municipality_a, phone=PHONE, language="en", last_contact_at=None)
    before = created_entries()
    phone_of(PHONE)("hello")
    citizen = Citizen.objects.get()
    assert citizen.pk == known.pk
    assert (citizen.last_contact_at, citizen.language) == (frozen_now, "en")
    assert created_entries() == before  # no second citizen, no second entry
    assert InboundMessage.objects.get().citizen == citizen


def test_the_same_number_in_another_municipality_is_another_citizen(phone_of, municipality_a, municipality_b):
    CitizenFactory(municipality=municipality_a, phone=PHONE)
    phone_of(PHONE, to=str(municipality_b.sms_number))("hallo")
    assert sorted(Citizen.objects.values_list("municipality_id", flat=True)) == sorted(
        [municipality_a.pk, municipality_b.pk]
    )


def test_an_erased_number_that_had_sent_stop_stays_opted_out(phone_of, municipality_a, municipality_b):
    phone_of(PHONE)("STOP")
    erasure.erase(Citizen.objects.get())
    assert ErasedOptOut.objects.count() == 1
    assert phone_of(PHONE)("hallo") == ""  # no text to a number that said STOP
    again = Citizen.objects.get()
    assert again.sms_opt_out is True
    assert not ErasedOptOut.objects.exists()  # the flag lives on the citizen again
    [(_pk, _municipality, via, detail)] = [entry for entry in created_entries() if entry[0] == again.pk]
    assert (via, detail) == ("sms", "sms_opt_out=on")
    # The memory is the municipality's: the number elsewhere is not opted out.
    assert phone_of(PHONE, to=str(municipality_b.sms_number))("hallo")
    assert Citizen.objects.get(municipality=municipality_b).sms_opt_out is False


def test_an_erased_number_that_had_not_sent_stop_starts_afresh(phone_of, helper):
    phone_of(PHONE)("hallo")
    erasure.erase(Citizen.objects.get())
    assert phone_of(PHONE)("hallo")
    assert Citizen.objects.get().sms_opt_out is False


def receive(municipality, *, simulated: bool, sid: str) -> Citizen:
    inbound.receive(sid=sid, from_=PHONE, to=str(municipality.sms_number), body="hallo", simulated=simulated)
    return Citizen.objects.get()


def test_a_simulated_citizen_stays_simulated_until_a_real_phone_texts(municipality_a):
    assert receive(municipality_a, simulated=True, sid="SMsim1").simulated is True
    assert receive(municipality_a, simulated=True, sid="SMsim2").simulated is True
    assert receive(municipality_a, simulated=False, sid="SMreal").simulated is False
    assert receive(municipality_a, simulated=True, sid="SMsim3").simulated is False  # real for good


def test_the_receivers_a_new_citizen_gets_are_the_ones_the_webhook_knows():
    # sms/inbound.py makes a new citizen without save(): it does sms.optout's pre_save rule inside
    # its statement (privacy.audit's pre_save only reads rows that exist) and sends post_save by
    # hand. A receiver added to Citizen must be handled there too: this list says so.
    from django.db.models.signals import post_save, pre_save

    def names(signal):
        return sorted(f"{r.__module__}.{r.__qualname__}" for r in signal._live_receivers(Citizen)[0])

    assert names(pre_save) == ["privacy.audit._before_save", "sms.optout._restore"]
    assert names(post_save) == ["privacy.audit._saved"]
