from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from phonenumber_field.phonenumber import to_python
from rest_framework import mixins, permissions, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from helpdesk import access, audit, privacy
from helpdesk.api import serializers
from helpdesk.api.schema import FIELD_ERRORS
from helpdesk.models import Citizen, Closure, Digipunt, OpeningHours, Topic


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (`Authorization: Token ...`)."""

    # Per address, like any anonymous call; django-axes also locks a username after failures.
    throttle_classes = [AnonRateThrottle]

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            # django-axes marks the request when this username and address are locked out; say
            # so (429) instead of "wrong password", which would invite more attempts.
            if getattr(request, "axes_locked_out", False):
                raise Throttled(
                    detail=_("Too many failed attempts. Try again in a quarter of an hour.")
                ) from None
            raise


class CanConfigure(permissions.BasePermission):
    """Reading follows the queryset's scope; changing needs the coordinator role there."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return access.is_network_admin(request.user) or bool(
            access.municipality_ids(request.user, access.CONFIG_ROLES)
        )

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or access.can_configure(request.user, obj)


class IsOfficeMember(permissions.BasePermission):
    """Staff and coordinators: the people who deal with citizens' personal data."""

    def has_permission(self, request, view):
        return access.is_network_admin(request.user) or bool(
            access.municipality_ids(request.user, access.OFFICE_ROLES)
        )


@extend_schema_view(
    list=extend_schema(summary="Topics, named in the request's language (Accept-Language)"),
)
class TopicViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.TopicSerializer
    lookup_field = "code"
    pagination_class = None

    def get_queryset(self):
        return access.scope(Topic.objects.filter(is_active=True), self.request.user)


class DigipuntViewSet(viewsets.ModelViewSet):
    serializer_class = serializers.DigipuntSerializer
    permission_classes = [permissions.IsAuthenticated, CanConfigure]
    pagination_class = None
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return access.scope(
            Digipunt.objects.select_related("municipality").prefetch_related(
                Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens"))
            ),
            self.request.user,
        )


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("digipunt_pk", int, OpenApiParameter.PATH)]),
)
class ClosureViewSet(viewsets.ModelViewSet):
    """Local closures of one digipunt. Belgian public holidays need no closure."""

    serializer_class = serializers.ClosureSerializer
    permission_classes = [permissions.IsAuthenticated, CanConfigure]
    queryset = Closure.objects.none()

    def get_digipunt(self) -> Digipunt:
        if not hasattr(self, "_digipunt"):
            self._digipunt = get_object_or_404(
                access.scope(Digipunt.objects.all(), self.request.user), pk=self.kwargs["digipunt_pk"]
            )
        return self._digipunt

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Closure.objects.none()
        return Closure.objects.filter(digipunt=self.get_digipunt())

    def perform_create(self, serializer):
        digipunt = self.get_digipunt()
        if not access.can_configure(self.request.user, digipunt):
            raise PermissionDenied
        serializer.save(digipunt=digipunt, municipality_id=digipunt.municipality_id)


class CitizenFilter(filters.FilterSet):
    phone = filters.CharFilter(method="filter_phone", help_text="Any notation: 0470 12 34 56, +32470123456")

    class Meta:
        model = Citizen
        fields = ["phone"]

    def filter_phone(self, queryset, name, value):
        number = to_python(value, region="BE")
        if not number or not number.is_valid():
            raise ValidationError({"phone": [_("Enter a valid phone number.")]})
        return queryset.filter(phone=number.as_e164)


class AuditedListMixin:
    """Lists of personal data leave an audit entry: which filters (names, never values)."""

    audit_subject: str

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        filters = sorted(name for name in request.query_params if name != "page")
        ids = access.municipality_ids(request.user, access.OFFICE_ROLES)
        audit.viewed(
            self.audit_subject,
            detail="api list" + (f" by {', '.join(filters)}" if filters else ""),
            # The caller's one municipality; none when they see several (network admin).
            municipality_id=next(iter(ids)) if ids is not None and len(ids) == 1 else None,
        )
        return response


class CitizenViewSet(
    AuditedListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Citizens of the caller's municipality, for staff and coordinators. Filter by `phone`."""

    audit_subject = audit.Subject.CITIZEN

    serializer_class = serializers.CitizenSerializer
    permission_classes = [permissions.IsAuthenticated, IsOfficeMember]
    filterset_class = CitizenFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return access.scope(Citizen.objects.order_by("pk"), self.request.user, access.OFFICE_ROLES)

    def retrieve(self, request, *args, **kwargs):
        citizen = self.get_object()
        audit.viewed(audit.Subject.CITIZEN, citizen, detail="api")
        return Response(self.get_serializer(citizen).data)

    @extend_schema(
        request=serializers.EraseRequestSerializer,
        responses={200: serializers.ErasureSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="erase")
    def erase(self, request):
        """Right to erasure: erase this number's personal data in the caller's municipality.
        Upcoming appointments are cancelled; statistics keep their counts. A number we hold
        nothing on answers `found: false`."""
        payload = serializers.EraseRequestSerializer(data=request.data)
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
        erased = privacy.erase_number(ids, phone, by=request.user)
        return Response({"phone": phone, "found": bool(erased), "erased": erased})
