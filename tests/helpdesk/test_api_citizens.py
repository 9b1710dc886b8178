import pytest

from helpdesk.models import Citizen
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("phone", ["12345", "abc", "", "+32 470", "0470 12 34 56 78 90"])
def test_invalid_phone_is_refused_naming_the_field(api, staff_a, phone):
    response = api(staff_a).post("/api/v1/citizens/", {"phone": phone, "name": "An"}, format="json")
    assert response.status_code == 400
    assert "phone" in response.json()
    assert not Citizen.objects.exists()


def test_staff_register_a_citizen_in_local_notation(api, staff_a, municipality_a):
    response = api(staff_a).post("/api/v1/citizens/", {"phone": "0470 12 34 56", "name": "An"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["phone"] == "+32470123456"
    assert body["municipality"] == municipality_a.pk
    assert body["can_receive_sms"] is True


def test_landline_is_accepted_but_cannot_receive_sms(api, staff_a):
    response = api(staff_a).post("/api/v1/citizens/", {"phone": "09 210 10 10"}, format="json")
    assert response.status_code == 201
    assert response.json()["can_receive_sms"] is False


def test_duplicate_phone_is_a_field_error(api, staff_a, municipality_a):
    CitizenFactory(municipality=municipality_a, phone="+32470123456")
    response = api(staff_a).post("/api/v1/citizens/", {"phone": "+32470123456"}, format="json")
    assert response.status_code == 400
    assert "phone" in response.json()


def test_find_citizen_by_phone_in_any_notation(api, staff_a, municipality_a):
    citizen = CitizenFactory(municipality=municipality_a, phone="+32470123456")
    response = api(staff_a).get("/api/v1/citizens/", {"phone": "0470/12.34.56"})
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [citizen.pk]


def test_find_by_invalid_phone_is_a_400(api, staff_a):
    response = api(staff_a).get("/api/v1/citizens/", {"phone": "hello"})
    assert response.status_code == 400
    assert "phone" in response.json()


def test_outsider_sees_no_citizen_of_a(api, outsider, municipality_a):
    citizen = CitizenFactory(municipality=municipality_a, phone="+32470123456")
    assert api(outsider).get("/api/v1/citizens/").json()["results"] == []
    assert api(outsider).get("/api/v1/citizens/", {"phone": "+32470123456"}).json()["results"] == []
    assert api(outsider).get(f"/api/v1/citizens/{citizen.pk}/").status_code == 404
    assert (
        api(outsider).patch(f"/api/v1/citizens/{citizen.pk}/", {"name": "X"}, format="json").status_code
        == 404
    )


def test_outsider_cannot_create_a_citizen_in_a(api, outsider, municipality_a):
    response = api(outsider).post(
        "/api/v1/citizens/", {"phone": "+32470123456", "municipality": municipality_a.pk}, format="json"
    )
    assert response.status_code == 400
    assert "municipality" in response.json()
    assert not Citizen.objects.exists()


def test_volunteers_have_no_access_to_citizens(api, volunteer_a, municipality_a):
    CitizenFactory(municipality=municipality_a)
    assert api(volunteer_a).get("/api/v1/citizens/").status_code == 403
