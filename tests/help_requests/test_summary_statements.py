"""stats.summary in five statements: the single values (previous total, medians, unmet demand)
share one row, appointments and walk-ins are counted by status in one, names come with the
counts, walk-ins who left come from the walk-in counts. The figures stay what they were,
for a municipality and for one of its digipunten. Run on both databases."""

import datetime

import pytest

from appointments.models import Appointment, WaitlistEntry, WalkIn
from help_requests import services as help_requests
from help_requests import stats
from sms.models import InboundMessage
from tests.factories import AppointmentFactory, DigipuntFactory

DAY = datetime.date(2026, 11, 24)
OPEN = datetime.datetime(2026, 11, 24, 9, tzinfo=datetime.UTC)
Status = Appointment.Status


@pytest.fixture
def wijkhuis(municipality_a):
    return DigipuntFactory(municipality=municipality_a, name="Wijkhuis A")


def appointment(digipunt, hour, status, lead_days):
    booked = AppointmentFactory(digipunt=digipunt, start=OPEN + datetime.timedelta(hours=hour), status=status)
    Appointment.objects.filter(pk=booked.pk).update(
        created_at=booked.start - datetime.timedelta(days=lead_days)
    )


def walk_in(digipunt, taxes, number, wait_minutes=None):
    WalkIn.objects.create(
        digipunt=digipunt, day=DAY, number=number, topic=taxes, language="nl", arrived_at=OPEN,
        status=WalkIn.Status.LEFT if wait_minutes is None else WalkIn.Status.SERVED,
        called_at=None if wait_minutes is None else OPEN + datetime.timedelta(minutes=wait_minutes),
    )  # fmt: skip


def no_slot(municipality, sid, when, event=InboundMessage.Event.NO_SLOT):
    InboundMessage.objects.create(
        message_sid=sid, municipality=municipality, from_number="+32470999111",
        to_number=str(municipality.sms_number), body="afspraak", event=event, received_at=when,
    )  # fmt: skip


def logged(digipunt, taxes, date):
    help_requests.log(
        digipunt=digipunt, topics=[taxes], channel="sms", outcome="solved", duration_minutes=30, date=date,
        hour=10, self_reliant=False, referred_to="",
    )  # fmt: skip


@pytest.fixture
def demand(municipality_a, municipality_b, digipunt_a, digipunt_b, wijkhuis, taxes):
    for hour, status, lead in [(0, Status.COMPLETED, 1), (1, Status.COMPLETED, 2), (2, Status.COMPLETED, 6),
                               (3, Status.NO_SHOW, 3), (4, Status.CANCELLED, 60)]:  # fmt: skip
        appointment(digipunt_a, hour, status, lead)
    appointment(wijkhuis, 5, Status.COMPLETED, 10)
    appointment(digipunt_b, 6, Status.COMPLETED, 30)
    for number, wait in enumerate([4, 10, 2, None], start=1):
        walk_in(digipunt_a, taxes, number, wait)
    walk_in(wijkhuis, taxes, 1, 40)
    walk_in(wijkhuis, taxes, 2)
    walk_in(digipunt_b, taxes, 1, 90)
    for digipunt in (digipunt_a, None, wijkhuis):
        WaitlistEntry.objects.create(
            municipality=municipality_a, digipunt=digipunt, topic=taxes, language="nl", channel="sms"
        )
    WaitlistEntry.objects.create(municipality=municipality_b, topic=taxes, language="nl", channel="sms")
    no_slot(municipality_a, "SM1", OPEN)
    no_slot(municipality_a, "SM2", OPEN)
    no_slot(municipality_a, "SM3", datetime.datetime(2025, 1, 1, 9, tzinfo=datetime.UTC))  # before the period
    no_slot(municipality_a, "SM4", OPEN, event=InboundMessage.Event.BOOKED)
    no_slot(municipality_b, "SM5", OPEN)
    june = datetime.date(2025, 6, 2)
    for digipunt, date in [(digipunt_a, june), (digipunt_a, june + datetime.timedelta(days=1)),
                           (wijkhuis, june), (digipunt_a, DAY), (wijkhuis, DAY)]:  # fmt: skip
        logged(digipunt, taxes, date)


