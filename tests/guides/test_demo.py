"""seed_demo's guides: every seeded topic has a Dutch guide, some French and English, all of them
acceptable to the same rules as a guide written by hand; running it again changes nothing."""

from guides import rendering
from guides.demo import seed_guides
from guides.models import Guide
from helpdesk.models import Topic


def test_every_seeded_topic_has_a_dutch_guide_and_some_are_in_french_and_english(municipality_a):
    seed_guides(municipality_a)
    seeded = set(Topic.objects.filter(municipality__isnull=True).values_list("code", flat=True))
    dutch = set(Guide.objects.filter(language="nl").values_list("topics__code", flat=True))
    assert seeded <= dutch
    assert Guide.objects.filter(language="fr").count() >= 3
    assert Guide.objects.filter(language="en").count() >= 3
    assert Guide.objects.filter(shared=True).exists()


def test_demo_guides_pass_the_rules_and_render_with_numbered_steps(municipality_a):
    for guide in seed_guides(municipality_a):
        assert rendering.problems(guide.body_markdown) == [], guide.title
        assert "<ol>" in rendering.render(guide.body_markdown), guide.title
        assert guide.what_to_bring


def test_seeding_twice_changes_nothing(municipality_a):
    first = {g.pk for g in seed_guides(municipality_a)}
    assert {g.pk for g in seed_guides(municipality_a)} == first
    assert Guide.objects.count() == len(first)


def test_seed_demo_brings_the_guides(db, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo")
    assert Guide.objects.filter(municipality__name="Demodorp", status="published").count() >= 15
