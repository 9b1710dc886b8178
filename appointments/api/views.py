import datetime

from django.db import transaction
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from appointments import lifecycle
from appointments.api.serializers import (
    AppointmentCreateSerializer,
    AppointmentSerializer,
    RescheduleSerializer,
    SlotQuerySerializer,
    SlotSerializer,
    TransitionSerializer,
)
from appointments.booking import BookingError, SlotTaken, book
from appointments.models import Appointment
from appointments.slots import free_slots
from helpdesk import access, citizen_contact, dates, locks, phones, principal
from helpdesk.api.permissions import IsOfficeMember
from helpdesk.api.schema import DetailError
from helpdesk.languages import current_language
from helpdesk.localtime import local_zone
from helpdesk.models import Citizen
from privacy import audit
from privacy.api import AuditedListMixin, AuditedRetrieveMixin

DEFAULT_DAYS = 7
MAX_DAYS = 62

Conflict = inline_serializer(
    "Conflict",
    fields={"detail": serializers.CharField(), "alternatives": SlotSerializer(many=True, required=False)},
)


def conflict(error: SlotTaken) -> Response:
    return Response(
        {"detail": error.message, "alternatives": SlotSerializer(error.alternatives, many=True).data},
        status=status.HTTP_409_CONFLICT,
    )


class SlotsView(APIView):
    """Free slots for a topic and language, at one digipunt or all of the caller's, sorted by start."""

    permission_classes = [permissions.IsAuthenticated, IsOfficeMember]

    @extend_schema(
        parameters=[
            OpenApiParameter("digipunt", int, required=False),
            OpenApiParameter("topic", str, required=True),
            OpenApiParameter("language", str, required=False, description="Default nl"),
            OpenApiParameter("from", datetime.date, required=False, description="Default today"),
            OpenApiParameter(
                "to", datetime.date, required=False, description=f"Default from + {DEFAULT_DAYS} days"
            ),
        ],
        responses={200: SlotSerializer(many=True)},
    )
    def get(self, request):
        params = request.query_params.copy()
        for outside, inside in (("from", "date_from"), ("to", "date_to")):
            if outside in params:
                params[inside] = params.pop(outside)[-1]
        query = SlotQuerySerializer(data=params, context={"request": request})
        query.is_valid(raise_exception=True)
        data = query.validated_data
        today = timezone.localdate()
        start = data.get("date_from") or today
        end = data.get("date_to") or start + datetime.timedelta(days=DEFAULT_DAYS)
        if (end - start).days > MAX_DAYS:
            raise ValidationError({"to": [f"Ask for at most {MAX_DAYS} days at once."]})
        cached = principal.of(request.user)
        if data.get("digipunt"):
            places = [data["digipunt"]]
        elif cached is not None and cached.digipunten is not None:
            places = cached.all_digipunten()  # the caller's active ones, from the cache
        else:
            places = access.digipunten_for(request.user, access.OFFICE_ROLES)
        slots = free_slots(
            topic=data["topic"],
            language=data["language"],
            start_date=start,
            end_date=end,
            now=timezone.now(),
            digipunten=places,
        )
        # What SlotSerializer writes, without a serializer per slot (this is a hot path): the
        # starts are already in local time, which DRF's DateTimeField would write the same way.
        return Response(
            [
                {
                    "start": slot.start.isoformat(),
                    "end": slot.end.isoformat(),
                    "digipunt": slot.digipunt.pk,
                    "digipunt_name": slot.digipunt.name,
                }
                for slot in slots
            ]
        )


class AppointmentFilter(filters.FilterSet):
    phone = filters.CharFilter(method="filter_phone")
    date = filters.DateFilter(method="filter_date", validators=[dates.validate_sensible_date])
    status = filters.ChoiceFilter(choices=Appointment.Status.choices)
    digipunt = filters.NumberFilter(field_name="digipunt_id", min_value=1, max_value=2**63 - 1)

    class Meta:
        model = Appointment
        fields = ["phone", "date", "status", "digipunt"]

    def filter_phone(self, queryset, name, value):
        number = phones.parse(value)
        if number is None:
            raise ValidationError({"phone": ["Enter a valid phone number."]})
        return queryset.filter(citizen__phone=number.as_e164)

    def filter_date(self, queryset, name, value):
        zone = local_zone()
        day_start = datetime.datetime.combine(value, datetime.time.min, tzinfo=zone)
        return queryset.filter(start__gte=day_start, start__lt=day_start + datetime.timedelta(days=1))


