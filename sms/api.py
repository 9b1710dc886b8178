"""GET /api/v1/sms/messages/?phone=: the SMS log of one citizen, for office staff."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk import access, phones
from helpdesk.api.permissions import IsOfficeMember
from helpdesk.models import Citizen
from privacy import audit
from sms.threads import thread

MAX_MESSAGES = 500


class SmsMessageSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["in", "out"])
    body = serializers.CharField()
    status = serializers.ChoiceField(
        choices=["received", "queued", "sending", "sent", "delivered", "failed", "cancelled"]
    )
    kind = serializers.CharField(help_text="For outbound SMS: reply, confirmation, reminder, waitlist_offer.")
    created = serializers.DateTimeField()


class SmsMessagesView(APIView):
    """Inbound and outbound SMS of the citizen with this phone number, oldest first (the last 500)."""

    permission_classes = [permissions.IsAuthenticated, IsOfficeMember]

    @extend_schema(
        parameters=[
            OpenApiParameter("phone", str, required=True, description="Any notation, e.g. 0470 12 34 56")
        ],
        responses={200: SmsMessageSerializer(many=True)},
    )
    def get(self, request):
        raw = request.query_params.get("phone", "")
        if not raw:
            raise ValidationError({"phone": ["This parameter is required."]})
        number = phones.parse(raw)
        if number is None:
            raise ValidationError({"phone": ["Enter a valid phone number."]})
        citizens = access.scope(
            Citizen.objects.filter(phone=number.as_e164), request.user, access.OFFICE_ROLES
        )
        for citizen in citizens:
            audit.viewed(audit.Subject.SMS, citizen, detail="api")
        entries = sorted(
            (entry for citizen in citizens for entry in thread(citizen)), key=lambda e: e.created
        )[-MAX_MESSAGES:]
        return Response(SmsMessageSerializer(entries, many=True).data)
