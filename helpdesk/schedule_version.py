"""The version of every municipality's schedule: what the slot engine caches is keyed on it.

The slot engine (appointments/schedule_snapshot.py) keeps each municipality's week (opening
hours, closures, volunteers' blocks, absences, topics and languages) in the cache under this
version. Any change to those rows bumps it: the model signals do so (connected by the
appointments app), and code that writes them without signals (bulk_create, QuerySet.update)
calls `bump()` itself. The version lives in the core so that every app can bump it.

It is bumped at once (so the transaction that made the change sees it) and again when that
transaction commits (so a snapshot another process built in between, without the change, is
never read again). A stale snapshot can never double-book: the booking function re-reads the
appointments under its locks, and the database constraints have the last word.
"""

from helpdesk.cache_versions import CacheVersion

_version = CacheVersion("schedule")
current = _version.current
bump = _version.bump  # the schedule changed: forget every cached snapshot, now and on commit
