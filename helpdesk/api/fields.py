"""Serializer fields shared by every API that takes topics, languages or local times."""

import copy
import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from helpdesk import access, principal
from helpdesk.languages import SPOKEN_LANGUAGES
from helpdesk.models import Topic


class FieldsOnce:
    """Serializers on hot paths (the slot query, a booking's body, an appointment's JSON) build
    their fields once per class; each serializer gets shallow copies of them.

    For every serializer it makes, DRF deep-copies each declared field (a related field's
    queryset, a choice field's choices: 0.15-0.25 ms for the booking's inputs), and a
    ModelSerializer builds its fields from the model again (0.8 ms for an appointment). The fields
    depend on the class alone, and binding and validating a field only sets attributes on the
    field itself, so a shallow copy of each is enough. A nested serializer still gets a deep copy.
    Not for a serializer whose fields depend on its context or instance."""

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_fields_once")
        if built is None:  # two threads at once both build them; either result will do
            built = super().get_fields()
            cls._fields_once = built
        return {
            name: copy.deepcopy(field) if isinstance(field, serializers.BaseSerializer) else copy.copy(field)
            for name, field in built.items()
        }


class FlatSerializer(FieldsOnce, serializers.Serializer):
    pass


class FlatModelSerializer(FieldsOnce, serializers.ModelSerializer):
    pass


class TopicCodeField(serializers.SlugRelatedField):
    """A topic given by its code; an unknown or inactive code is a field error naming the code.

    Only topics the caller can see count: network-wide ones and their municipality's own.
    """

    default_error_messages = {
        "does_not_exist": _("Unknown topic code “{value}”."),
        "invalid": _("Give a topic code, such as “taxes”."),
    }

    def __init__(self, **kwargs):
        self._active_topics = "queryset" not in kwargs and kwargs.get("slug_field", "code") == "code"
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", Topic.objects.filter(is_active=True))
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        return access.scope(queryset, request.user) if request is not None else queryset

    def to_internal_value(self, data):
        # A token caller's topics are in the cached principal (helpdesk/principal.py): the active
        # topics of their scope, what get_queryset would find.
        request = self.context.get("request")
        cached = principal.of(request.user) if request is not None else None
        if cached is not None and cached.topics is not None and self._active_topics and isinstance(data, str):
            topic = cached.topic(data)
            if topic is None:
                self.fail("does_not_exist", slug_name=self.slug_field, value=data)
            return topic
        return super().to_internal_value(data)


class LanguageListField(serializers.ListField):
    child = serializers.ChoiceField(choices=list(SPOKEN_LANGUAGES))

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_empty", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if len(set(value)) != len(value):
            raise serializers.ValidationError(_("Each language may appear only once."))
        return value


OFFSET_SUFFIX = re.compile(r"(Z|[+-]\d\d(:?\d\d)?)$", re.IGNORECASE)


@extend_schema_field(
    {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$", "example": "09:00"}
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in Europe/Brussels such as "09:00". Opening hours carry no offset."""

    default_error_messages = {"aware": _("Give a local time such as 09:00, without a time zone.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        # Django's time parser silently drops an offset; refuse it rather than guess.
        if isinstance(value, str) and OFFSET_SUFFIX.search(value.strip()):
            self.fail("aware")
        return super().to_internal_value(value)
