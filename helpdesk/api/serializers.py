from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from helpdesk import access, passwords, schedule_version
from helpdesk.api.fields import LanguageListField, LocalTimeField
from helpdesk.languages import Language
from helpdesk.models import Citizen, Closure, Digipunt, Municipality, OpeningHours, Topic
from helpdesk.models.citizens import OPT_OUT_LIFTED
from helpdesk.models.municipalities import ACCESSIBILITY_NOTES_MAX_LENGTH, find_overlap
from helpdesk.phones import REGION


class TokenRequestSerializer(AuthTokenSerializer):
    """DRF's, with lengths: an over-long username or password is a 400 naming the field, before
    anything checks it (django-axes would try to store an over-long username of a failed attempt
    in a 255-character column: a 500 on PostgreSQL)."""

    username = serializers.CharField(
        label=_("Username"),
        write_only=True,
        max_length=get_user_model()._meta.get_field("username").max_length,
    )
    password = serializers.CharField(
        label=_("Password"),
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
        max_length=passwords.MAX_LENGTH,
    )


class TopicSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    what_to_bring = serializers.CharField(read_only=True)
    local = serializers.SerializerMethodField()

    class Meta:
        model = Topic
        fields = ["code", "name", "default_duration_minutes", "what_to_bring", "local"]

    def get_local(self, topic) -> bool:
        return topic.municipality_id is not None


class OpeningHoursSerializer(serializers.ModelSerializer):
    opens = LocalTimeField()
    closes = LocalTimeField()

    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]

    def validate(self, attrs):
        # A row is always whole, also inside a partial update of its digipunt.
        missing = {
            name: _("This field is required.") for name in ("weekday", "opens", "closes") if name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        if attrs["closes"] <= attrs["opens"]:
            raise serializers.ValidationError({"closes": _("Closing time must be after opening time.")})
        return attrs


class ConfigurableMunicipalityField(serializers.PrimaryKeyRelatedField):
    """A municipality the caller may configure; others do not exist as far as the caller knows."""

    def get_queryset(self):
        return access.scope(Municipality.objects.all(), self.context["request"].user, access.CONFIG_ROLES)


class DigipuntSerializer(serializers.ModelSerializer):
    municipality = ConfigurableMunicipalityField()
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    address = serializers.CharField(read_only=True)
    languages = LanguageListField()
    opening_hours = OpeningHoursSerializer(many=True, required=False)

    class Meta:
        model = Digipunt
        fields = [
            "id",
            "name",
            "short_name",
            "municipality",
            "municipality_name",
            "address",
            "street",
            "postal_code",
            "city",
            "phone",
            "languages",
            "accessibility_notes",
            "desks",
            "slot_minutes",
            "lead_time_minutes",
            "booking_horizon_days",
            "is_active",
            "opening_hours",
        ]
        extra_kwargs = {"accessibility_notes": {"max_length": ACCESSIBILITY_NOTES_MAX_LENGTH}}

    def validate_opening_hours(self, value):
        overlap = find_overlap([(h["weekday"], h["opens"], h["closes"]) for h in value])
        if overlap:
            first, second = overlap
            raise serializers.ValidationError(
                _("Opening hours overlap: %(first)s-%(first_end)s and %(second)s-%(second_end)s.")
                % {
                    "first": first[1].strftime("%H:%M"),
                    "first_end": first[2].strftime("%H:%M"),
                    "second": second[1].strftime("%H:%M"),
                    "second_end": second[2].strftime("%H:%M"),
                }
            )
        return value

    def validate(self, attrs):
        municipality = attrs.get("municipality") or getattr(self.instance, "municipality", None)
        name = attrs.get("name") or getattr(self.instance, "name", None)
        duplicate = Digipunt.objects.filter(municipality=municipality, name=name)
        if self.instance is not None:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise serializers.ValidationError(
                {"name": _("This municipality already has a digipunt with this name.")}
            )
        return attrs

    @transaction.atomic
    def create(self, validated_data):
        hours = validated_data.pop("opening_hours", [])
        digipunt = Digipunt.objects.create(**validated_data)
        OpeningHours.objects.bulk_create(OpeningHours(digipunt=digipunt, **h) for h in hours)
        schedule_version.bump()  # bulk_create sends no signal: the cached weeks must still see it
        return digipunt

    @transaction.atomic
    def update(self, instance, validated_data):
        hours = validated_data.pop("opening_hours", None)
        instance = super().update(instance, validated_data)
        if hours is not None:
            # The list given replaces the week: that is how the editor thinks of it.
            instance.opening_hours.all().delete()
            OpeningHours.objects.bulk_create(OpeningHours(digipunt=instance, **h) for h in hours)
            schedule_version.bump()  # bulk_create sends no signal
        return instance


class ClosureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Closure
        fields = ["id", "start_date", "end_date", "reason"]

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_date": _("The last day closed cannot be before the first.")}
            )
        return attrs


class CitizenSerializer(serializers.ModelSerializer):
    municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.none(), required=False)
    phone = PhoneNumberField(region=REGION)
    language = serializers.ChoiceField(choices=Language.choices, default=Language.NL)
    can_receive_sms = serializers.BooleanField(read_only=True)

    class Meta:
        model = Citizen
        fields = [
            "id",
            "municipality",
            "phone",
            "name",
            "language",
            "sms_opt_out",
            "can_receive_sms",
            "last_contact_at",
        ]
        read_only_fields = ["last_contact_at"]
        extra_kwargs = {
            "sms_opt_out": {
                "help_text": "true records that the citizen wants no SMS. Only the citizen lifts it, by "
                "texting START: false for a citizen who opted out is a 400 on this field."
            }
        }
        # Uniqueness per municipality is checked in validate(), where the municipality is known.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["municipality"].queryset = access.scope(
                Municipality.objects.all(), request.user, access.OFFICE_ROLES
            )

    def validate_sms_opt_out(self, value):
        """Staff record an opt-out (the citizen said so on the phone); only the citizen lifts it."""
        if not value and self.instance is not None and self.instance.sms_opt_out:
            raise serializers.ValidationError(OPT_OUT_LIFTED, code="opt_out_lifted")
        return value

    def validate(self, attrs):
        municipality = attrs.get("municipality") or getattr(self.instance, "municipality", None)
        if municipality is None:
            ids = access.municipality_ids(self.context["request"].user, access.OFFICE_ROLES)
            if ids is None or len(ids) != 1:
                raise serializers.ValidationError({"municipality": _("Say which municipality.")})
            municipality = Municipality.objects.get(pk=next(iter(ids)))
            attrs["municipality"] = municipality
        phone = attrs.get("phone", getattr(self.instance, "phone", None))
        duplicate = Citizen.objects.filter(municipality=municipality, phone=phone)
        if self.instance is not None:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise serializers.ValidationError(
                {"phone": _("A citizen with this phone number already exists.")}
            )
        return attrs
