import datetime

import pytest
from django.utils import formats, translation

from tests.factories import ClosureFactory

pytestmark = pytest.mark.django_db


def test_login_page_has_a_content_security_policy(web):
    response = web().get("/accounts/login/")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_home_requires_login(web):
    response = web().get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("staff_a", "counter"),
        ("coordinator_a", "coordinate"),
        ("volunteer_a", "digibuddy"),
        ("network_admin", "network"),
    ],
)
def test_each_role_has_its_home_page(request, web, digipunt_a, persona, expected):
    user = request.getfixturevalue(persona)
    response = web(user).get("/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert "Content-Security-Policy" in response.headers


def test_home_shows_todays_hours(web, staff_a, digipunt_a, frozen_now):
    body = web(staff_a).get("/", headers={"Accept-Language": "en"}).content.decode()
    assert "Bibliotheek A" in body
    assert "09:00\u201312:00" in body  # en dash between the times


def test_home_shows_a_public_holiday_as_closed(web, staff_a, digipunt_a, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 25, 10, 0, tzinfo=datetime.UTC))
    body = web(staff_a).get("/", headers={"Accept-Language": "nl"}).content.decode()
    assert "Kerstmis" in body


def test_home_lists_coming_closures_in_belgian_date_format(web, staff_a, digipunt_a, frozen_now):
    ClosureFactory(
        digipunt=digipunt_a, start_date=datetime.date(2026, 12, 24), end_date=datetime.date(2026, 12, 31)
    )
    body = web(staff_a).get("/").content.decode()
    assert "24/12/2026" in body
    assert "Kerstvakantie" in body


def test_outsider_home_shows_nothing_of_a(web, outsider, digipunt_a, digipunt_b):
    body = web(outsider).get("/").content.decode()
    assert "Bibliotheek B" in body
    assert "Bibliotheek A" not in body
    assert "Gemeente A" not in body


def test_user_without_role_is_told_so(web, db):
    from tests.factories import UserFactory

    body = web(UserFactory()).get("/", headers={"Accept-Language": "en"}).content.decode()
    assert "no role" in body


def test_language_switch_to_french(web, staff_a):
    client = web(staff_a)
    response = client.post("/i18n/setlang/", {"language": "fr-be", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert 'lang="fr-be"' in body
    assert "Se déconnecter" in body


def test_pages_are_dutch_by_default(web):
    body = web().get("/accounts/login/").content.decode()
    assert 'lang="nl-be"' in body
    assert "Aanmelden" in body


def test_belgian_date_format_in_every_language():
    day = datetime.date(2026, 11, 26)
    for language in ("nl-be", "fr-be", "en"):
        with translation.override(language):
            assert formats.date_format(day, "SHORT_DATE_FORMAT") == "26/11/2026"


def test_healthz_answers_when_the_database_does(web):
    response = web().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_api_docs_work_offline(web):
    response = web().get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "cdn" not in body.lower()
    assert "unpkg" not in body.lower()


class TestAdminScoping:
    def test_coordinator_enters_the_admin_and_sees_own_digipunten(
        self, web, coordinator_a, digipunt_a, digipunt_b
    ):
        response = web(coordinator_a).get("/admin/helpdesk/digipunt/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Bibliotheek A" in body
        assert "Bibliotheek B" not in body

    def test_coordinator_cannot_open_a_digipunt_of_b(self, web, coordinator_a, digipunt_b):
        response = web(coordinator_a).get(f"/admin/helpdesk/digipunt/{digipunt_b.pk}/change/")
        assert response.status_code in (302, 404)

    def test_staff_and_volunteers_do_not_enter_the_admin(self, web, staff_a, volunteer_a, outsider):
        for user in (staff_a, volunteer_a, outsider):
            assert web(user).get("/admin/").status_code == 302

    def test_coordinator_cannot_change_network_topics(self, web, coordinator_a):
        from helpdesk.models import Topic

        taxes = Topic.objects.get(code="taxes")
        assert web(coordinator_a).get(f"/admin/helpdesk/topic/{taxes.pk}/change/").status_code in (302, 404)

    def test_coordinator_cannot_manage_users_or_memberships(self, web, coordinator_a):
        client = web(coordinator_a)
        assert client.get("/admin/auth/user/").status_code == 403
        assert client.get("/admin/helpdesk/membership/").status_code == 403


def test_login_errors_are_shown_for_each_field(web):
    body = web().post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert 'role="alert"' in body
    assert 'aria-invalid="true"' in body


def test_admin_login_sends_people_to_the_site_login(web):
    response = web().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_coordinator_cannot_add_memberships(web, coordinator_a, outsider, municipality_a):
    from helpdesk.models import Membership

    client = web(coordinator_a)
    assert client.get("/admin/helpdesk/membership/add/").status_code == 403
    client.post(
        "/admin/helpdesk/membership/add/",
        {"user": outsider.pk, "municipality": municipality_a.pk, "role": "coordinator"},
    )
    assert not Membership.objects.filter(user=outsider, municipality=municipality_a).exists()


def test_admin_refuses_overlapping_opening_hours_in_one_form(web, coordinator_a, municipality_a):
    from helpdesk.models import Digipunt

    prefix = "opening_hours"
    data = {
        "municipality": municipality_a.pk,
        "name": "Nieuw",
        "street": "Markt 1",
        "postal_code": "9000",
        "city": "Gent",
        "languages": '["nl"]',
        "desks": 1,
        "slot_minutes": 30,
        "lead_time_minutes": 60,
        "booking_horizon_days": 28,
        "is_active": "on",
        f"{prefix}-TOTAL_FORMS": 2,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-0-weekday": 0,
        f"{prefix}-0-opens": "09:00",
        f"{prefix}-0-closes": "12:00",
        f"{prefix}-1-weekday": 0,
        f"{prefix}-1-opens": "11:00",
        f"{prefix}-1-closes": "14:00",
        "closures-TOTAL_FORMS": 0,
        "closures-INITIAL_FORMS": 0,
    }
    response = web(coordinator_a).post(
        "/admin/helpdesk/digipunt/add/", data, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 200
    assert "Opening hours overlap: 09:00-12:00 and 11:00-14:00." in response.content.decode()
    assert not Digipunt.objects.filter(name="Nieuw").exists()
    data[f"{prefix}-1-opens"] = "13:00"
    assert web(coordinator_a).post("/admin/helpdesk/digipunt/add/", data).status_code == 302
    assert Digipunt.objects.get(name="Nieuw").opening_hours.count() == 2


def test_language_names_filter_takes_lists_and_single_codes():
    from django.utils import translation

    from helpdesk.templatetags.helpdesk_tags import language_names

    with translation.override("en"):
        assert language_names(["nl", "fr"]) == "Dutch, French"
        assert language_names("nl") == "Dutch"
        assert language_names(None) == ""
