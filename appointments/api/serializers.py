from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from appointments.models import Appointment, Channel
from helpdesk import access, dates, principal
from helpdesk.api.fields import FlatModelSerializer, FlatSerializer, TopicCodeField
from helpdesk.languages import SPOKEN_LANGUAGES, Language
from helpdesk.phones import REGION


@extend_schema_field(OpenApiTypes.INT)
class ScopedDigipuntField(serializers.PrimaryKeyRelatedField):
    """A digipunt the caller works at; others do not exist as far as the caller knows."""

    def get_queryset(self):
        return access.digipunten_for(self.context["request"].user, access.OFFICE_ROLES).filter(is_active=True)

    def to_internal_value(self, data):
        # A token caller's digipunten are in the cached principal (helpdesk/principal.py), the
        # same rows get_queryset would find; anything unusual takes DRF's own path.
        cached = principal.of(self.context["request"].user)
        if cached is not None and cached.digipunten is not None and self.pk_field is None:
            pk = _plain_int(data)
            if pk is not None:
                digipunt = cached.digipunt(pk)
                if digipunt is None:
                    self.fail("does_not_exist", pk_value=data)
                return digipunt
        return super().to_internal_value(data)


def _plain_int(data) -> int | None:
    if type(data) is int:
        return data
    if isinstance(data, str) and 0 < len(data) <= 18 and data.isascii() and data.isdigit():
        return int(data)
    return None


class SlotQuerySerializer(FlatSerializer):
    digipunt = ScopedDigipuntField(required=False)
    topic = TopicCodeField()
    language = serializers.ChoiceField(choices=list(SPOKEN_LANGUAGES), default=Language.NL)
    # "from" is a Python keyword: the query parameter is mapped in the view.
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, attrs):
        for name, label in (("date_from", "from"), ("date_to", "to")):
            if attrs.get(name) and not dates.is_sensible(attrs[name]):
                raise serializers.ValidationError({label: dates.OUT_OF_RANGE})
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"to": _("The end date is before the start date.")})
        return attrs


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    digipunt = serializers.IntegerField(source="digipunt.pk")
    digipunt_name = serializers.CharField(source="digipunt.name")


class CitizenInputSerializer(FlatSerializer):
    phone = PhoneNumberField(region=REGION)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=Language.choices, required=False)


class AppointmentCreateSerializer(FlatSerializer):
    digipunt = ScopedDigipuntField()
    topic = TopicCodeField()
    start = serializers.DateTimeField()
    language = serializers.ChoiceField(choices=list(SPOKEN_LANGUAGES))
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.API)
    citizen = CitizenInputSerializer()
    notes = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AppointmentSerializer(FlatModelSerializer):
    digipunt = serializers.PrimaryKeyRelatedField(read_only=True)
    digipunt_name = serializers.CharField(source="digipunt.name", read_only=True)
    topic = serializers.SlugRelatedField(slug_field="code", read_only=True)
    volunteer = serializers.PrimaryKeyRelatedField(read_only=True)
    volunteer_first_name = serializers.CharField(source="volunteer.user.first_name", read_only=True)
    citizen = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "id",
            "code",
            "status",
            "start",
            "end",
            "digipunt",
            "digipunt_name",
            "topic",
            "language",
            "channel",
            "volunteer",
            "volunteer_first_name",
            "citizen",
            "notes",
            "cancel_reason",
            "created_at",
        ]
        read_only_fields = fields

    def get_citizen(self, appointment) -> dict | None:
        citizen = appointment.citizen
        if citizen is None:  # erased (right to erasure) or purged after the retention period
            return None
        return {"id": citizen.pk, "phone": str(citizen.phone), "name": citizen.name}


class RescheduleSerializer(serializers.Serializer):
    start = serializers.DateTimeField()


class TransitionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
