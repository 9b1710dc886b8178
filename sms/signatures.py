"""Twilio's webhook signature, checked with twilio's own RequestValidator.

The signed URL is the one Twilio called: PUBLIC_BASE_URL + path (and query), not what Django
sees behind a TLS proxy.
"""

from django.conf import settings
from twilio.request_validator import RequestValidator, get_signature_algorithm


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
