"""Row locks, taken one way everywhere: `lock(*objects)` inside a transaction.

Two transactions that lock the same rows in different orders can wait on each other forever (a
deadlock: PostgreSQL ends one of them after a second, as an error). So every lock is taken here,
in one fixed order: by the model's `lock_rank` (a class attribute; lower first), then by primary
key. The ranks are listed in docs/architecture.md:

    Citizen 10 < Conversation 20 < Digipunt 30 < Volunteer 40 < Appointment 50 < WalkIn 60

A transaction may call `lock` more than once (the SMS path locks the citizen, then its
conversation, then the booking locks the digipunt), but each call may only add rows that sort
after every row it already holds; anything else raises LockOrderError, a bug the tests catch.
Rows already held may be named again in any order. A lock that cannot follow the order is
taken with `try_lock`, which never waits and therefore can never be part of a deadlock.

The wait is bounded: LOCK_TIMEOUT, set once per transaction. Running out of it raises
LockTimeout, which every channel answers the same way: "busy, try again" (HTTP 503 with
Retry-After through config.errors, a short SMS asking to resend).

On SQLite, `select_for_update` is a no-op: write transactions are serialised (BEGIN IMMEDIATE),
which is the lock. The order is still checked there, so an ordering bug fails on either database.
"""

import contextlib

from django.db import OperationalError, connection, transaction

LOCK_TIMEOUT_MS = 5000

# PostgreSQL: lock_not_available (lock_timeout ran out), deadlock_detected.
_BUSY_SQLSTATES = {"55P03", "40P01"}

# Test seam: with ORDERED off, rows are locked in the order the caller names them and the order
# is not checked, which is how the channels locked before this helper existed. The cross-channel
# race test uses it to show the deadlock is real. Production never changes it.
ORDERED = True
# Test seam: called with the models just locked, after each lock() call that took new rows.
after_lock = None


class LockTimeout(OperationalError):
    """A row stayed locked by someone else for too long: busy, try again. `deadlock`: PostgreSQL
    broke a deadlock instead, which the lock order should make impossible (a bug to look into)."""

    def __init__(self, message: str, *, deadlock: bool = False):
        super().__init__(message)
        self.deadlock = deadlock


class LockOrderError(RuntimeError):
    """Rows locked out of the fixed order: a deadlock waiting to happen."""


class _Held:
    """What the current transaction holds.

    A transaction is known by its outermost atomic block (and that block's savepoint, inside the
    test suite's own transaction). Each lock() call adds a group of rows with a no-op on_commit
    hook of its own: Django drops the hook when the transaction ends or when the savepoint the
    call ran in is rolled back, which is exactly when PostgreSQL releases those rows, so a
    group whose hook is gone is forgotten."""

    def __init__(self, owner, sid):
        self.owner, self.sid = owner, sid
        self.groups: list[tuple] = []  # (marker, keys, inserted)
        # The SET LOCAL's own marker: it lives exactly as long as the setting does (to the end of
        # the transaction, or of the savepoint it ran in, which a rollback undoes with it).
        self.timeout_marker = None

    def current(self, owner, sid) -> bool:
        return self.owner is owner and self.sid == sid

    def prune(self) -> None:
        alive = {id(hook) for _sids, hook, _robust in connection.run_on_commit}
        self.groups = [group for group in self.groups if id(group[0]) in alive]
        if self.timeout_marker is not None and id(self.timeout_marker) not in alive:
            self.timeout_marker = None

    def add(self, keys, *, inserted: bool = False) -> None:
        self.groups.append((_marker(), set(keys), inserted))

    @property
    def timeout_set(self) -> bool:
        return self.timeout_marker is not None

    @property
    def keys(self) -> set:
        return set().union(*(keys for _marker, keys, _inserted in self.groups))

    @property
    def inserted(self) -> set:
        return set().union(*(keys for _marker, keys, inserted in self.groups if inserted))

    @property
    def highest(self) -> tuple | None:
        return max(self.keys, default=None)


def _state() -> _Held:
    # The test suite wraps each test in atomic blocks of its own (marked _from_testcase); the
    # transaction that counts is the application's outermost block inside those.
    blocks = connection.atomic_blocks
    index = next((i for i, block in enumerate(blocks) if not block._from_testcase), None)
    if index is None:
        raise RuntimeError("lock() needs a transaction: call it inside transaction.atomic().")
    owner = blocks[index]
    sid = connection.savepoint_ids[index - 1] if index > 0 else None
    held = getattr(connection, "_helpdesk_locks", None)
    if held is None or not held.current(owner, sid):
        held = _Held(owner, sid)
        connection._helpdesk_locks = held
    held.prune()
    return held


