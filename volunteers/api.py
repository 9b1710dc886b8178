"""Volunteers API: the volunteer's own profile, and staff managing volunteers they may see.

Staff see volunteers of their municipality and those serving one of its digipunten; only the
home municipality changes the profile or reads the staff notes; weekly blocks are editable at the
digipunten the caller works for (helpdesk.volunteer_access.availability_digipunten).
"""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from helpdesk import access
from helpdesk.api.errors import field_errors
from helpdesk.api.fields import LanguageListField, LocalTimeField, TopicCodeField
from helpdesk.api.permissions import IsOfficeMember
from helpdesk.api.schema import DetailError
from helpdesk.models import Digipunt
from volunteers import access as volunteer_access
from volunteers import blocks
from volunteers.models import STAFF_NOTES_MAX_LENGTH, Absence, Availability, Volunteer


class VolunteerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    languages = LanguageListField()
    topics = TopicCodeField(many=True, required=False)
    digipunten = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Digipunt.objects.none(), required=False
    )
    staff_notes = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=STAFF_NOTES_MAX_LENGTH,
        help_text="Only for staff of the volunteer's home municipality.",
    )

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "name",
            "email",
            "municipality",
            "phone",
            "languages",
            "topics",
            "is_generalist",
            "digipunten",
            "status",
            "max_hours_per_week",
            "staff_notes",
        ]
        read_only_fields = ["municipality"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "digipunten" in self.fields:
            self.fields["digipunten"].child_relation.queryset = access.digipunten_for(
                request.user, access.OFFICE_ROLES
            )

    def to_representation(self, volunteer):
        data = super().to_representation(volunteer)
        request = self.context.get("request")
        if request is None or not volunteer_access.can_manage_volunteer(request.user, volunteer):
            data.pop("staff_notes", None)
        return data

    def update(self, instance, validated_data):
        chosen = validated_data.pop("digipunten", None)
        instance = super().update(instance, validated_data)
        if chosen is not None:
            blocks.set_digipunten(
                instance, chosen, access.digipunten_for(self.context["request"].user, access.OFFICE_ROLES)
            )
        return instance


class MyVolunteerSerializer(VolunteerSerializer):
    """What volunteers see of themselves: no staff notes, plus their calendar feed."""

    calendar_url = serializers.SerializerMethodField()

    class Meta(VolunteerSerializer.Meta):
        fields = [f for f in VolunteerSerializer.Meta.fields if f != "staff_notes"] + ["calendar_url"]
        read_only_fields = fields

    def get_calendar_url(self, volunteer) -> str:
        return settings.PUBLIC_BASE_URL + reverse("volunteers:calendar", args=[volunteer.calendar_token()])


class AvailabilitySerializer(serializers.ModelSerializer):
    starts = LocalTimeField()
    ends = LocalTimeField()

    class Meta:
        model = Availability
        fields = ["id", "digipunt", "weekday", "starts", "ends", "valid_from"]
        read_only_fields = ["valid_from"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editable = self.context.get("editable_digipunten")
        if editable is not None:
            self.fields["digipunt"].queryset = editable

    def create(self, validated_data):
        try:
            return blocks.add_block(Availability(volunteer=self.context["volunteer"], **validated_data))
        except DjangoValidationError as error:
            raise serializers.ValidationError(field_errors(error)) from error


class AbsenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Absence
        fields = ["id", "start_date", "end_date", "reason"]

    def validate(self, attrs):
        instance = Absence(volunteer=self.context["volunteer"], **attrs)
        try:
            instance.full_clean(exclude=["volunteer"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(field_errors(error)) from error
        return attrs


class VolunteerViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Volunteers the caller may see (staff and coordinators); `me/` for a volunteer."""

    serializer_class = VolunteerSerializer
    permission_classes = [permissions.IsAuthenticated, IsOfficeMember]
    http_method_names = ["get", "put", "patch", "head", "options"]

    def get_queryset(self):
        return (
            volunteer_access.volunteers_for(self.request.user)
            .select_related("user")
            .prefetch_related("topics", "digipunten")
        )

    def perform_update(self, serializer):
        if not volunteer_access.can_manage_volunteer(self.request.user, serializer.instance):
            raise PermissionDenied("Only the volunteer's home municipality changes the profile.")
        serializer.save()

    @extend_schema(
        responses={
            200: MyVolunteerSerializer,
            404: OpenApiResponse(DetailError, description="The caller has no volunteer profile"),
        }
    )
    @action(
        detail=False, permission_classes=[permissions.IsAuthenticated], serializer_class=MyVolunteerSerializer
    )
    def me(self, request):
        volunteer = Volunteer.objects.filter(user=request.user).first()
        if volunteer is None:
            raise NotFound("You have no volunteer profile.")
        return Response(MyVolunteerSerializer(volunteer, context=self.get_serializer_context()).data)


class VolunteerScheduleViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Base for one volunteer's blocks and absences, found by `volunteer_pk` in the path."""

    model = None

    def get_volunteer(self) -> Volunteer:
        if not hasattr(self, "_volunteer"):
            self._volunteer = get_object_or_404(
                Volunteer.objects.select_related("user"), pk=self.kwargs["volunteer_pk"]
            )
            if not self.may_use(self._volunteer):
                raise NotFound
        return self._volunteer

    def may_use(self, volunteer) -> bool:
        raise NotImplementedError

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["volunteer"] = self.get_volunteer()
        return context

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.model.objects.filter(volunteer=self.get_volunteer())


class AvailabilityViewSet(VolunteerScheduleViewSet):
    """Weekly blocks in force. Removing a block that already counted ends it (history stays)."""

    model = Availability
    serializer_class = AvailabilitySerializer
    pagination_class = None

    def editable(self):
        return volunteer_access.availability_digipunten(self.request.user, self.get_volunteer())

    def may_use(self, volunteer) -> bool:
        return volunteer_access.availability_digipunten(self.request.user, volunteer).exists()

    def get_queryset(self):
        queryset = super().get_queryset().current()
        if self.request.method == "DELETE" and not getattr(self, "swagger_fake_view", False):
            queryset = queryset.filter(digipunt__in=self.editable())
        return queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["editable_digipunten"] = self.editable()
        return context

    def perform_destroy(self, instance):
        blocks.remove_block(instance)


class AbsenceViewSet(VolunteerScheduleViewSet):
    model = Absence
    serializer_class = AbsenceSerializer
    pagination_class = None

    def may_use(self, volunteer) -> bool:
        return volunteer_access.can_edit_absences(self.request.user, volunteer)

    def perform_create(self, serializer):
        serializer.save(volunteer=self.get_volunteer())
