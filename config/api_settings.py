"""The REST API's settings (DRF and drf-spectacular), read by config/settings.py."""

import os


def rest_framework(*, num_proxies: int) -> dict:
    """DRF's settings; `num_proxies` is TRUSTED_PROXY_COUNT, as for login lockouts."""
    return {
        "DEFAULT_AUTHENTICATION_CLASSES": [
            # DRF's TokenAuthentication, from the cache: helpdesk/principal.py.
            "helpdesk.api.authentication.CachedTokenAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "DEFAULT_PARSER_CLASSES": [
            "helpdesk.api.parsers.JSONParser",
            "rest_framework.parsers.FormParser",
            "rest_framework.parsers.MultiPartParser",
        ],
        "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
        "DEFAULT_PAGINATION_CLASS": "helpdesk.api.pagination.PageNumberPagination",  # no COUNT for one page
        "PAGE_SIZE": 50,
        "DEFAULT_SCHEMA_CLASS": "helpdesk.api.schema.HelpdeskAutoSchema",
        "EXCEPTION_HANDLER": "helpdesk.api.errors.exception_handler",
        # The client address for anonymous rate limits: as for lockouts, X-Forwarded-For counted from
        # the right, and only behind trusted proxies (DRF would otherwise key on the whole header,
        # which a client can vary at will to get a fresh limit each time).
        "NUM_PROXIES": num_proxies,
        # In the cache: shared between processes when REDIS_URL is set.
        "DEFAULT_THROTTLE_CLASSES": [
            "helpdesk.api.throttling.AnonRateThrottle",
            "helpdesk.api.throttling.UserRateThrottle",
        ],
        "DEFAULT_THROTTLE_RATES": {
            "anon": os.environ.get("API_RATE_ANON", "60/min"),
            "user": os.environ.get("API_RATE_USER", "1200/min"),
        },
    }


SPECTACULAR_SETTINGS = {
    "TITLE": "Digipunt Helpdesk API",
    "DESCRIPTION": "Appointments, volunteers, SMS and statistics for municipal digipunten.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SpokenLanguageEnum": "helpdesk.languages.SPOKEN_LANGUAGE_CODES",
        "InterfaceLanguageEnum": "helpdesk.languages.Language",
        "AppointmentStatusEnum": "appointments.models.Appointment.Status",
        "VolunteerStatusEnum": "volunteers.models.Volunteer.Status",
        "ChannelEnum": "helpdesk.channels.Channel",
        "DialogueChannelEnum": "conversations.models.ChannelOfDialogue",
    },
}
