import datetime

import pytest

from appointments import walk_ins
from appointments.models import Appointment, WaitlistEntry, WalkIn
from helpdesk.models import Citizen, Topic
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def test_day_view_lists_the_days_appointments(web, staff_a, vera, digipunt_a):
    AppointmentFactory(
        digipunt=digipunt_a, volunteer=vera, start=datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC)
    )
    response = web(staff_a).get("/counter/", {"date": "2026-11-30"})
    assert response.status_code == 200
    assert len(response.context["appointments"]) == 1
    assert "10:00" in response.content.decode()


def test_htmx_check_in_returns_the_updated_row(web, staff_a, vera, digipunt_a, at_the_counter):
    appointment = AppointmentFactory(digipunt=digipunt_a, volunteer=vera)
    response = web(staff_a).post(
        f"/counter/appointments/{appointment.pk}/check-in/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<tr id="appointment-{appointment.pk}"')
    appointment.refresh_from_db()
    assert appointment.status == "checked_in"


def test_plain_post_works_without_javascript(web, staff_a, vera, digipunt_a, at_the_counter):
    appointment = AppointmentFactory(digipunt=digipunt_a, volunteer=vera)
    response = web(staff_a).post(f"/counter/appointments/{appointment.pk}/no-show/")
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "no_show"


def test_invalid_transition_is_shown_not_raised(web, staff_a, vera, digipunt_a):
    appointment = AppointmentFactory(digipunt=digipunt_a, volunteer=vera)
    response = web(staff_a).post(
        f"/counter/appointments/{appointment.pk}/complete/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_find_a_citizen_by_phone_typed_any_belgian_way(web, staff_a, vera, digipunt_a, citizen_a):
    AppointmentFactory(digipunt=digipunt_a, volunteer=vera, citizen=citizen_a)
    for typed in ("0470 00 00 01", "+32470000001", "0032 470 00 00 01", "0470/00.00.01"):
        response = web(staff_a).get("/counter/", {"phone": typed})
        assert len(response.context["found"]) == 1, typed
    assert web(staff_a).get("/counter/", {"phone": "hello"}).context["found"] == []


def test_booking_for_a_caller_in_three_screens(web, staff_a, vera, digipunt_a):
    client = web(staff_a)
    step1 = client.post("/counter/book/", {"phone": "0470 12 34 56", "name": "An Peeters"})
    citizen = Citizen.objects.get(phone="+32470123456")
    assert step1.url == f"/counter/book/{citizen.pk}/"
    step2 = client.get(
        step1.url,
        {
            "topic": client.get(step1.url).context["form"].fields["topic"].queryset.get(code="taxes").pk,
            "language": "nl",
        },
    )
    assert step2.status_code == 302
    step3 = client.get(step2.url)
    slots = step3.context["slots"]
    assert slots
    chosen = slots[0]
    confirm = client.post(step2.url, {"slot": f"{chosen.digipunt.pk}|{chosen.start.isoformat()}"})
    appointment = Appointment.objects.get(citizen=citizen)
    assert confirm.url == f"/counter/appointments/{appointment.pk}/slip/"
    assert appointment.channel == "phone"
    assert appointment.booked_by == staff_a
    slip = client.get(confirm.url).content.decode()
    assert appointment.code in slip
    assert "Belastingen" in slip


def test_the_slip_speaks_the_appointments_language_not_the_citizens(
    web, staff_a, vera, digipunt_a, municipality_a
):
    """Bug (issue 17): a French appointment printed a Dutch slip, while its SMS went out in French."""
    from tests.factories import CitizenFactory

    citizen = CitizenFactory(municipality=municipality_a, language="nl")
    appointment = AppointmentFactory(digipunt=digipunt_a, volunteer=vera, citizen=citizen, language="fr")
    slip = web(staff_a).get(f"/counter/appointments/{appointment.pk}/slip/").content.decode()
    assert "Votre rendez-vous" in slip
    assert "Impôts" in slip


def test_nothing_free_puts_the_caller_on_the_waitlist(web, staff_a, digipunt_a, citizen_a):
    client = web(staff_a)
    url = f"/counter/book/{citizen_a.pk}/slot/?topic=taxes&language=ar"
    assert client.get(url).context["slots"] == []
    client.post(url, {"waitlist": "1"})
    assert WaitlistEntry.objects.get(citizen=citizen_a).language == "ar"


def test_walk_in_queue(web, staff_a, digipunt_a):
    client = web(staff_a)
    from helpdesk.models import Topic

    taxes = Topic.objects.get(code="taxes")
    for name in ("Jan", "Els"):
        client.post(
            "/counter/walk-ins/",
            {"digipunt": digipunt_a.pk, "topic": taxes.pk, "language": "nl", "name": name},
        )
    first, second = WalkIn.objects.order_by("number")
    assert (first.number, second.number) == (1, 2)
    page = client.get("/counter/")
    assert page.context["waits"] == {first.pk: 0, second.pk: 10}  # 20 minutes over 2 desks
    client.post(f"/counter/walk-ins/{first.pk}/call/")
    client.post(f"/counter/walk-ins/{first.pk}/served/")
    client.post(f"/counter/walk-ins/{second.pk}/left/")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "served"
    assert first.called_by == staff_a
    assert second.status == "left"


def test_walk_in_numbers_restart_each_day(digipunt_a, time_machine):
    from helpdesk.models import Topic

    taxes = Topic.objects.get(code="taxes")
    assert walk_ins.register(digipunt=digipunt_a, topic=taxes, language="nl").number == 1
    time_machine.move_to(datetime.datetime(2026, 11, 27, 9, tzinfo=datetime.UTC))
    assert walk_ins.register(digipunt=digipunt_a, topic=taxes, language="nl").number == 1


def test_outsider_sees_nothing_of_a_at_the_counter(web, outsider, vera, digipunt_a, digipunt_b, citizen_a):
    appointment = AppointmentFactory(digipunt=digipunt_a, volunteer=vera, citizen=citizen_a)
    client = web(outsider)
    page = client.get("/counter/", {"digipunt": digipunt_a.pk, "date": "2026-11-30", "phone": "0470000001"})
    assert page.context["chosen"] == digipunt_b
    assert list(page.context["appointments"]) == []
    assert page.context["found"] == []
    assert client.get(f"/counter/appointments/{appointment.pk}/slip/").status_code == 404
    assert client.post(f"/counter/appointments/{appointment.pk}/cancel/").status_code == 404
    assert client.get(f"/counter/book/{citizen_a.pk}/").status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_volunteers_do_not_use_the_counter(web, volunteer_a):
    assert web(volunteer_a).get("/counter/").status_code == 403


def test_a_volunteer_of_a_who_is_staff_of_b_gets_nothing_of_a(
    web, api, digipunt_a, digipunt_b, municipality_a
):
    from helpdesk.models import Membership, Role
    from tests.factories import UserFactory

    mixed = UserFactory(username="mixed")
    Membership.objects.create(user=mixed, municipality=municipality_a, role=Role.VOLUNTEER)
    Membership.objects.create(user=mixed, municipality=digipunt_b.municipality, role=Role.STAFF)
    ticket = walk_ins.register(
        digipunt=digipunt_a, topic=Topic.objects.get(code="taxes"), language="nl", name="Geheim"
    )
    client = web(mixed)
    page = client.get("/counter/", {"digipunt": digipunt_a.pk})
    assert page.context["chosen"] == digipunt_b
    assert "Geheim" not in page.content.decode()
    assert client.post(f"/counter/walk-ins/{ticket.pk}/call/").status_code == 404
    booking = {
        "digipunt": digipunt_a.pk,
        "topic": "taxes",
        "start": "2026-11-30T09:00:00+01:00",
        "language": "nl",
        "citizen": {"phone": "0470 12 34 56"},
    }
    assert api(mixed).post("/api/v1/appointments/", booking, format="json").status_code == 400


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("post", "/counter/walk-ins/", {"digipunt": "abc"}),
        ("get", "/counter/", {"date": "2026-02-30"}),
        ("get", "/counter/", {"date": "9999-12-31"}),
    ],
)
def test_odd_input_never_gives_a_500(web, staff_a, digipunt_a, method, url, data):
    response = getattr(web(staff_a), method)(url, data)
    assert response.status_code < 500


def test_odd_slot_choices_never_give_a_500(web, staff_a, vera, digipunt_a, citizen_a):
    client = web(staff_a)
    base = f"/counter/book/{citizen_a.pk}/slot/?topic=taxes&language=nl"
    assert client.get(base + "&digipunt=abc").status_code == 200
    assert client.get(base.replace("language=nl", "language=xyzzy")).status_code == 200
    for slot in (
        "abc|x",
        "1|2026-13-45T10:00",
        f"{digipunt_a.pk}|0001-01-01T00:00+01:00",
        f"{digipunt_a.pk}|9999-12-31T23:30-01:00",
    ):
        assert client.post(base, {"slot": slot}).status_code == 400, slot  # refused with a message
    assert not Appointment.objects.exists()
