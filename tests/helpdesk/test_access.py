import pytest

from helpdesk import access
from helpdesk.models import Citizen, Digipunt, Membership, Role, Topic
from tests.factories import CitizenFactory, DigipuntFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_staff_see_digipunten_of_their_municipality_only(staff_a, digipunt_a, digipunt_b):
    assert list(access.scope(Digipunt.objects.all(), staff_a)) == [digipunt_a]


def test_outsider_sees_nothing_of_a(outsider, digipunt_a, digipunt_b):
    CitizenFactory(municipality=digipunt_a.municipality)
    assert digipunt_a not in access.scope(Digipunt.objects.all(), outsider)
    assert not access.scope(Citizen.objects.filter(municipality=digipunt_a.municipality), outsider).exists()


def test_network_admin_sees_everything(network_admin, digipunt_a, digipunt_b):
    assert set(access.scope(Digipunt.objects.all(), network_admin)) == {digipunt_a, digipunt_b}
    assert access.municipality_ids(network_admin) is None


def test_anonymous_sees_nothing(digipunt_a):
    from django.contrib.auth.models import AnonymousUser

    assert not access.scope(Digipunt.objects.all(), AnonymousUser()).exists()


def test_volunteers_are_not_office_staff(volunteer_a, municipality_a):
    CitizenFactory(municipality=municipality_a)
    assert not access.scope(Citizen.objects.all(), volunteer_a, access.OFFICE_ROLES).exists()


def test_network_topics_are_shared_local_topics_are_not(staff_a, outsider, municipality_a):
    local = TopicFactory(municipality=municipality_a)
    assert local in access.scope(Topic.objects.all(), staff_a)
    assert local not in access.scope(Topic.objects.all(), outsider)
    assert access.scope(Topic.objects.all(), outsider).filter(code="taxes").exists()


def test_only_coordinators_configure(staff_a, coordinator_a, coordinator_b, digipunt_a):
    assert access.can_configure(coordinator_a, digipunt_a)
    assert not access.can_configure(staff_a, digipunt_a)
    assert not access.can_configure(coordinator_b, digipunt_a)


def test_network_topics_are_configured_by_network_admins_only(coordinator_a, network_admin):
    taxes = Topic.objects.get(code="taxes")
    assert not access.can_configure(coordinator_a, taxes)
    assert access.can_configure(network_admin, taxes)


def test_staff_limited_to_some_digipunten(staff_a, municipality_a, digipunt_a):
    other = DigipuntFactory(municipality=municipality_a, name="Sociaal Huis A")
    assert set(access.digipunten_for(staff_a)) == {digipunt_a, other}
    membership = Membership.objects.get(user=staff_a)
    membership.digipunten.add(other)
    staff_a._helpdesk_memberships = None  # a new request would load it afresh
    assert list(access.digipunten_for(staff_a)) == [other]


def test_primary_role_prefers_the_broadest(staff_a, municipality_b):
    Membership.objects.create(user=staff_a, municipality=municipality_b, role=Role.COORDINATOR)
    staff_a._helpdesk_memberships = None
    assert access.primary_role(staff_a) == Role.COORDINATOR


def test_memberships_are_loaded_once_per_user_object(staff_a, django_assert_num_queries):
    access.memberships(staff_a)
    with django_assert_num_queries(0):
        access.municipality_ids(staff_a)
        access.primary_role(staff_a)
