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


def test_the_active_topics_are_read_once_then_come_from_the_cache(municipality_a, django_assert_num_queries):
    taxes = Topic.objects.get(code="taxes")
    with django_assert_num_queries(1):
        first = menus.active_topics(municipality_a.pk)
    with django_assert_num_queries(0):
        assert menus.active_topics(municipality_a.pk) == first
        assert menus.topic_names(municipality_a.pk)["taxes"][0] == taxes.name_nl
        assert menus.active_topic(municipality_a.pk, "taxes").code == "taxes"
        assert menus.active_topic(municipality_a.pk, "no_such_topic") is None
        assert menus.active_topic(municipality_a.pk, None) is None


def test_any_change_to_a_topic_is_seen_at_once(municipality_a, municipality_b):
    codes = lambda: {t.code for t in menus.active_topics(municipality_a.pk)}  # noqa: E731
    assert "mobility" in codes()
    mobility = Topic.objects.get(code="mobility")
    mobility.is_active = False
    mobility.save()
    assert "mobility" not in codes()
    local = Topic.objects.create(
        code="local_help", municipality=municipality_a, name_nl="Hier", name_fr="Ici", name_en="Here"
    )
    elsewhere = Topic.objects.create(
        code="far_help", municipality=municipality_b, name_nl="Daar", name_fr="La", name_en="There"
    )
    assert "local_help" in codes()
    assert "far_help" not in codes()  # another municipality's own topic
    local.delete()
    elsewhere.delete()
    assert "local_help" not in codes()


def test_a_write_without_signals_says_so_or_shows_when_the_cache_runs_out(municipality_a, monkeypatch):
    codes = lambda: {t.code for t in menus.active_topics(municipality_a.pk)}  # noqa: E731
    assert "mobility" in codes()
    Topic.objects.filter(code="mobility").update(is_active=False)
    assert "mobility" in codes()  # no signal: still the cached list
    menus.topics_changed()
    assert "mobility" not in codes()
    Topic.objects.filter(code="mobility").update(is_active=True)
    cache.clear()  # the shared cache's entry ran out; this process keeps its own a moment longer
    later = menus.time.monotonic() + menus.TOPICS_MEMO_SECONDS + 1
    monkeypatch.setattr(menus.time, "monotonic", lambda: later)
    assert "mobility" in codes()


def test_a_topic_switched_off_between_two_messages_is_no_longer_offered(phone_of, helper):
    phone = phone_of()
    assert "Vervoer" in phone("afspraak") + phone("meer")
    mobility = Topic.objects.get(code="mobility")
    mobility.is_active = False
    mobility.save()
    assert "Vervoer" not in phone("afspraak") + phone("meer")


def test_a_cache_of_one_process_is_not_trusted_with_topics_under_several_workers(municipality_a, settings):
    # Local memory under several gunicorn workers: a bump in one is unseen in the others, so the
    # topics are read afresh each time (here: a change that bumps nothing is seen at once).
    settings.CACHE_IN_ONE_PROCESS = False
    assert "mobility" in {t.code for t in menus.active_topics(municipality_a.pk)}
    Topic.objects.filter(code="mobility").update(is_active=False)
    assert "mobility" not in {t.code for t in menus.active_topics(municipality_a.pk)}
