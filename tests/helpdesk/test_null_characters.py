"""NUL is refused once, at the door (helpdesk.null_characters), for every path, query parameter,
form field, JSON string and cookie: PostgreSQL refuses NUL in text, so each of these used to be a
500 wherever the value reached a query. The Twilio webhooks are the exception: they clean SMS
bodies themselves, and a refused message would be lost (Twilio does not resend after a 4xx)."""

import pytest
from django.test import Client

from appointments.models import Appointment
from guides.models import Guide
from help_requests.models import HelpRequest
from helpdesk.models import Citizen
from tests.factories import CitizenFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Null-tekens zijn niet toegestaan."  # the default language is Dutch


@pytest.fixture
def places(digipunt_a):
    return {
        "digipunt": digipunt_a.pk,
        "citizen": CitizenFactory(municipality=digipunt_a.municipality).pk,
        "volunteer": VolunteerFactory(municipality=digipunt_a.municipality, digipunten=[digipunt_a]).pk,
    }


API_READS = [
    ("/api/v1/topics/%00/", "path"),
    ("/api/v1/slots/?topic=%00", "topic"),
    ("/api/v1/guides/?q=%00", "q"),
    ("/api/v1/guides/?topic=%00", "topic"),
    ("/api/v1/appointments/?phone=0470%00", "phone"),
]


@pytest.mark.parametrize(("url", "field"), API_READS)
def test_api_reads_with_nul_are_a_400_naming_the_field(api, coordinator_a, places, url, field):
    response = api(coordinator_a).get(url)
    assert response.status_code == 400
    assert response.json() == {field: [MESSAGE]}


def write(name, places):
    return {
        "help request": (
            "post",
            "/api/v1/help-requests/",
            {
                "digipunt": places["digipunt"],
                "topics": ["\x00"],
                "channel": "phone",
                "duration_minutes": 10,
                "outcome": "solved",
            },
            "topics",
        ),
        "appointment": (
            "post",
            "/api/v1/appointments/",
            {
                "digipunt": places["digipunt"],
                "topic": "\x00",
                "start": "2026-11-30T09:00:00+01:00",
                "language": "nl",
                "citizen": {"phone": "+32470123456"},
            },
            "topic",
        ),
        "appointment, nested": (
            "post",
            "/api/v1/appointments/",
            {
                "digipunt": places["digipunt"],
                "topic": "taxes",
                "start": "2026-11-30T09:00:00+01:00",
                "language": "nl",
                "citizen": {"phone": "+32470123456", "name": "An\x00"},
            },
            "citizen.name",
        ),
        "guide": (
            "post",
            "/api/v1/guides/",
            {"title": "Gids", "topics": ["\x00"], "language": "nl", "body_markdown": "Tekst"},
            "topics",
        ),
        "volunteer": ("patch", f"/api/v1/volunteers/{places['volunteer']}/", {"topics": ["\x00"]}, "topics"),
        "a key": ("post", "/api/v1/guides/", {"ti\x00tle": "Gids"}, "ti\\x00tle"),
    }[name]


@pytest.mark.parametrize(
    "name", ["help request", "appointment", "appointment, nested", "guide", "volunteer", "a key"]
)
def test_api_writes_with_nul_in_json_are_a_400_naming_the_field(api, coordinator_a, places, name):
    method, url, data, field = write(name, places)
    before = [model.objects.count() for model in (HelpRequest, Appointment, Guide)]
    response = getattr(api(coordinator_a), method)(url, data, format="json")
    assert response.status_code == 400
    assert response.json() == {field: [MESSAGE]}
    assert [model.objects.count() for model in (HelpRequest, Appointment, Guide)] == before


def test_a_form_encoded_patch_with_nul_is_refused_too(api, coordinator_a, places):
    """Django parses form bodies of POST only; a PATCH is read here all the same."""
    response = api(coordinator_a).patch(
        f"/api/v1/volunteers/{places['volunteer']}/", {"topics": "\x00"}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {"topics": [MESSAGE]}


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/counter/book/{citizen}/slot/?topic=%00", "topic"),
        ("/sms/simulator/?phone=%00", "phone"),
        ("/counter/%00/", "path"),
    ],
)
def test_pages_with_nul_in_the_query_or_path_are_a_plain_400(web, staff_a, places, url, field):
    response = web(staff_a).get(url.format(**places))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert f"“{field}”" in response.content.decode()


def test_a_form_post_with_nul_is_a_400_and_writes_nothing(web, staff_a, places):
    citizens = Citizen.objects.count()
    response = web(staff_a).post("/counter/book/", {"phone": "0470 12 34 56", "name": "An\x00"})
    assert response.status_code == 400
    assert "“name”" in response.content.decode()
    assert Citizen.objects.count() == citizens


def test_a_nul_in_the_session_cookie_is_a_400_not_a_500():
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    response = client.get("/")
    assert response.status_code == 400


def test_the_message_is_in_the_language_of_the_request(api, coordinator_a):
    response = api(coordinator_a).get("/api/v1/guides/?q=%00", headers={"accept-language": "fr-BE"})
    assert response.json() == {"q": ["Le caractère nul n\u2019est pas autorisé."]}
    page = Client().get("/accounts/login/?next=%00", headers={"accept-language": "nl-BE"})
    assert page.content.decode() == "“next”: null-tekens zijn niet toegestaan."
