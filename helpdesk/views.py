import datetime
import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from helpdesk import access
from helpdesk.models import Municipality, OpeningHours, Role
from helpdesk.opening import closed_reason, closures_by_digipunt, opening_periods

logger = logging.getLogger(__name__)
UPCOMING_CLOSURE_DAYS = 60


def digipunt_overview(user, today: datetime.date) -> list[dict]:
    """The user's digipunten with today's hours and coming closures, in three queries."""
    digipunten = list(
        access.digipunten_for(user)
        .filter(is_active=True)
        .select_related("municipality")
        .prefetch_related(Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("opens")))
    )
    horizon = today + datetime.timedelta(days=UPCOMING_CLOSURE_DAYS)
    closures = closures_by_digipunt(digipunten, today, horizon)
    overview = []
    for digipunt in digipunten:
        own = closures[digipunt.pk]
        overview.append(
            {
                "digipunt": digipunt,
                "closed_today": closed_reason(today, own),
                "hours_today": opening_periods(digipunt, today, own),
                "closures": own,
            }
        )
    return overview


@login_required
def home(request):
    user = request.user
    role = access.primary_role(user)
    today = timezone.localdate()
    context = {
        "role": role,
        "role_label": Role(role).label if role else None,
        "today": today,
        "can_use_admin": access.can_use_admin(user),
        "municipalities": access.scope(Municipality.objects.all(), user).annotate(
            digipunt_count=Count("digipunten", filter=Q(digipunten__is_active=True))
        ),
        "overview": digipunt_overview(user, today) if role else [],
    }
    return render(request, "helpdesk/home.html", context)


@never_cache
@require_GET
def healthz(request):
    """Liveness for the load balancer: 200 when the database answers."""
    if not _database_answers():
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


_redis_client = None


def _redis_answers() -> bool:
    """Ping Redis with short timeouts: a hanging Redis must not hang the readiness check."""
    global _redis_client
    import redis

    if _redis_client is None:
        _redis_client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5
        )
    try:
        return bool(_redis_client.ping())
    except redis.RedisError:
        return False


@never_cache
@require_GET
def readyz(request):
    """Readiness: 200 when the database and, when REDIS_URL is set, Redis answer; else 503 naming
    the part that failed (and nothing about where it lives)."""
    parts = {"database": "ok" if _database_answers() else "unavailable"}
    if settings.REDIS_URL:
        parts["redis"] = "ok" if _redis_answers() else "unavailable"
    else:
        parts["redis"] = "not configured"
    ready = "unavailable" not in parts.values()
    return JsonResponse({"status": "ok" if ready else "error", **parts}, status=200 if ready else 503)


# Errors that mean "the database is not there right now" (down, restarting, connection lost,
# deadlock or timeout): the request can simply be tried again.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def unavailable(request) -> HttpResponse:
    """503 with Retry-After, built without the database (no template, no context processors)."""
    text = _("The service is briefly unavailable. Please try again in a moment.")
    if _wants_json(request):
        response = JsonResponse({"detail": text}, status=503)
    else:
        response = HttpResponse(text, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """A view that lost its database answers a clean 503 instead of a 500: what a load balancer,
    an API client and Twilio understand as "try again". Writes that belong together are in one
    transaction (a booking, an inbound SMS), so the failed request left nothing half-written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            logger.warning("Database unavailable, answered 503 for %s: %s", request.path, exception)
            return unavailable(request)
        return None


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    """404: JSON under /api/ (clients parse it), the normal page elsewhere."""
    if _wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def server_error(request):
    # The database failing in a middleware (outside any view) ends here: still a 503.
    if isinstance(sys.exception(), DATABASE_UNAVAILABLE):
        return unavailable(request)
    if _wants_json(request):
        return JsonResponse({"detail": "Server error."}, status=500)
    from django.views.defaults import server_error as default_server_error

    return default_server_error(request)
