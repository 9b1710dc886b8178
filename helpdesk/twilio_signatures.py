"""Twilio's webhook signature, checked with twilio's own RequestValidator, for every channel
(SMS and voice webhooks share this one check).

The signed URL is the one Twilio called: PUBLIC_BASE_URL + path (and query), not what Django
sees behind a TLS proxy.
"""

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from twilio.request_validator import RequestValidator, get_signature_algorithm

logger = logging.getLogger(__name__)


def signed_url(request) -> str:
    return settings.PUBLIC_BASE_URL + request.get_full_path()


def is_valid(request) -> bool:
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not settings.TWILIO_AUTH_TOKEN:
        return False
    algorithm = get_signature_algorithm(request.headers.get("X-Twilio-Webhooks-Signature-Settings"))
    validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)
    return validator.validate(signed_url(request), request.POST, signature, algorithm=algorithm)


def sign(path: str, params: dict) -> str:
    """The signature Twilio would send for `params` posted to `path` (tools, tests, benchmarks)."""
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(
        settings.PUBLIC_BASE_URL + path, params
    )


def refuse_unsigned(request) -> HttpResponse | None:
    """None when a webhook request may go on, else the 4xx to give (nothing is written before)."""
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    if request.content_type != "application/x-www-form-urlencoded":  # what Twilio sends
        return HttpResponseBadRequest("Expected a form-encoded body.", content_type="text/plain")
    if not is_valid(request):
        logger.warning("Rejected %s: missing or invalid Twilio signature", request.path)
        return HttpResponseForbidden("Invalid signature.", content_type="text/plain")
    return None
