"""Volunteers API: the volunteer's own profile, and staff managing volunteers of their municipality."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from helpdesk import access
from helpdesk.api.errors import field_errors
from helpdesk.api.fields import LanguageListField, LocalTimeField, TopicCodeField
from helpdesk.api.schema import DetailError
from helpdesk.api.views import IsOfficeMember
from helpdesk.models import Digipunt
from volunteers.models import Absence, Availability, Volunteer


class VolunteerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    languages = LanguageListField()
    topics = TopicCodeField(many=True, required=False)
    digipunten = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Digipunt.objects.none(), required=False
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
            self.fields["digipunten"].child_relation.queryset = access.digipunten_for(request.user)

    def update(self, instance, validated_data):
        new_digipunten = validated_data.pop("digipunten", None)
        instance = super().update(instance, validated_data)
        if new_digipunten is not None:
            # Digipunten the caller cannot see (another municipality) stay as they were.
            visible = access.digipunten_for(self.context["request"].user)
            instance.digipunten.set([*instance.digipunten.exclude(pk__in=visible), *new_digipunten])
        return instance


class MyVolunteerSerializer(VolunteerSerializer):
    """What volunteers see of themselves: no staff notes, plus their calendar feed."""

    calendar_url = serializers.SerializerMethodField()

    class Meta(VolunteerSerializer.Meta):
        fields = [f for f in VolunteerSerializer.Meta.fields if f != "staff_notes"] + ["calendar_url"]
        read_only_fields = fields

    def get_calendar_url(self, volunteer) -> str:
        return settings.PUBLIC_BASE_URL + reverse("volunteers:calendar", args=[volunteer.calendar_token()])


class ModelCleanMixin:
    """Run the model's own clean() (opening hours, overlaps) and answer 400 with its messages."""

    def validate(self, attrs):
        instance = self.Meta.model(**{**attrs, "volunteer": self.context["volunteer"]})
        try:
            instance.full_clean(exclude=["volunteer"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(field_errors(error)) from error
        return attrs


class AvailabilitySerializer(ModelCleanMixin, serializers.ModelSerializer):
    starts = LocalTimeField()
    ends = LocalTimeField()

    class Meta:
        model = Availability
        fields = ["id", "digipunt", "weekday", "starts", "ends", "sequence"]
        read_only_fields = ["sequence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        volunteer = self.context.get("volunteer")
        if volunteer is not None:
            self.fields["digipunt"].queryset = volunteer.digipunten.filter(is_active=True)


class AbsenceSerializer(ModelCleanMixin, serializers.ModelSerializer):
    class Meta:
        model = Absence
        fields = ["id", "start_date", "end_date", "reason"]


class VolunteerViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Volunteers of the caller's municipality (staff and coordinators); `me/` for a volunteer."""

    serializer_class = VolunteerSerializer
    permission_classes = [permissions.IsAuthenticated, IsOfficeMember]
    http_method_names = ["get", "put", "patch", "head", "options"]

    def get_queryset(self):
        return (
            access.volunteers_for(self.request.user)
            .select_related("user")
            .prefetch_related("topics", "digipunten")
        )

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
    """Base for a volunteer's availability and absences: their own, or staff of their municipality."""

    model = None

    def get_volunteer(self) -> Volunteer:
        if not hasattr(self, "_volunteer"):
            volunteer = get_object_or_404(
                Volunteer.objects.select_related("user"), pk=self.kwargs["volunteer_pk"]
            )
            if not access.can_edit_availability(self.request.user, volunteer):
                raise NotFound
            self._volunteer = volunteer
        return self._volunteer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["volunteer"] = self.get_volunteer()
        return context

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.model.objects.filter(volunteer=self.get_volunteer())

    def perform_create(self, serializer):
        serializer.save(volunteer=self.get_volunteer())


class AvailabilityViewSet(VolunteerScheduleViewSet):
    model = Availability
    serializer_class = AvailabilitySerializer
    pagination_class = None


class AbsenceViewSet(VolunteerScheduleViewSet):
    model = Absence
    serializer_class = AbsenceSerializer
    pagination_class = None
