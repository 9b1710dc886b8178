"""The citizen API: personal data, looked at (audited), corrected and erased (article 17)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from helpdesk import access, phones
from helpdesk.api.permissions import IsOfficeMember
from helpdesk.api.schema import FIELD_ERRORS
from helpdesk.api.serializers import CitizenSerializer
from helpdesk.models import Citizen
from privacy import audit, erasure


class EraseRequestSerializer(serializers.Serializer):
    phone = PhoneNumberField(region=phones.REGION, help_text="Any notation: 0470 12 34 56, +32470123456")
    municipality = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Needed for network admins; others erase in their own municipality (or one of theirs)",
    )

    def validate_phone(self, value):
        return value.as_e164


class ErasureSerializer(serializers.Serializer):
    phone = serializers.CharField(help_text="E.164")
    found = serializers.BooleanField(
        help_text="False when the caller's municipality held nothing on this number"
    )
    erased = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="How many of each were erased or unlinked: citizens, appointments_cancelled, appointments, "
        "sms_received, sms_sent, callbacks, walk_ins, waitlist_entries, help_request_notes",
    )


class CitizenFilter(filters.FilterSet):
    phone = filters.CharFilter(method="filter_phone", help_text="Any notation: 0470 12 34 56, +32470123456")

    class Meta:
        model = Citizen
        fields = ["phone"]

    def filter_phone(self, queryset, name, value):
        number = phones.parse(value)
        if number is None:
            raise ValidationError({"phone": [_("Enter a valid phone number.")]})
        return queryset.filter(phone=number.as_e164)


class AuditedListMixin:
    """Lists of personal data leave an audit entry: which filters (names, never values)."""

    audit_subject: str

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        filters = sorted(name for name in request.query_params if name != "page")
        audit.viewed_list(
            self.audit_subject,
            request.user,
            detail="api list" + (f" by {', '.join(filters)}" if filters else ""),
        )
        return response


class AuditedRetrieveMixin:
    """One record of personal data leaves an audit entry (put it before RetrieveModelMixin)."""

    audit_subject: str

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()  # a record the caller may not see is a 404, and no look
        audit.viewed(self.audit_subject, instance, detail="api")
        return Response(self.get_serializer(instance).data)


class CitizenViewSet(
    AuditedListMixin,
    AuditedRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Citizens of the caller's municipality, for staff and coordinators. Filter by `phone`."""

    audit_subject = audit.Subject.CITIZEN

    serializer_class = CitizenSerializer
    permission_classes = [permissions.IsAuthenticated, IsOfficeMember]
    filterset_class = CitizenFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return access.scope(Citizen.objects.order_by("pk"), self.request.user, access.OFFICE_ROLES)

    @extend_schema(
        request=EraseRequestSerializer,
        responses={200: ErasureSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="erase")
    def erase(self, request):
        """Right to erasure: erase this number's personal data in the caller's municipality.
        Upcoming appointments are cancelled; statistics keep their counts. A number we hold
        nothing on answers `found: false`."""
        payload = EraseRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        phone = payload.validated_data["phone"]
        ids = access.municipality_ids(request.user, access.OFFICE_ROLES)
        asked = payload.validated_data.get("municipality")
        if ids is None:
            # A network admin serves every municipality: erasing everywhere at once is not what
            # one citizen's request to one municipality means.
            if asked is None:
                raise ValidationError({"municipality": [_("Say in which municipality to erase.")]})
            ids = {asked}
        elif asked is not None:
            if asked not in ids:
                raise ValidationError({"municipality": [_("Not a municipality of yours.")]})
            ids = {asked}
        erased = erasure.erase_number(ids, phone, by=request.user)
        return Response({"phone": phone, "found": bool(erased), "erased": erased})
