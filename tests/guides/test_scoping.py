"""Who sees which guide: their municipality's, the network's shared ones; drafts only for the
owner's staff. The outsider (staff of B) never sees A's unshared guides: 404, on every page and
endpoint."""

import pytest

from guides import permissions
from guides.models import Guide
from tests.factories import DigipuntFactory, VolunteerFactory
from tests.guides.factories import GuideFactory


@pytest.fixture
def draft_a(municipality_a):
    return GuideFactory(municipality=municipality_a, title="Concept", status=Guide.Status.DRAFT)


def titles(user):
    return set(permissions.visible_guides(user).values_list("title", flat=True))


def test_each_role_sees_own_and_shared_guides(
    staff_a, coordinator_a, volunteer_a, outsider, guide_a, shared_b, draft_a
):
    assert titles(staff_a) == {"Aangifte in MyMinfin", "itsme installeren", "Concept"}
    assert titles(coordinator_a) == {"Aangifte in MyMinfin", "itsme installeren", "Concept"}
    assert titles(volunteer_a) == {"Aangifte in MyMinfin", "itsme installeren"}  # no drafts
    assert titles(outsider) == {"itsme installeren"}


def test_a_shared_draft_stays_with_its_owner(outsider, municipality_a):
    GuideFactory(municipality=municipality_a, title="Gedeeld concept", shared=True, status=Guide.Status.DRAFT)
    assert titles(outsider) == set()


def test_network_admin_reads_everything_but_drafts(network_admin, guide_a, shared_b, draft_a):
    assert titles(network_admin) == {"Aangifte in MyMinfin", "itsme installeren"}
    assert not permissions.can_edit(network_admin, guide_a)


def test_a_user_without_a_role_sees_nothing(django_user_model, shared_b):
    assert titles(django_user_model.objects.create_user("nobody")) == set()


def test_a_volunteer_serving_another_municipality_reads_its_guides(municipality_b, guide_a):
    volunteer = VolunteerFactory(
        municipality=municipality_b, digipunten=[DigipuntFactory(municipality=guide_a.municipality)]
    )
    assert "Aangifte in MyMinfin" in titles(volunteer.user)


@pytest.mark.parametrize(
    "path",
    ["/guides/{pk}/", "/guides/{pk}/edit/", "/api/v1/guides/{pk}/"],
)
def test_outsider_gets_404_for_an_unshared_guide(web, api, outsider, guide_a, path):
    url = path.format(pk=guide_a.pk)
    client = api(outsider) if url.startswith("/api/") else web(outsider)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("path", ["/guides/{pk}/reviewed/", "/guides/{pk}/copy/", "/guides/{pk}/images/"])
def test_outsider_cannot_act_on_an_unshared_guide(web, outsider, guide_a, path):
    assert web(outsider).post(path.format(pk=guide_a.pk)).status_code == 404
    guide_a.refresh_from_db()
    assert guide_a.reviewed_by is None
    assert not Guide.objects.filter(copied_from=guide_a).exists()


def test_outsider_never_meets_the_guide_in_lists_or_search(web, api, outsider, guide_a):
    page = web(outsider).get("/guides/?q=MyMinfin").content.decode()
    assert "Aangifte in MyMinfin" not in page
    assert f"/guides/{guide_a.pk}/" not in page
    assert api(outsider).get("/api/v1/guides/?q=MyMinfin").json()["results"] == []
    assert api(outsider).get("/api/v1/guides/").json()["count"] == 0


def test_outsider_reads_but_cannot_edit_a_shared_guide(web, outsider, shared_b, guide_a):
    guide_a.shared = True
    guide_a.save()
    client = web(outsider)
    assert client.get(f"/guides/{guide_a.pk}/").status_code == 200
    assert client.get(f"/guides/{guide_a.pk}/edit/").status_code == 404
    assert client.post(f"/guides/{guide_a.pk}/reviewed/").status_code == 404


def test_volunteer_cannot_open_a_draft(web, volunteer_a, draft_a):
    assert web(volunteer_a).get(f"/guides/{draft_a.pk}/").status_code == 404


def test_anonymous_is_sent_to_login(web, guide_a):
    response = web().get(f"/guides/{guide_a.pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_appointment_links_a_few_guides_own_first_not_the_whole_network(staff_a, municipality_a):
    from guides import services
    from helpdesk.models import Topic

    taxes = Topic.objects.get(code="taxes")
    for index in range(5):
        other = DigipuntFactory().municipality
        GuideFactory(municipality=other, title=f"A shared guide {index}", shared=True, topics=["taxes"])
    own = GuideFactory(municipality=municipality_a, title="Zz our own guide", topics=["taxes"])
    linked = services.for_appointments(permissions.visible_guides(staff_a), [(taxes.pk, "nl")])
    guides = linked[(taxes.pk, "nl")]
    assert len(guides) == services.PER_APPOINTMENT
    assert guides[0].pk == own.pk
