"""Recording the audit log: who viewed or changed a citizen, an appointment or a help request.

Changes are caught by model signals, so every channel (pages, API, admin, SMS, jobs) is covered
by one hook. Looks are recorded in three places only: `audited_view` for a page showing one
record, `privacy.api.AuditedListMixin` and `AuditedRetrieveMixin` for the API, and the admin's
citizen pages (`privacy/admin.py`); pages that show a list call `viewed_list`. Who and from where
come from the request being handled, kept in a context variable by `AuditContextMiddleware`.
"""

import contextlib
import contextvars
import functools
import logging

from django.db.models.signals import post_delete, post_save, pre_save

from helpdesk import access, sql
from helpdesk.client_ip import client_ip
from privacy.models import AuditEvent

logger = logging.getLogger(__name__)

Action = AuditEvent.Action
Subject = AuditEvent.Subject

_request = contextvars.ContextVar("audit_request", default=None)
_quiet = contextvars.ContextVar("audit_quiet", default=False)
_collected = contextvars.ContextVar("audit_collected", default=None)


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


def collected():
    """Inside, entries are gathered as unsaved rows in the list this yields instead of written one
    by one (helpdesk.sql.gathering): a hot path (booking) writes them in a statement of its own,
    together with its other rows, taking them from the list; what is left is written when the
    block ends without an error. Inside another such block it yields that block's list: what the
    outer block gathered (a citizen made just before a booking) goes into the inner one's
    statement too."""
    return sql.gathering(_collected, AuditEvent.objects.bulk_create)


def gathered() -> list[AuditEvent] | None:
    """The entries the enclosing collected() block has gathered so far, for a statement that
    writes them with its own rows (taking them out of the list); None outside such a block."""
    return _collected.get()


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
    entry = AuditEvent(
        action=action,
        subject=subject,
        subject_id=subject_id,
        municipality_id=municipality_id,
        detail=detail[:200],
        **context,
    )
    entries = _collected.get()
    if entries is not None:
        entries.append(entry)
    else:
        entry.save(force_insert=True)


def viewed(subject: str, obj=None, *, municipality_id=None, detail: str = "") -> None:
    """A person looked at personal data: one object, or a list (no object, a detail instead)."""
    if obj is not None and municipality_id is None:
        municipality_id = access.municipality_of(obj)
    record(Action.VIEW, subject, getattr(obj, "pk", None), municipality_id=municipality_id, detail=detail)


def viewed_list(subject: str, user, *, detail: str, roles=access.OFFICE_ROLES) -> None:
    """A person looked at a list of personal data (a search, a list page): one entry without an
    id, for the user's one municipality (none when they work for several: a network admin)."""
    ids = access.municipality_ids(user, roles)
    viewed(
        subject, detail=detail, municipality_id=next(iter(ids)) if ids is not None and len(ids) == 1 else None
    )


def audited_view(subject: str, *, lookup: str = "pk", model: type | None = None, detail: str = ""):
    """Decorate a view that shows one record's personal data, the record named by the URL argument
    `lookup`: each answer that shows it (2xx) leaves one "viewed" entry, with the record's
    municipality. A redirect (a change: logged by the model signals), a refusal or a 404 showed
    nothing and leaves none. `model`: the record's model when `subject` is not a watched model's
    own (SMS threads are a citizen's); `detail`: what to call the page (default: the URL's name)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                pk = kwargs[lookup] if lookup in kwargs else args[0]
                target = model or next(m for m, watched in WATCHED.items() if watched == subject)
                municipality_id = (
                    target._base_manager.filter(pk=pk)
                    .values_list(target.municipality_path, flat=True)
                    .first()
                )
                match = getattr(request, "resolver_match", None)
                record(
                    Action.VIEW,
                    subject,
                    int(pk),
                    municipality_id=municipality_id,
                    detail=detail or (match.view_name if match else ""),
                )
            return response

        return wrapper

    return decorate


def purge_expired(before) -> int:
    return AuditEvent.objects.purge_expired(before)[0]


def describe(changes: dict, why: str = "") -> str:
    """What changed, for an entry's detail: field names and flags, never personal data
    ("sms_opt_out=on (STOP)")."""
    shown = {True: "on", False: "off", None: "none"}
    text = ", ".join(f"{name}={shown.get(value, value)}" for name, value in changes.items())
    return f"{text} ({why})" if why and text else text


def changed(subject: str, obj, changes: dict, *, why: str = "") -> None:
    """A change made without save() (a queryset update), so no signal logged it."""
    record(
        Action.CHANGE,
        subject,
        obj.pk,
        municipality_id=access.municipality_of(obj),
        detail=describe(changes, why),
    )


# Models whose changes are logged, by their audit subject. Each app adds its own with watch().
WATCHED: dict[type, str] = {}
# Fields of a watched model whose new value an entry names when it changes (flags only).
TRACKED: dict[type, tuple[str, ...]] = {}


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Read the tracked fields as stored, to tell afterwards whether this save changed them."""
    fields = [f for f in TRACKED.get(sender, ()) if update_fields is None or f in update_fields]
    if raw or not fields or instance._state.adding or instance.pk is None:
        return
    instance._audit_stored = sender._base_manager.filter(pk=instance.pk).values(*fields).first() or {}


def _tracked_changes(sender, instance, created) -> dict:
    stored = instance.__dict__.pop("_audit_stored", None)
    if created:
        # A new row names a tracked field only when it starts other than its default.
        defaults = {name: sender._meta.get_field(name).get_default() for name in TRACKED.get(sender, ())}
        return {
            name: getattr(instance, name)
            for name, default in defaults.items()
            if getattr(instance, name) != default
        }
    return {
        name: getattr(instance, name)
        for name, old in (stored or {}).items()
        if getattr(instance, name) != old
    }


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw or _quiet.get():
        instance.__dict__.pop("_audit_stored", None)
        return
    parts = [f"status={instance.status}"] if hasattr(instance, "status") else []
    changes = _tracked_changes(sender, instance, created)
    if changes:
        parts.append(describe(changes))
    record(
        Action.CREATE if created else Action.CHANGE,
        WATCHED[sender],
        instance.pk,
        municipality_id=access.municipality_of(instance),
        detail=", ".join(parts),
    )


def _deleted(sender, instance, **kwargs):
    if _quiet.get():
        return
    record(Action.DELETE, WATCHED[sender], instance.pk, municipality_id=access.municipality_of(instance))


def watch(model: type, subject: str, *, tracked: tuple[str, ...] = ()) -> None:
    """Log every creation, change and deletion of this model's rows (called from AppConfig.ready);
    a change of a `tracked` field is named in the entry with its new value."""
    WATCHED[model] = subject
    post_save.connect(_saved, sender=model, dispatch_uid=f"audit-save-{model.__name__}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"audit-delete-{model.__name__}")
    if tracked:
        TRACKED[model] = tuple(tracked)
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"audit-before-save-{model.__name__}")
