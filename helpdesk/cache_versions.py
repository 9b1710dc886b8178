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
"""

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


class CacheVersion:
    def __init__(self, name: str):
        self.key = f"{name}:version"

    def current(self) -> str:
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, uuid.uuid4().hex, timeout=None)
            version = cache.get(self.key) or uuid.uuid4().hex  # a cache that keeps nothing: always new
        return version

    def _renew(self) -> None:
        cache.set(self.key, uuid.uuid4().hex, timeout=None)

    def bump(self) -> None:
        """What the entries were built from changed: forget them, now and when this commits."""
        self._renew()
        transaction.on_commit(self._renew)


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
