"""Versions that cached entries are keyed on, and the layout those entries were written in.

A cache of rows (the schedule's week, an API caller, a municipality's topics) is keyed on a
version that every change to those rows bumps: at once, so the changing transaction sees it, and
again when it commits, so an entry another process built in between, from the rows as they were,
is never read again. When the cache loses the version (a restart, an eviction, `cache.clear()`)
a new one is made, so nothing cached before can pass for the present.

The key also carries the entries' layout: a digest of the models' fields and of the module that
builds them. After a deploy that changes either, the new code never reads what the old code
cached (and during a rolling deploy each keeps to its own), instead of reading a row of the old
shape into the new fields.

Within a request (`OneReadPerRequest`, a middleware) each version is read from the cache once,
and `read_with` brings them all along with another read: the API caller's read
(helpdesk/principal.py) also brings the schedule's version, so that a slot search costs no round
trip of its own for it. What the request itself bumps it sees at once; a change another process
makes meanwhile is seen by the next request, as if it had come a moment later.
"""

import contextvars
import hashlib
import sys
import uuid
from functools import cache as once

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction


def shared() -> bool:
    """Whether a version bumped in this process is seen by every process (see the docstring)."""
    if getattr(settings, "CACHE_IN_ONE_PROCESS", False):
        return True
    return not isinstance(caches["default"], LocMemCache | DummyCache)


# The versions read in the current request (key -> value), or None outside one.
_read = contextvars.ContextVar("cache_versions_read", default=None)
_ALL: dict[str, "CacheVersion"] = {}


class CacheVersion:
    def __init__(self, name: str):
        self.key = f"{name}:version"
        _ALL[self.key] = self

    def current(self) -> str:
        read = _read.get()
        version = read.get(self.key) if read is not None else None
        if version is not None:
            return version
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, uuid.uuid4().hex, timeout=None)
            version = cache.get(self.key) or uuid.uuid4().hex  # a cache that keeps nothing: always new
        if read is not None:
            read[self.key] = version
        return version

    def _renew(self) -> None:
        version = uuid.uuid4().hex
        cache.set(self.key, version, timeout=None)
        read = _read.get()
        if read is not None:
            read[self.key] = version

    def bump(self) -> None:
        """What the entries were built from changed: forget them, now and when this commits."""
        self._renew()
        transaction.on_commit(self._renew)


def read_with(keys: list[str]) -> dict:
    """cache.get_many of `keys` and of every version, in one round trip; inside a request the
    versions found count as read (`CacheVersion.current` asks the cache for them no more)."""
    found = cache.get_many([*keys, *_ALL])
    read = _read.get()
    if read is not None:
        for key in _ALL:
            if found.get(key) is not None:
                read.setdefault(key, found[key])
    return found


class OneReadPerRequest:
    """Middleware: each version is read from the cache at most once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _read.set({})
        try:
            return self.get_response(request)
        finally:
            _read.reset(token)


@once
def layout(module: str, *models) -> str:
    """A short digest of the models' concrete fields and of the module's source (by name)."""
    digest = hashlib.sha256()
    for model in models:
        digest.update(model._meta.label.encode())
        digest.update(",".join(field.attname for field in model._meta.concrete_fields).encode())
    source = getattr(sys.modules[module], "__file__", None)
    if source:
        with open(source, "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()[:12]
