"""The walk-in queue on the counter: the htmx fragment, call next, undo "left", the language
preset, and the queue placed above the day's appointments."""

import datetime

import pytest

from appointments import walk_ins
from appointments.models import WalkIn
from helpdesk.languages import default_citizen_language
from helpdesk.models import Topic
from tests.factories import AppointmentFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def ticket(digipunt_a):
    def give(name="", language="nl"):
        return walk_ins.register(
            digipunt=digipunt_a, topic=Topic.objects.get(code="taxes"), language=language, name=name
        )

    return give


def test_the_queue_comes_before_the_appointments(web, staff_a, vera, digipunt_a, ticket):
    first = datetime.datetime(2026, 11, 26, 8, tzinfo=datetime.UTC)
    for n in range(9):  # a full day: the queue must not sit under all of it
        AppointmentFactory(
            digipunt=digipunt_a, volunteer=vera, start=first + datetime.timedelta(minutes=45 * n)
        )
    ticket("Jan")
    html = web(staff_a).get("/counter/").content.decode()
    assert html.index('id="walk-in-heading"') < html.index('id="appointments-heading"')


def test_the_queue_fragment_polls_and_shows_tickets_from_another_desk(web, staff_a, digipunt_a, ticket):
    client = web(staff_a)
    page = client.get("/counter/").content.decode()
    assert 'hx-trigger="every 20s"' in page
    ticket("Els")  # given at the second desk
    fragment = client.get("/counter/walk-ins/queue/", {"digipunt": digipunt_a.pk}, headers=HX)
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="walk-in-queue"')
    assert "Els" in html
    assert "<html" not in html


def test_another_days_queue_is_history_without_actions_or_polling(web, staff_a, digipunt_a, ticket):
    ticket("Jan")
    html = web(staff_a).get("/counter/", {"date": "2026-11-25"}).content.decode()
    assert "hx-trigger" not in html
    assert "Volgende oproepen" not in html


