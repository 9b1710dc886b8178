"""Error answers: 404 and 500 pages (JSON under /api/), and 503 while the database is away."""

import logging
import sys

from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from helpdesk import locks

logger = logging.getLogger(__name__)


# Errors that mean "the database is not there right now" (down, restarting, connection lost,
# deadlock or timeout): the request can simply be tried again.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def unavailable(request, busy: bool = False) -> HttpResponse:
    """503 with Retry-After, built without the database (no template, no context processors).
    `busy`: the database is there, but what the request needed was locked by others too long
    (helpdesk.locks.LockTimeout)."""
    if busy:
        text = _("This is being changed by someone else right now. Please try again in a moment.")
    else:
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
        if locks.busy(exception):
            logger.warning("Busy (lock timeout), answered 503 for %s", request.path)
            return unavailable(request, busy=True)
        if isinstance(exception, DATABASE_UNAVAILABLE):
            logger.warning("Database unavailable, answered 503 for %s: %s", request.path, exception)
            return unavailable(request)
        return None


class UnreadableBodyMiddleware:
    """A body Django refuses to parse stays refused, once: the 400 must not become a 500.

    Django answers a form POST that declares a charset other than UTF-8 with BadRequest (a 400),
    but unlike its other body errors (a broken multipart body, too many fields) it does not mark
    the body as unreadable, so every later read of request.POST or request.FILES raises again.
    Whatever reads it after the first failure then fails inside the error handling itself: under
    DEBUG the technical 400 page (it lists POST and FILES), and the 400 view's CSRF check when the
    first read was the CSRF middleware's; the answer became a 500. Here the first failure marks
    the body as unreadable, as Django does for the others: the BadRequest still goes up and is
    answered 400, and later reads see an empty form. First in MIDDLEWARE, before any reader."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        load = request._load_post_and_files

        def load_once():
            try:
                load()
            except BadRequest:
                request._mark_post_parse_error()
                raise

        request._load_post_and_files = load_once
        return self.get_response(request)


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
