"""GET /api/v1/callbacks/?status=open: the call-back requests from SMS and the voice line (the
same list staff see on the follow-up page), for office staff of the municipality."""

from django_filters import rest_framework as filters
from rest_framework import mixins, permissions, serializers, viewsets

from conversations.models import CallbackRequest
from helpdesk import access
from helpdesk.api.permissions import IsOfficeMember
from privacy import audit
from privacy.api import AuditedListMixin


class CallbackSerializer(serializers.ModelSerializer):
    created = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = CallbackRequest
        fields = ["id", "phone", "channel", "reason", "status", "created"]
        read_only_fields = fields


class CallbackFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=CallbackRequest.Status.choices, help_text="open or done")

    class Meta:
        model = CallbackRequest
        fields = ["status"]


class CallbackViewSet(AuditedListMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """People to phone back, oldest first: asked by SMS or on the voice line, not understood,
    or a number that cannot get an SMS. Filter by `status`."""

    audit_subject = audit.Subject.SMS
    serializer_class = CallbackSerializer
    permission_classes = [permissions.IsAuthenticated, IsOfficeMember]
    filterset_class = CallbackFilter

    def get_queryset(self):
        return access.scope(
            CallbackRequest.objects.order_by("created_at", "pk"), self.request.user, access.OFFICE_ROLES
        )
