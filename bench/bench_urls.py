"""The bench's URLconf (bench/bench_settings.py): the project's URLs plus two floor views that
say what the stack itself costs, measured by bench/web_bench.py against /healthz. Never part of
production: only the bench settings name this module.

- /bench/floor/api/: the cheapest authenticated DRF call: the project's authentication (a token,
  from the cache), IsAuthenticated and the default throttles, answering [].
- /bench/floor/twilio/: the cheapest signed Twilio webhook: the shared signature check
  (helpdesk/twilio_signatures.py), then an empty <Response/>, no database write.
- /bench/floor/twilio-store/: the cheapest durable one: the same, and the message stored as one
  row in a transaction of its own (a plain ORM create), which any webhook that must not lose a
  message, nor act on a repeated MessageSid twice, has to pay before it does anything else.
"""

from django.db import transaction
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk import twilio_signatures
from helpdesk.null_characters import allow_null_characters
from sms.models import InboundMessage


class FloorApiView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response([])


# Decorated as the real webhooks are (sms/views.py, voice/views.py), so it pays what they pay.
@csrf_exempt
@allow_null_characters
def floor_twilio(request):
    refused = twilio_signatures.refuse_unsigned(request)
    if refused is not None:
        return refused
    return HttpResponse("<Response/>", content_type="text/xml; charset=utf-8")


@csrf_exempt
@allow_null_characters
def floor_twilio_store(request):
    refused = twilio_signatures.refuse_unsigned(request)
    if refused is not None:
        return refused
    with transaction.atomic():
        InboundMessage.objects.create(
            message_sid=request.POST["MessageSid"],
            from_number="+32470000000",
            to_number="+32460999000",
            body="",
            received_at=timezone.now(),
        )
    return HttpResponse("<Response/>", content_type="text/xml; charset=utf-8")


urlpatterns = [
    path("bench/floor/api/", FloorApiView.as_view()),
    path("bench/floor/twilio/", floor_twilio),
    path("bench/floor/twilio-store/", floor_twilio_store),
    path("", include("config.urls")),
]
