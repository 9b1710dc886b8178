"""The topic menu: most asked first, every topic reachable, smartphone/computer and e-mail always
on the first page, "Other" asks for a few words."""

import datetime

import pytest
from django.core.cache import cache

from appointments.models import Appointment, WalkIn
from conversations import menus
from conversations.models import Conversation
from helpdesk.models import Topic
from tests.factories import AppointmentFactory, CitizenFactory

pytestmark = pytest.mark.django_db


def asked(digipunt, code, times, start):
    citizen = CitizenFactory(municipality=digipunt.municipality)
    for n in range(times):
        AppointmentFactory(
            digipunt=digipunt,
            citizen=citizen,
            topic=Topic.objects.get(code=code),
            start=start - datetime.timedelta(days=n + 1),
            status=Appointment.Status.COMPLETED,
        )


def test_the_most_asked_topics_come_first(municipality_a, digipunt_a, frozen_now):
    asked(digipunt_a, "health", 5, frozen_now)
    asked(digipunt_a, "mobility", 4, frozen_now)
    WalkIn.objects.create(
        digipunt=digipunt_a,
        day=frozen_now.date(),
        number=1,
        topic=Topic.objects.get(code="mobility"),
        language="nl",
        arrived_at=frozen_now - datetime.timedelta(hours=1),
    )
    WalkIn.objects.create(
        digipunt=digipunt_a,
        day=frozen_now.date(),
        number=2,
        topic=Topic.objects.get(code="mobility"),
        language="nl",
        arrived_at=frozen_now - datetime.timedelta(hours=1),
    )
    codes = [t.code for t in menus.ordered_topics(municipality_a.pk, frozen_now)]
    assert codes[:2] == ["mobility", "health"]  # 4 appointments + 2 walk-ins beat 5
    assert codes[-1] == "other"


def test_demand_older_than_a_year_does_not_count(municipality_a, digipunt_a, frozen_now):
    asked(digipunt_a, "health", 3, frozen_now - datetime.timedelta(days=400))
    asked(digipunt_a, "school", 1, frozen_now)
    codes = [t.code for t in menus.ordered_topics(municipality_a.pk, frozen_now)]
    assert codes[0] == "school"


def test_the_order_is_cached(municipality_a, digipunt_a, frozen_now):
    asked(digipunt_a, "health", 1, frozen_now)
    assert menus.ordered_topics(municipality_a.pk, frozen_now)[0].code == "health"
    asked(digipunt_a, "school", 4, frozen_now)
    assert menus.ordered_topics(municipality_a.pk, frozen_now)[0].code == "health"
    cache.clear()
    assert menus.ordered_topics(municipality_a.pk, frozen_now)[0].code == "school"


def test_pages_reach_every_topic_once_and_keep_the_musts_first(municipality_a, digipunt_a, frozen_now):
    # Every other topic far more asked than the two that must stay on the first page.
    for code in ("taxes", "banking", "health", "school", "eid", "government", "benefits_work", "mobility"):
        asked(digipunt_a, code, 3, frozen_now)
    pages = menus.topic_pages(municipality_a.pk, frozen_now)
    assert all(len(page) <= menus.PAGE_SIZE for page in pages)
    listed = [t.code for page in pages for t in page]
    active = set(
        Topic.objects.for_municipality(municipality_a.pk)
        .filter(is_active=True)
        .values_list("code", flat=True)
    )
    assert sorted(listed) == sorted(active)
    first = [t.code for t in pages[0]]
    assert {"device_basics", "communication", "other"} <= set(first)
    assert len(pages) > 1


def test_more_shows_the_next_page_and_its_numbers_choose_from_it(phone_of, helper, frozen_now):
    phone = phone_of()
    first = phone("book")
    assert "MORE" in first
    second = phone("more")
    assert second != first
    page = Conversation.objects.get().data
    assert page["page"] == 1
    chosen = Topic.objects.get(pk=page["topics"][0])
    reply = phone("1")
    assert Conversation.objects.get().data["topic"] == chosen.pk
    assert "1)" in reply


def test_other_asks_for_a_few_words_and_understands_them(phone_of, helper):
    phone = phone_of()
    phone("afspraak")
    other = Conversation.objects.get().data["topics"].index(Topic.objects.get(code="other").pk) + 1
    ask = phone(str(other))
    assert Conversation.objects.get().state == "describe"
    assert ask  # "tell us in a few words"
    times = phone("ik weet niet hoe ik mijn mails lees")
    assert Conversation.objects.get().data["topic"] == Topic.objects.get(code="communication").pk
    assert "1)" in times


def test_other_with_words_that_name_no_topic_books_other(phone_of, helper):
    phone = phone_of()
    phone("afspraak")
    other = Conversation.objects.get().data["topics"].index(Topic.objects.get(code="other").pk) + 1
    phone(str(other))
    phone("iets met een formulier van de gemeente")
    assert Conversation.objects.get().state == "slot"