def test_a_municipality_year_in_five_statements(
    municipality_a, digipunt_a, wijkhuis, demand, frozen_now, django_assert_num_queries
):
    period = stats.Period.ending(None, frozen_now.date())
    with django_assert_num_queries(5):
        figures = stats.summary([municipality_a.pk], period)
    assert figures["appointments"] == {
        "booked": 6, "completed": 4, "no_show": 1, "cancelled": 1, "no_show_rate": 0.2,
        "median_lead_time_hours": 72.0,
    }  # fmt: skip
    assert figures["walk_ins"] == {"arrived": 6, "served": 4, "left": 2, "median_wait_minutes": 7.0}
    assert figures["unmet_demand_detail"] == {"sms_without_slot": 2, "waitlisted": 3, "walk_ins_left": 2}
    assert figures["unmet_demand"] == 7
    assert figures["total"] == 2
    assert figures["previous_period"]["total"] == 3
    assert figures["previous_period"]["change"] == round((2 - 3) / 3, 4)
    assert figures["by_digipunt"] == [
        {"digipunt": digipunt_a.pk, "name": "Bibliotheek A", "count": 1},
        {"digipunt": wijkhuis.pk, "name": "Wijkhuis A", "count": 1},
    ]
    assert figures["by_topic"] == [{"topic": "taxes", "name": "Belastingen (MyMinfin)", "count": 2}]
    assert stats.unmet_demand([municipality_a.pk], period) == figures["unmet_demand_detail"]
    assert stats.appointment_figures([municipality_a.pk], period) == figures["appointments"]
    assert stats.walk_in_figures([municipality_a.pk], period) == figures["walk_ins"]


def test_one_digipunt(municipality_a, digipunt_a, demand, frozen_now):
    period = stats.Period.ending(None, frozen_now.date())
    figures = stats.summary([municipality_a.pk], period, digipunt_a.pk)
    assert figures["appointments"] == {
        "booked": 5, "completed": 3, "no_show": 1, "cancelled": 1, "no_show_rate": 0.25,
        "median_lead_time_hours": 60.0,
    }  # fmt: skip
    assert figures["walk_ins"] == {"arrived": 4, "served": 3, "left": 1, "median_wait_minutes": 4.0}
    # An SMS names no digipunt; a waitlist entry for any digipunt counts for each.
    assert figures["unmet_demand_detail"] == {"sms_without_slot": 0, "waitlisted": 2, "walk_ins_left": 1}
    assert figures["previous_period"]["total"] == 2
    assert figures["total"] == 1
    assert [row["name"] for row in figures["by_digipunt"]] == ["Bibliotheek A"]
    assert stats.unmet_demand([municipality_a.pk], period, digipunt_a.pk) == figures["unmet_demand_detail"]


def test_the_whole_network(demand, frozen_now):
    period = stats.Period.ending(None, frozen_now.date())
    figures = stats.summary(None, period)
    assert figures["appointments"]["booked"] == 7
    assert figures["walk_ins"]["median_wait_minutes"] == 10.0
    assert figures["unmet_demand_detail"] == {"sms_without_slot": 3, "waitlisted": 4, "walk_ins_left": 2}


def test_nothing_at_all_has_no_medians(municipality_a, frozen_now):
    figures = stats.summary([municipality_a.pk], stats.Period.ending(None, frozen_now.date()))
    assert figures["appointments"]["median_lead_time_hours"] is None
    assert figures["walk_ins"]["median_wait_minutes"] is None
    assert figures["unmet_demand"] == 0
    assert figures["previous_period"] == {**figures["previous_period"], "total": 0, "change": None}