def test_adding_a_walk_in_with_htmx_answers_the_fragment(web, staff_a, digipunt_a):
    taxes = Topic.objects.get(code="taxes")
    response = web(staff_a).post(
        "/counter/walk-ins/",
        {"digipunt": digipunt_a.pk, "topic": taxes.pk, "language": "fr", "name": "Luc"},
        headers=HX,
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "walk-in-added"
    assert "Luc" in response.content.decode()
    assert WalkIn.objects.get().language == "fr"


def test_a_bad_walk_in_says_why_and_writes_nothing(web, staff_a, digipunt_a):
    response = web(staff_a).post("/counter/walk-ins/", {"digipunt": digipunt_a.pk, "topic": "x"}, headers=HX)
    assert response.status_code == 200
    assert "Kies een onderwerp en een taal" in response.content.decode()
    assert "HX-Trigger" not in response
    assert not WalkIn.objects.exists()


def test_call_next_takes_the_oldest_waiting_ticket(web, staff_a, digipunt_a, ticket):
    first, second, third = ticket("Jan"), ticket("Els"), ticket("Piet")
    walk_ins.call(second)
    client = web(staff_a)
    response = client.post("/counter/walk-ins/next/", {"digipunt": digipunt_a.pk}, headers=HX)
    assert "Volgnummer 1 (Jan) is opgeroepen." in response.content.decode()
    first.refresh_from_db()
    assert (first.status, first.called_by) == ("called", staff_a)
    client.post("/counter/walk-ins/next/", {"digipunt": digipunt_a.pk}, headers=HX)
    third.refresh_from_db()
    assert third.status == "called"
    empty = client.post("/counter/walk-ins/next/", {"digipunt": digipunt_a.pk}, headers=HX)
    assert "Er wacht niemand." in empty.content.decode()


def test_call_next_without_javascript_redirects_with_the_message(web, staff_a, digipunt_a, ticket):
    ticket("Jan")
    response = web(staff_a).post("/counter/walk-ins/next/", {"digipunt": digipunt_a.pk}, follow=True)
    assert "Volgnummer 1 (Jan) is opgeroepen." in response.content.decode()


def test_call_next_never_calls_yesterdays_tickets(digipunt_a, time_machine, ticket):
    ticket("Gisteren")
    time_machine.move_to(datetime.datetime(2026, 11, 27, 9, tzinfo=datetime.UTC))
    assert walk_ins.call_next(digipunt_a) is None


def test_call_next_is_disabled_with_a_hint_when_nobody_waits(web, staff_a, digipunt_a):
    html = web(staff_a).get("/counter/").content.decode()
    assert 'disabled aria-describedby="call-next-hint"' in html


def test_left_without_help_asks_first_and_can_be_undone(web, staff_a, digipunt_a, ticket):
    waiting, called = ticket("Jan"), ticket("Els")
    walk_ins.call(called, by=staff_a)
    client = web(staff_a)
    page = client.get("/counter/").content.decode()
    assert 'hx-confirm="Is volgnummer 1 vertrokken zonder hulp?"' in page
    for one in (waiting, called):
        left = client.post(f"/counter/walk-ins/{one.pk}/left/", headers=HX).content.decode()
        assert "vertrokken zonder hulp" in left
        assert f"/counter/walk-ins/{one.pk}/undo-left/" in left
    client.post(f"/counter/walk-ins/{waiting.pk}/undo-left/", headers=HX)
    client.post(f"/counter/walk-ins/{called.pk}/undo-left/", headers=HX)
    waiting.refresh_from_db()
    called.refresh_from_db()
    assert (waiting.status, waiting.finished_at) == ("waiting", None)  # back in its old place
    assert (called.status, called.called_by) == ("called", staff_a)


def test_undo_only_undoes_left(ticket, staff_a):
    served = ticket("Jan")
    walk_ins.call(served)
    walk_ins.finish(served, served=True)
    assert walk_ins.undo_left(served).status == "served"


def test_an_action_another_desk_did_first_says_so(web, staff_a, digipunt_a, ticket):
    one = ticket("Jan")
    walk_ins.call(one)
    response = web(staff_a).post(f"/counter/walk-ins/{one.pk}/call/", headers=HX)
    assert "intussen aan een andere balie gewijzigd" in response.content.decode()


def test_odd_walk_in_input_never_gives_a_500(web, staff_a, digipunt_a, ticket):
    client = web(staff_a)
    one = ticket()
    assert client.post(f"/counter/walk-ins/{one.pk}/explode/").status_code == 404
    assert client.post("/counter/walk-ins/next/", {"digipunt": "abc"}).status_code == 404
    assert client.get("/counter/walk-ins/queue/", {"digipunt": "9" * 30}).status_code == 404
    assert client.get("/counter/walk-ins/queue/").status_code == 404
    assert client.post("/counter/walk-ins/queue/").status_code == 405


def test_another_municipality_cannot_see_or_call_the_queue(web, outsider, digipunt_a, ticket):
    ticket("Geheim")
    client = web(outsider)
    assert client.get("/counter/walk-ins/queue/", {"digipunt": digipunt_a.pk}).status_code == 404
    assert client.post("/counter/walk-ins/next/", {"digipunt": digipunt_a.pk}).status_code == 404
    assert WalkIn.objects.get().status == "waiting"


def test_volunteers_get_no_queue(web, volunteer_a, digipunt_a):
    assert web(volunteer_a).get("/counter/walk-ins/queue/", {"digipunt": digipunt_a.pk}).status_code == 403


def test_walk_in_language_defaults_to_the_municipalitys_not_the_screens(
    web, staff_a, digipunt_a, municipality_a
):
    municipality_a.default_language = "fr"
    municipality_a.save()
    client = web(staff_a)
    client.cookies["django_language"] = "en"
    response = client.get("/counter/", headers={"Accept-Language": "en"})
    form = response.context["walk_in_form"]
    assert form.initial["language"] == "fr"
    html = response.content.decode()
    assert '<option value="fr" selected>' in html
    assert "Preset to the language of Gemeente A." in html  # the choice is visible, and why


def test_default_citizen_language():
    assert default_citizen_language(MunicipalityFactory.build(default_language="fr")) == "fr"
    assert default_citizen_language(MunicipalityFactory.build(default_language="nl")) == "nl"
    assert default_citizen_language(None) == "nl"


def test_finished_tickets_fold_away_and_the_undo_comes_with_the_message(web, staff_a, digipunt_a, ticket):
    helped, gone, _waiting = ticket("Jan"), ticket("Els"), ticket("Piet")
    walk_ins.call(helped)
    walk_ins.finish(helped, served=True)
    client = web(staff_a)
    left = client.post(f"/counter/walk-ins/{gone.pk}/left/", headers=HX).content.decode()
    message = left[left.index("data-announce") : left.index("</div>", left.index("data-announce"))]
    assert "Volgnummer 2 is vertrokken zonder hulp." in message
    assert f"/counter/walk-ins/{gone.pk}/undo-left/" in message
    folded = left[left.index("<details") :]
    assert "Afgehandeld vandaag (2)" in folded
    assert "Jan" in folded
    assert "Els" in folded
    assert "Piet" not in folded
    refreshed = client.get(
        "/counter/walk-ins/queue/", {"digipunt": digipunt_a.pk}, headers=HX
    ).content.decode()
    assert "data-announce" not in refreshed  # the message is for the desk that acted, once
