"""Every change of a citizen's SMS opt-out leaves an audit entry: STOP, START and the carrier
telling us the number opted out. The entry says what changed and nothing personal."""

import pytest

from helpdesk.models import Citizen
from privacy.models import AuditEvent
from sms import outbox
from sms.backends import LocmemBackend, PermanentError

pytestmark = pytest.mark.django_db


def opt_out_entries(citizen):
    return list(
        AuditEvent.objects.filter(subject="citizen", subject_id=citizen.pk, detail__contains="sms_opt_out")
        .order_by("pk")
        .values_list("action", "detail", "municipality_id", "via")
    )


def test_stop_and_start_are_audited(phone_of, municipality_a):
    phone = phone_of()
    phone("hallo")
    citizen = Citizen.objects.get()
    assert opt_out_entries(citizen) == []
    phone("STOP")
    phone("START")
    entries = opt_out_entries(citizen)
    assert [(action, municipality, via) for action, _detail, municipality, via in entries] == [
        ("change", municipality_a.pk, "sms"),
        ("change", municipality_a.pk, "sms"),
    ]
    stop, start = (detail for _action, detail, _m, _v in entries)
    assert "STOP" in stop
    assert "START" in start
    assert stop != start
    for detail in (stop, start):
        assert "479123456" not in detail


def test_a_repeated_stop_changes_nothing_and_logs_nothing_more(phone_of):
    phone = phone_of()
    phone("STOP")
    citizen = Citizen.objects.get()
    phone("STOP")
    assert len(opt_out_entries(citizen)) == 1


def test_an_opt_out_reported_by_the_carrier_is_audited(citizen_a, municipality_a, frozen_now):
    outbox.queue(
        municipality_id=municipality_a.pk, to=citizen_a.phone, citizen=citizen_a, body="x", kind="other"
    )
    LocmemBackend.failures.append(PermanentError("Twilio 400", "21610"))
    outbox.dispatch()
    citizen_a.refresh_from_db()
    assert citizen_a.sms_opt_out
    [(action, detail, municipality, _via)] = opt_out_entries(citizen_a)
    assert (action, municipality) == ("change", municipality_a.pk)
    assert "carrier" in detail
