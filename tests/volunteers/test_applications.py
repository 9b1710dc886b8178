import re

import pytest
from django.contrib.auth import get_user_model

from helpdesk.models import Membership, Role
from tests.factories import ApplicationFactory, TopicFactory
from volunteers.models import Application, Volunteer
from volunteers.services import approve_application, decline_application

pytestmark = pytest.mark.django_db


def application_data(municipality, **overrides):
    from helpdesk.models import Topic

    data = {
        "municipality": municipality.pk,
        "first_name": "Anna",
        "last_name": "Janssens",
        "email": "Anna@Example.org",
        "phone": "0470 11 22 33",
        "languages": ["nl", "ar"],
        "topics": [Topic.objects.get(code="banking").pk],
        "motivation": "Ik help graag.",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_anyone_can_apply_without_logging_in(client, municipality_a):
    response = client.post("/volunteers/apply/", application_data(municipality_a))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.email == "anna@example.org"
    assert str(application.phone) == "+32470112233"
    assert application.languages == ["nl", "ar"]
    assert application.topics.get().code == "banking"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "12345"),
        ("phone", "09 210 10 10"),
        ("email", "not-an-email"),
        ("languages", []),
        ("consent", ""),
    ],
)
def test_bad_application_is_refused_with_the_field_named(client, municipality_a, field, value):
    response = client.post("/volunteers/apply/", application_data(municipality_a, **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Application.objects.exists()


def test_duplicate_pending_application_is_refused(client, municipality_a):
    client.post("/volunteers/apply/", application_data(municipality_a))
    response = client.post(
        "/volunteers/apply/",
        application_data(municipality_a, email="ANNA@example.org", phone="0470 99 88 77"),
    )
    assert response.status_code == 200
    assert "wacht al een kandidatuur" in str(response.context["form"].errors["email"])
    assert Application.objects.count() == 1


def test_approval_creates_account_membership_and_mails_a_set_password_link(
    client, staff_a, municipality_a, digipunt_a, django_capture_on_commit_callbacks, sent_mail
):
    application = ApplicationFactory(municipality=municipality_a, email="anna@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        volunteer = approve_application(application, by=staff_a)
    user = volunteer.user
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == Role.VOLUNTEER
    assert list(volunteer.digipunten.all()) == [digipunt_a]
    assert volunteer.status == Volunteer.Status.ACTIVE
    (message,) = sent_mail()
    assert message.to == ["anna@example.org"]
    assert user.username in message.body
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-long-new-password-42", "new_password2": "a-long-new-password-42"},
    )
    assert response.status_code == 302
    assert client.login(username=user.username, password="a-long-new-password-42")


def test_approving_twice_is_refused(staff_a, municipality_a):
    from django.core.exceptions import ValidationError

    application = ApplicationFactory(municipality=municipality_a)
    approve_application(application, by=staff_a)
    with pytest.raises(ValidationError):
        approve_application(application, by=staff_a)


def test_approval_never_attaches_a_volunteer_to_a_staff_account(staff_a, coordinator_a, municipality_a):
    from django.core.exceptions import ValidationError

    staff_a.email = "staff@example.org"
    staff_a.save()
    application = ApplicationFactory(
        municipality=municipality_a, email="STAFF@example.org", first_name="Evil"
    )
    with pytest.raises(ValidationError):
        approve_application(application, by=coordinator_a)
    assert not Volunteer.objects.filter(user=staff_a).exists()
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING


def test_approval_reuses_a_volunteer_account_without_renaming_it(staff_a, municipality_a, municipality_b):
    from tests.factories import VolunteerFactory

    existing = VolunteerFactory(municipality=municipality_b)
    existing.user.email = "multi@example.org"
    existing.user.save()
    application = ApplicationFactory(
        municipality=municipality_a, email="MULTI@example.org", first_name="Other"
    )
    volunteer = approve_application(application, by=staff_a)
    existing.user.refresh_from_db()
    assert volunteer == existing
    assert existing.user.first_name != "Other"
    assert Membership.objects.filter(
        user=existing.user, municipality=municipality_a, role=Role.VOLUNTEER
    ).exists()


def test_decline_needs_a_reason_and_mails_it(
    staff_a, municipality_a, django_capture_on_commit_callbacks, sent_mail
):
    from django.core.exceptions import ValidationError

    application = ApplicationFactory(municipality=municipality_a)
    with pytest.raises(ValidationError):
        decline_application(application, by=staff_a, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        decline_application(application, by=staff_a, reason="Geen plaats meer dit jaar.")
    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED
    assert "Geen plaats meer dit jaar." in sent_mail()[0].body
    assert not get_user_model().objects.filter(email=application.email).exists()


def test_staff_approve_through_the_page(web, staff_a, municipality_a, digipunt_a):
    application = ApplicationFactory(municipality=municipality_a)
    response = web(staff_a).post(
        f"/volunteers/applications/{application.pk}/", {"approve": "1", "digipunten": [digipunt_a.pk]}
    )
    assert response.status_code == 302
    assert Volunteer.objects.filter(application=application).exists()


def test_decline_without_reason_on_the_page_shows_an_error(web, staff_a, municipality_a):
    application = ApplicationFactory(municipality=municipality_a)
    response = web(staff_a).post(f"/volunteers/applications/{application.pk}/", {"decline": "1"})
    assert response.status_code == 200
    assert "decline_reason" in response.context["form"].errors


def test_outsider_cannot_see_or_decide_applications_of_a(web, outsider, municipality_a):
    application = ApplicationFactory(municipality=municipality_a)
    client = web(outsider)
    assert application.last_name not in client.get("/volunteers/").content.decode()
    assert client.get(f"/volunteers/applications/{application.pk}/").status_code == 404
    assert client.post(f"/volunteers/applications/{application.pk}/", {"approve": "1"}).status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING


def test_local_topics_are_not_offered_on_the_public_form(client, municipality_a):
    TopicFactory(municipality=municipality_a, name_nl="Parkeerkaart", name_en="Parking card")
    assert "Parkeerkaart" not in client.get("/volunteers/apply/").content.decode()