def _marker():
    """A no-op on-commit hook whose identity stands for something this transaction did: Django
    drops it when the transaction ends or the savepoint it was made in is rolled back."""
    marker = lambda: None  # noqa: E731  (a function of its own: its identity is what counts)
    transaction.on_commit(marker)
    return marker


def _key(obj) -> tuple:
    model = type(obj)
    rank = getattr(model, "lock_rank", None)
    if rank is None:
        raise TypeError(f"{model.__name__} has no lock_rank: add it (docs/architecture.md lists them).")
    if obj.pk is None:
        raise ValueError(f"Cannot lock an unsaved {model.__name__}.")
    return (rank, model._meta.label, obj.pk)


def busy(error: Exception) -> bool:
    """True for a lock timeout or a broken deadlock, wherever in the transaction it happened (the
    timeout set here applies to every later statement: an UPDATE or an INSERT that waited too)."""
    if isinstance(error, LockTimeout):
        return True
    return (
        isinstance(error, OperationalError) and getattr(error.__cause__, "sqlstate", None) in _BUSY_SQLSTATES
    )


def is_deadlock(error: Exception) -> bool:
    if isinstance(error, LockTimeout):
        return error.deadlock
    return getattr(error.__cause__, "sqlstate", None) == "40P01"


def _set_timeout(held: _Held) -> None:
    if held.timeout_set or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # SET LOCAL: ends with the transaction; the pooled connection keeps no setting.
        cursor.execute(f"SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_MS)}")
    held.timeout_marker = _marker()


@contextlib.contextmanager
def _waiting():
    """Around a locking statement: running out of the lock timeout, or a deadlock, is LockTimeout."""
    try:
        yield
    except OperationalError as error:
        if busy(error):
            raise LockTimeout(str(error), deadlock=is_deadlock(error)) from error
        raise


def _may_lock(model) -> tuple["_Held", tuple | None]:
    """Before a statement that locks rows of `model` found by a query: the order rule (the model
    must not sort before a row already held) and the timeout. Returns the transaction's held
    rows and the highest of them."""
    held = _state()
    rank = (getattr(model, "lock_rank", None), model._meta.label)
    if rank[0] is None:
        raise TypeError(f"{model.__name__} has no lock_rank: add it (docs/architecture.md lists them).")
    highest = held.highest
    if ORDERED and highest is not None and rank < highest[:2]:
        raise LockOrderError(f"{model.__name__} locked after {highest[1]} {highest[2]}.")
    _set_timeout(held)
    return held, highest


def lock(*objects, for_delete: bool = False) -> None:
    """Lock the rows of these model instances for the rest of the transaction, in the fixed order.

    The lock is FOR NO KEY UPDATE: it excludes every other lock() of the same rows but lets others
    insert rows that point at them (a text to a citizen whose row someone holds), so that an
    insert never waits in a cycle. `for_delete` takes FOR UPDATE instead, which also holds off
    such inserts: for a row about to be deleted (an erasure), where a new row pointing at it
    would survive the deletion.

    Raises LockTimeout when a row stays locked longer than LOCK_TIMEOUT_MS, LockOrderError when a
    row would be locked after one that sorts later, RuntimeError outside a transaction.
    """
    held = _state()
    keyed = {_key(obj): obj for obj in objects if obj is not None}
    known = held.keys
    new = [key for key in keyed if key not in known]
    if not new:
        return
    if ORDERED:
        new.sort()
        highest = held.highest
        if highest is not None and new[0] < highest:
            raise LockOrderError(
                f"{new[0][1]} {new[0][2]} locked after {highest[1]} {highest[2]}: "
                "lock everything a transaction needs in one call, or lock in rank order."
            )
    _set_timeout(held)
    with _waiting():
        # One query per model, rows in primary-key order (PostgreSQL locks them in scan order).
        for model, ids in _runs(new, keyed):
            _lock_rows(model, ids, for_delete=for_delete)
    held.add(new)
    if after_lock is not None:
        after_lock([type(keyed[key]) for key in new])


