"""Who an API caller is, cached: token -> user, memberships with their digipunten, and what their
scope lets them name in a request (the active digipunten of their office roles, the topics they
see).

Every API call used to read the token and user, the memberships and their digipunten, then the
digipunt and topic it names: five queries before any work. They change rarely, so they are kept in
Django's cache (Redis in production, local memory on the embedded default) under a version that
every change to them bumps, the pattern of `helpdesk.schedule_version`: at once (so the changing
transaction sees it) and again on commit (so an entry another process built in between, from the
rows as they were, is never read again). A revoked token, a deactivated user or a removed
membership therefore stops working with the next request.

The version must be seen by every process, so the cache is used only when it is shared between
processes (Redis, as in production): `helpdesk.cache_versions.shared()`. Django's local-memory
cache is one per process: a token revoked through one gunicorn worker would go on working in the
others, so there every request asks the database as DRF does, unless CACHE_IN_ONE_PROCESS says
there is only one process.

An entry lives CACHE_SECONDS (a minute) at most: the cache fails open (helpdesk/cache.py), so a
bump lost to a Redis stall while a token is revoked is made good within that minute.

Only valid tokens of active users are cached; every refusal goes through DRF's own code. The
cached user carries no password hash, and the token key is stored only as a digest.
"""

import hashlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from rest_framework.authtoken.models import Token

from helpdesk import access
from helpdesk.cache_versions import CacheVersion, layout, read_with, shared
from helpdesk.models import Digipunt, Membership, Municipality, Topic

CACHE_SECONDS = 60  # bounds a revocation whose version bump a Redis stall lost (see above)
# Not cached: the password hash (no secret in the cache) and the login stamp (a login bumps
# nothing); both are deferred, read from the database if asked for and left alone by save().
UNCACHED_FIELDS = frozenset({"password", "last_login"})


_version = CacheVersion("principal")
current = _version.current
bump = _version.bump  # something a caller's identity or scope rests on changed


def _fields(model, leave_out=frozenset()) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname not in leave_out)


def _values(obj, names) -> tuple:
    return tuple(getattr(obj, name) for name in names)


def _row(model, names, values):
    """A model instance from cached values, as if loaded by a query (fields left out deferred)."""
    return model.from_db("default", list(names), list(values))


# Rows are cached as plain tuples, not pickled model instances: unpickling a dozen instances took
# longer than the queries they saved; a row becomes an instance only when a request names it.
@dataclass(frozen=True)
class Principal:
    user_id: int
    token_created: object
    user_fields: tuple[str, ...]  # without UNCACHED_FIELDS
    user_values: tuple
    # (pk, municipality id, role, ids of the digipunten it is limited to)
    memberships: tuple[tuple[int, int | None, str, tuple[int, ...]], ...]
    # What the request's fields may name, as rows; None for a network administrator (all of
    # them: the fields ask the database, as before, rather than caching the network per caller).
    digipunten: dict[int, tuple] | None  # pk -> active Digipunt of the caller's office roles
    topics: dict[str, tuple] | None  # code -> active Topic the caller sees

    def user(self):
        user = _row(get_user_model(), self.user_fields, self.user_values)
        user._helpdesk_memberships = [self._membership(user, *m) for m in self.memberships]
        user._helpdesk_principal = self
        return user

    @staticmethod
    def _membership(user, pk, municipality_id, role, digipunt_ids):
        membership = Membership(pk=pk, user_id=user.pk, municipality_id=municipality_id, role=role)
        membership._state.adding = False
        membership._state.db = "default"
        membership.helpdesk_digipunt_ids = digipunt_ids  # what helpdesk.access reads
        return membership

    def digipunt(self, pk: int) -> Digipunt | None:
        values = self.digipunten.get(pk)
        return None if values is None else _row(Digipunt, _fields(Digipunt), values)

    def all_digipunten(self) -> list[Digipunt]:
        return [self.digipunt(pk) for pk in self.digipunten]

    def topic(self, code: str) -> Topic | None:
        values = self.topics.get(code)
        return None if values is None else _row(Topic, _fields(Topic), values)


def _cache_key(key: str) -> str:
    """Where a token's entry is kept: (the version it was built under, the principal)."""
    shape = layout(__name__, Token, get_user_model(), Membership, Digipunt, Topic)
    return f"principal:{shape}:{hashlib.sha256(key.encode()).hexdigest()}"


def cached(key: str) -> "Principal | None":
    """The token's entry if it was built under the version now, read with the version in one
    round trip (the entry carries its version instead of being keyed on it)."""
    found = read_with([_cache_key(key)])  # with every version, the schedule's too
    version = found.get(_version.key) or current()
    entry = found.get(_cache_key(key))
    return entry[1] if entry is not None and entry[0] == version else None


def _build(token: Token) -> Principal:
    user = token.user
    memberships = tuple(
        (m.pk, m.municipality_id, m.role, tuple(d.pk for d in m.digipunten.all()))
        for m in access.memberships(user)
    )
    digipunten = topics = None
    if not access.is_network_admin(user):
        names = _fields(Digipunt)
        digipunten = {
            d.pk: _values(d, names)
            for d in access.digipunten_for(user, access.OFFICE_ROLES).filter(is_active=True)
        }
        names = _fields(Topic)
        topics = {t.code: _values(t, names) for t in access.scope(Topic.objects.filter(is_active=True), user)}
    names = _fields(type(user), UNCACHED_FIELDS)
    return Principal(user.pk, token.created, names, _values(user, names), memberships, digipunten, topics)


def enabled() -> bool:
    """Whether principals are cached: only where every process sees the version."""
    return shared()


def authenticate(key: str):
    """(user, token) for a valid token of an active user from the cache, or None: let DRF look
    the token up (and refuse it) as it always did."""
    if not isinstance(key, str) or not key or not enabled():
        return None
    principal = cached(key)
    if principal is None:
        # The version first: a change committed after this read bumps it again, so what is
        # built from the rows read below is never taken for newer than it is.
        version = current()
        token = Token.objects.select_related("user").filter(key=key).first()
        if token is None or not token.user.is_active:
            return None
        principal = _build(token)
        cache.set(_cache_key(key), (version, principal), CACHE_SECONDS)
    user = principal.user()
    token = Token(key=key, user_id=principal.user_id, created=principal.token_created)
    token._state.adding = False
    token._state.db = "default"
    token.user = user
    return user, token


def of(user) -> Principal | None:
    """The cached principal behind a request's user, when it came through a token."""
    return getattr(user, "_helpdesk_principal", None)


def _changed(sender, **kwargs) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login stamp says nothing about who may do what
    bump()


def _m2m_changed(sender, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        bump()


def connect() -> None:
    """Bump on every change a principal rests on (called from HelpdeskConfig.ready)."""
    for model in (Token, get_user_model(), Membership, Municipality, Digipunt, Topic):
        post_save.connect(_changed, sender=model, dispatch_uid=f"principal-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"principal-delete-{model._meta.label}")
    m2m_changed.connect(
        _m2m_changed, sender=Membership.digipunten.through, dispatch_uid="principal-membership-digipunten"
    )
