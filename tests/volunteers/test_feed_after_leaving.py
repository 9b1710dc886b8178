"""A volunteer who leaves loses their calendar link for good: coming back gives a new one, the old
link stays 404. Every way the status changes (staff page, API, the approval of a new application,
a plain save) goes through Volunteer.save(), which rotates the token on leaving."""

import pytest

from tests.factories import ApplicationFactory
from volunteers.models import Volunteer
from volunteers.services import approve_application

pytestmark = pytest.mark.django_db


def feed(volunteer) -> str:
    return f"/volunteers/calendar/{volunteer.calendar_token()}.ics"


def edit(client, volunteer, status, digipunt):
    response = client.post(
        f"/volunteers/{volunteer.pk}/", {"status": status, "languages": ["nl"], "digipunten": [digipunt.pk]}
    )
    assert response.status_code == 302


def test_leaving_and_coming_back_on_the_staff_page_gives_a_new_link(
    web, client, staff_a, digibuddy, digipunt_a
):
    old = feed(digibuddy)
    assert client.get(old).status_code == 200
    staff = web(staff_a)
    edit(staff, digibuddy, "left", digipunt_a)
    assert client.get(old).status_code == 404
    edit(staff, digibuddy, "active", digipunt_a)
    digibuddy.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(feed(digibuddy)).status_code == 200


def test_leaving_and_coming_back_through_the_api_gives_a_new_link(api, client, staff_a, digibuddy):
    old = feed(digibuddy)
    url = f"/api/v1/volunteers/{digibuddy.pk}/"
    assert api(staff_a).patch(url, {"status": "left"}, format="json").status_code == 200
    assert api(staff_a).patch(url, {"status": "active"}, format="json").status_code == 200
    digibuddy.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(feed(digibuddy)).status_code == 200


def test_a_new_application_of_someone_who_left_gives_a_new_link(client, staff_a, digibuddy, municipality_a):
    old = feed(digibuddy)
    digibuddy.status = Volunteer.Status.LEFT
    digibuddy.save()
    application = ApplicationFactory(municipality=municipality_a, email=digibuddy.user.email)
    volunteer = approve_application(application, by=staff_a)
    assert volunteer.pk == digibuddy.pk
    assert volunteer.status == Volunteer.Status.ACTIVE
    assert client.get(old).status_code == 404
    assert client.get(feed(volunteer)).status_code == 200


def test_someone_who_left_before_this_rule_gets_a_new_link_on_return(client, digibuddy):
    old = feed(digibuddy)
    Volunteer.objects.filter(pk=digibuddy.pk).update(status=Volunteer.Status.LEFT)  # no save()
    volunteer = Volunteer.objects.get(pk=digibuddy.pk)
    volunteer.status = Volunteer.Status.ACTIVE
    volunteer.save()
    assert client.get(old).status_code == 404
    assert client.get(feed(volunteer)).status_code == 200


def test_a_pause_or_another_change_keeps_the_link(client, digibuddy):
    old = feed(digibuddy)
    digibuddy.status = Volunteer.Status.PAUSED
    digibuddy.save()
    digibuddy.status = Volunteer.Status.ACTIVE
    digibuddy.phone = "+32470556677"
    digibuddy.save()
    assert feed(Volunteer.objects.get(pk=digibuddy.pk)) == old
    assert client.get(old).status_code == 200


def test_saving_a_volunteer_who_left_again_keeps_their_new_link(digibuddy):
    digibuddy.status = Volunteer.Status.LEFT
    digibuddy.save()
    after_leaving = feed(digibuddy)
    digibuddy.staff_notes = "left for another town"
    digibuddy.save(update_fields=["staff_notes", "updated_at"])
    digibuddy.save()
    assert feed(Volunteer.objects.get(pk=digibuddy.pk)) == after_leaving