def _lock_rows(model, ids: list, *, for_delete: bool) -> None:
    """SELECT pk ... ORDER BY pk FOR [NO KEY] UPDATE, written out: building it through the ORM
    cost more than running it, three times in every booking. SQLite has no row locks (its write
    transaction is the lock), so there it is a plain SELECT, as select_for_update makes it."""
    quote = connection.ops.quote_name
    pk = model._meta.pk
    clause = ""
    if connection.vendor == "postgresql":
        clause = " FOR UPDATE" if for_delete else " FOR NO KEY UPDATE"
    sql = (
        f'SELECT {quote(pk.column)} AS "pk" FROM {quote(model._meta.db_table)} '
        f"WHERE {quote(pk.column)} IN ({', '.join(['%s'] * len(ids))}) ORDER BY 1{clause}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk.get_db_prep_value(value, connection) for value in ids])
        cursor.fetchall()


def _runs(keys: list[tuple], keyed: dict) -> list[tuple[type, list]]:
    """Consecutive keys of one model, as (model, [pk, ...]), keeping the order of `keys`."""
    runs: list[tuple[type, list]] = []
    for key in keys:
        model = type(keyed[key])
        if runs and runs[-1][0] is model:
            runs[-1][1].append(key[2])
        else:
            runs.append((model, [key[2]]))
    return runs


def held(model) -> set:
    """Primary keys of this model's rows the current transaction holds through this module."""
    label = model._meta.label
    return {key[2] for key in _state().keys if key[1] == label}


def try_lock(obj) -> bool:
    """Lock one row only if nobody holds it (SKIP LOCKED): never waits, so it may be taken out of
    order. False: someone else is working on it right now."""
    held = _state()
    key = _key(obj)
    if key in held.keys:
        return True
    model = type(obj)
    rows = model._default_manager.select_for_update(no_key=True, skip_locked=True)
    got = bool(list(rows.filter(pk=obj.pk).values_list("pk")))
    if got:
        # Held from now on: later waits must still sort after it, or a cycle could close here.
        held.add([key])
    return got


def select(queryset, *, for_delete: bool = False) -> list:
    """Load and lock the rows of `queryset` in one statement (SELECT ... FOR NO KEY UPDATE, in
    primary-key order): lock() for rows not loaded yet, without a second round trip to fetch
    them. The same order rule as lock(): the model must not sort before a row already held."""
    model = queryset.model
    held, highest = _may_lock(model)
    with _waiting():
        rows = list(queryset.select_for_update(no_key=not for_delete).order_by("pk"))
    known = held.keys
    new = [key for key in map(_key, rows) if key not in known]
    if new:
        if ORDERED and highest is not None and new[0] < highest:
            raise LockOrderError(f"{new[0][1]} {new[0][2]} locked after {highest[1]} {highest[2]}.")
        held.add(new)
        if after_lock is not None:
            after_lock([model])
    return rows


def hold_new(*objects) -> None:
    """Count rows this transaction has just inserted as held, without a statement: nobody else
    sees them before the commit, so nobody else can lock them. The same order rule as lock()."""
    held = _state()
    keys = sorted(_key(obj) for obj in objects if obj is not None)
    known = held.keys
    new = [key for key in keys if key not in known]
    if not new:
        return
    highest = held.highest
    if ORDERED and highest is not None and new[0] < highest:
        raise LockOrderError(f"{new[0][1]} {new[0][2]} locked after {highest[1]} {highest[2]}.")
    held.add(new, inserted=True)


def run(model, sql: str, params) -> list:
    """Run one statement of the caller's that locks or inserts rows of `model` and returns them
    (an UPDATE ... RETURNING, an INSERT ... RETURNING, a CTE of both): for what select() cannot
    say in one statement, such as "lock this row and change it", under the same rules: the order
    (the model must not sort before a row already held), the timeout, LockTimeout. The statement
    must return whole rows (it is read with `model.objects.raw`); a row that also returns a true
    column `inserted` counts as inserted by this transaction (see `inserted`)."""
    held, highest = _may_lock(model)
    with _waiting():
        rows = list(model._default_manager.raw(sql, params))
    known = held.keys
    took = False
    for made in (False, True):
        new = sorted(
            key
            for row in rows
            if bool(getattr(row, "inserted", False)) is made and (key := _key(row)) not in known
        )
        if new:
            if ORDERED and highest is not None and new[0] < highest:
                raise LockOrderError(f"{new[0][1]} {new[0][2]} locked after {highest[1]} {highest[2]}.")
            held.add(new, inserted=made)
            took = True
    if took and after_lock is not None:
        after_lock([model])
    return rows


def inserted(obj) -> bool:
    """Whether this transaction inserted the row (`hold_new`, or `run` said so): nobody else can
    have made rows that point at it yet (a new citizen has no conversation to look for)."""
    return obj.pk is not None and _key(obj) in _state().inserted
