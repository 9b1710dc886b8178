import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from helpdesk.models import Topic
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

CONTRACT_CODES = {
    "banking", "taxes", "school", "health", "eid", "government", "benefits_work",
    "housing_energy", "mobility", "communication", "device_basics", "online_safety", "other",
}  # fmt: skip


def test_taxonomy_is_seeded_by_migration_in_three_languages():
    topics = Topic.objects.filter(municipality=None)
    assert set(topics.values_list("code", flat=True)) >= CONTRACT_CODES
    for topic in topics:
        assert all([topic.name_nl, topic.name_fr, topic.name_en])
        assert all([topic.what_to_bring_nl, topic.what_to_bring_fr, topic.what_to_bring_en])
        assert 10 <= topic.default_duration_minutes <= 240


def test_topic_name_follows_the_active_language():
    taxes = Topic.objects.get(code="taxes")
    with translation.override("fr-be"):
        assert taxes.name == "Impôts (MyMinfin)"
    with translation.override("nl-be"):
        assert taxes.name == "Belastingen (MyMinfin)"


def test_topic_code_format_is_enforced_by_the_database(municipality_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicFactory(municipality=municipality_a, code="Not A Code!")


def test_local_topics_are_visible_to_their_municipality_only(municipality_a, municipality_b):
    local = TopicFactory(municipality=municipality_a, code="parking_card")
    assert local in Topic.objects.for_municipality(municipality_a.pk)
    assert local not in Topic.objects.for_municipality(municipality_b.pk)
    assert Topic.objects.for_municipality(municipality_b.pk).filter(code="taxes").exists()
