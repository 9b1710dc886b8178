"""Recording the audit log: who viewed or changed a citizen, an appointment or a help request.

Changes are caught by model signals, so every channel (pages, API, admin, SMS, jobs) is covered
by one hook; looks are recorded by the views that show personal data. Who and from where come
from the request being handled, kept in a context variable by `AuditContextMiddleware`.
"""

import contextlib
import contextvars
import logging

from django.db.models.signals import post_delete, post_save

from helpdesk import access
from helpdesk.client_ip import client_ip
from privacy.models import AuditEvent

logger = logging.getLogger(__name__)

Action = AuditEvent.Action
Subject = AuditEvent.Subject

_request = contextvars.ContextVar("audit_request", default=None)
_quiet = contextvars.ContextVar("audit_quiet", default=False)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


@contextlib.contextmanager
def quiet():
    """Inside, changes are not logged one by one: the caller logs one entry for all of them
    (an erasure is one "erased" entry, not a hundred "changed" ones)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _context() -> dict:
    request = _request.get()
    if request is None:
        return {"via": "job"}
    user = getattr(request, "user", None)
    actor = user if getattr(user, "is_authenticated", False) else None
    path = request.path
    via = "api" if path.startswith("/api/") else "sms" if path.startswith("/sms/inbound") else "web"
    return {"actor": actor, "via": via, "ip_address": client_ip(request)}


def record(
    action: str, subject: str, subject_id=None, *, municipality_id=None, detail: str = "", actor=None
) -> None:
    """One entry; `actor` names the person when the caller knows better than the request does."""
    context = _context()
    if getattr(actor, "is_authenticated", False):
        context["actor"] = actor
    AuditEvent.objects.create(
        action=action,
        subject=subject,
        subject_id=subject_id,
        municipality_id=municipality_id,
        detail=detail[:200],
        **context,
    )


def viewed(subject: str, obj=None, *, municipality_id=None, detail: str = "") -> None:
    """A person looked at personal data: one object, or a list (no object, a detail instead)."""
    if obj is not None and municipality_id is None:
        municipality_id = access.municipality_of(obj)
    record(Action.VIEW, subject, getattr(obj, "pk", None), municipality_id=municipality_id, detail=detail)


def purge_expired(before) -> int:
    return AuditEvent.objects.purge_expired(before)[0]


# Models whose changes are logged, by their audit subject. Each app adds its own with watch().
WATCHED: dict[type, str] = {}


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw or _quiet.get():
        return
    detail = f"status={instance.status}" if hasattr(instance, "status") else ""
    record(
        Action.CREATE if created else Action.CHANGE,
        WATCHED[sender],
        instance.pk,
        municipality_id=access.municipality_of(instance),
        detail=detail,
    )


def _deleted(sender, instance, **kwargs):
    if _quiet.get():
        return
    record(Action.DELETE, WATCHED[sender], instance.pk, municipality_id=access.municipality_of(instance))


def watch(model: type, subject: str) -> None:
    """Log every creation, change and deletion of this model's rows (called from AppConfig.ready)."""
    WATCHED[model] = subject
    post_save.connect(_saved, sender=model, dispatch_uid=f"audit-save-{model.__name__}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"audit-delete-{model.__name__}")
