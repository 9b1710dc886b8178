"""The staff page for citizen data, and the public privacy and accessibility pages."""

import json

import pytest

from helpdesk.models import Citizen
from privacy.models import AuditEvent
from tests.privacy.records import PHONE, citizen_with_history

pytestmark = pytest.mark.django_db


def test_staff_find_export_and_erase(frozen_now, web, digipunt_a, staff_a):
    citizen, _ = citizen_with_history(digipunt_a)
    client = web(staff_a)
    found = client.post("/privacy/citizens/", {"phone": "0470/12.34.56"})
    assert found.status_code == 302
    assert found.url == f"/privacy/citizens/{citizen.pk}/"
    page = client.get(found.url)
    assert page.status_code == 200
    assert "Maria Peeters" in page.content.decode()
    export = client.get(f"/privacy/citizens/{citizen.pk}/export.json")
    data = json.loads(export.content)
    assert export["Content-Disposition"].startswith("attachment")
    assert data["citizen"]["phone"] == PHONE
    assert data["sms_received"][0]["body"] == "afspraak belastingen"
    assert data["appointments"][0]["notes"] == "Brings her own laptop"
    assert not client.post(f"/privacy/citizens/{citizen.pk}/erase/", {}).url.endswith("/citizens/")
    assert Citizen.objects.filter(pk=citizen.pk).exists()  # not confirmed: nothing happens
    erased = client.post(f"/privacy/citizens/{citizen.pk}/erase/", {"confirm": "on"})
    assert erased.status_code == 302
    assert not Citizen.objects.filter(pk=citizen.pk).exists()
    actions = set(AuditEvent.objects.filter(subject="citizen").values_list("action", flat=True))
    assert {"view", "export", "erase"} <= actions


def test_staff_lookup_of_an_unknown_or_bad_number(web, staff_a):
    client = web(staff_a)
    assert client.post("/privacy/citizens/", {"phone": "+32470000000"}, follow=True).status_code == 200
    bad = client.post("/privacy/citizens/", {"phone": "not a number"})
    assert bad.status_code == 200
    assert bad.context["form"].errors["phone"]


def test_outsider_sees_and_erases_nothing_of_another_municipality(frozen_now, web, digipunt_a, outsider):
    citizen, _ = citizen_with_history(digipunt_a)
    client = web(outsider)
    assert client.post("/privacy/citizens/", {"phone": PHONE}).url == "/privacy/citizens/"
    assert client.get(f"/privacy/citizens/{citizen.pk}/").status_code == 404
    assert client.get(f"/privacy/citizens/{citizen.pk}/export.json").status_code == 404
    assert client.post(f"/privacy/citizens/{citizen.pk}/erase/", {"confirm": "on"}).status_code == 404
    assert Citizen.objects.filter(pk=citizen.pk).exists()


def test_volunteers_have_no_access_to_citizen_data(web, volunteer_a):
    assert web(volunteer_a).get("/privacy/citizens/").status_code == 403


@pytest.mark.parametrize("language", ["nl-be", "fr-be", "en"])
@pytest.mark.parametrize("path", ["/privacy/", "/accessibility/"])
def test_public_privacy_and_accessibility_pages(client, municipality_a, path, language):
    response = client.get(path, headers={"accept-language": language})
    assert response.status_code == 200
    assert f'lang="{language[:2]}"' in response.content.decode()
    if path == "/privacy/":
        assert "Gemeente A" in response.content.decode()  # its retention periods are listed
