"""Liveness and readiness, for the load balancer and the orchestrator."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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