TRANSITION_RESPONSES = {
    200: AppointmentSerializer,
    409: OpenApiResponse(DetailError, description="This transition is not allowed from the current status"),
}


class AppointmentViewSet(
    AuditedListMixin,
    AuditedRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Appointments of the caller's digipunten. Booking goes through the one booking function."""

    audit_subject = audit.Subject.APPOINTMENT

    serializer_class = AppointmentSerializer
    permission_classes = [permissions.IsAuthenticated, IsOfficeMember]
    filterset_class = AppointmentFilter

    def get_queryset(self):
        return (
            access.scope(Appointment.objects.all(), self.request.user, access.OFFICE_ROLES)
            .filter(digipunt__in=access.digipunten_for(self.request.user, access.OFFICE_ROLES))
            .select_related("digipunt", "topic", "citizen", "volunteer__user")
            .order_by("start", "pk")
        )

    @extend_schema(
        request=AppointmentCreateSerializer,
        responses={
            201: AppointmentSerializer,
            400: OpenApiResponse(description="Bad input: messages per field"),
            409: OpenApiResponse(Conflict, description="The slot is no longer free; next free slots"),
        },
    )
    def create(self, request, *args, **kwargs):
        payload = AppointmentCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        digipunt = data["digipunt"]
        try:
            # One transaction: a booking that fails leaves no new citizen behind. The new citizen's
            # audit entry is written with the booking's own rows (privacy.audit.collected).
            with transaction.atomic(), audit.collected():
                citizen = self._citizen(digipunt.municipality_id, data["citizen"])
                appointment = book(
                    citizen=citizen,
                    digipunt=digipunt,
                    topic=data["topic"],
                    start=data["start"],
                    language=data["language"],
                    channel=data["channel"],
                    by=request.user,
                    notes=data["notes"],
                )
        except BookingError as error:
            raise ValidationError({error.field: [error.message]}) from error
        except SlotTaken as error:
            return conflict(error)
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)

    def _citizen(self, municipality_id, data) -> Citizen:
        citizen, created = citizen_contact.find_or_make(
            municipality_id,
            data["phone"].as_e164,
            name=data.get("name", ""),
            language=data.get("language") or current_language(),
        )
        if created:
            # Made in this transaction, so nobody else sees the row before it commits: it is
            # held as if locked (helpdesk.locks), and book() does not lock it again.
            locks.hold_new(citizen)
        return citizen

    def _transition(self, request, to):
        appointment = self.get_object()
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            appointment = lifecycle.change_status(
                appointment, to, by=request.user, reason=body.validated_data["reason"], channel="api"
            )
        except lifecycle.InvalidTransition as error:
            return Response({"detail": error.message}, status=status.HTTP_409_CONFLICT)
        return Response(AppointmentSerializer(appointment).data)

    @extend_schema(request=TransitionSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._transition(request, Appointment.Status.CANCELLED)

    @extend_schema(request=TransitionSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        return self._transition(request, Appointment.Status.CHECKED_IN)

    @extend_schema(request=TransitionSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._transition(request, Appointment.Status.COMPLETED)

    @extend_schema(request=TransitionSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, pk=None):
        return self._transition(request, Appointment.Status.NO_SHOW)

    @extend_schema(
        request=RescheduleSerializer,
        responses={
            201: AppointmentSerializer,
            400: OpenApiResponse(description="Bad input: messages per field"),
            409: OpenApiResponse(
                Conflict, description="The new time is not free, or the appointment cannot move"
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        """Move the appointment to `start`: the old one is cancelled ("Rescheduled") and a new one
        booked, both or neither (appointments.lifecycle.reschedule)."""
        appointment = self.get_object()
        body = RescheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            new = lifecycle.reschedule(
                appointment, start=body.validated_data["start"], by=request.user, channel="api"
            )
        except BookingError as error:
            raise ValidationError({error.field: [error.message]}) from error
        except SlotTaken as error:
            return conflict(error)
        except lifecycle.InvalidTransition as error:
            return Response({"detail": error.message}, status=status.HTTP_409_CONFLICT)
        return Response(AppointmentSerializer(new).data, status=status.HTTP_201_CREATED)
