import datetime

import factory

from guides.models import Guide
from helpdesk.models import Topic
from tests.factories import MunicipalityFactory


class GuideFactory(factory.django.DjangoModelFactory):
    """A published guide on taxes in Dutch, reviewed on 1 November 2026, not shared."""

    class Meta:
        model = Guide
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Handleiding {n}")
    language = "nl"
    body_markdown = "1. Ga naar MyMinfin.\n2. Meld aan met itsme.\n"
    status = Guide.Status.PUBLISHED
    shared = False
    reviewed_on = datetime.date(2026, 11, 1)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create:
            codes = extracted if extracted is not None else ["taxes"]
            self.topics.set(Topic.objects.filter(code__in=codes))
