from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import PermissionDenied, Throttled, ValidationError

from helpdesk import access
from helpdesk.api import serializers
from helpdesk.api.permissions import CanConfigure
from helpdesk.api.throttling import AnonRateThrottle
from helpdesk.models import Closure, Digipunt, OpeningHours, Topic


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (`Authorization: Token ...`)."""

    serializer_class = serializers.TokenRequestSerializer
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
