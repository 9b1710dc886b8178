"""Statements built from a model instance, for the hot paths that fold several writes into one
round trip (an INSERT inside a WITH, `INSERT ... SELECT ... WHERE`, `ON CONFLICT DO NOTHING`),
which the ORM cannot say. Values are prepared as `save()` prepares them, so the row is the one
`save()` would write; no signal is sent (the caller says what it sends instead).

`deferred()` lets a hot path gather the rows that others add on its behalf (the SMS and the
e-mail a booking causes, written by their own apps through `insert`) and write them as parts of
its own statement, instead of a round trip each."""

import contextlib
import contextvars

from django.db import connection
from django.db.models.signals import post_save

_deferred = contextvars.ContextVar("sql_deferred", default=None)


def insert_statement(
    obj, *, select: bool = False, sql_values: dict[str, str] | None = None
) -> tuple[str, list]:
    """`INSERT INTO table (columns) VALUES (...)` of an unsaved instance, its defaults and
    auto_now fields filled as save() fills them. With `select`, `INSERT ... SELECT ...`, for a
    WHERE or ON CONFLICT to follow; `sql_values` gives some fields as SQL expressions instead."""
    sql_values = sql_values or {}
    fields = [field for field in obj._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    marks, params = [], []
    for field in fields:
        if field.name in sql_values:
            marks.append(sql_values[field.name])
        else:
            marks.append("%s")
            params.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
    columns = ", ".join(quote(field.column) for field in fields)
    values = f"SELECT {', '.join(marks)}" if select else f"VALUES ({', '.join(marks)})"
    return f"INSERT INTO {quote(obj._meta.db_table)} ({columns}) {values}", params


def mark_saved(obj, pk) -> None:
    """The instance as save() leaves it, once a hand-built INSERT returned its primary key."""
    obj.pk = pk
    obj._state.adding, obj._state.db = False, connection.alias


def announce_created(obj) -> None:
    """post_save for a row a hand-built INSERT made, as save() sends it (the audit entry of a
    watched model, privacy/audit.py, listens)."""
    post_save.send(
        sender=type(obj), instance=obj, created=True, update_fields=None, raw=False, using=connection.alias
    )


def together(writes: list[tuple[str, list]], main: tuple[str, list] | None = None) -> tuple | None:
    """Run `writes`, then `main` (by default the last of the writes), in one round trip on
    PostgreSQL: the writes are data-modifying WITH parts of `main`, run to completion whether it
    reads them or not (they touch other tables than each other, so their order does not matter).
    Elsewhere (SQLite has no writes in WITH) one by one. Returns `main`'s first row, if it has
    rows."""
    if main is None:
        if not writes:
            return None
        writes, main = writes[:-1], writes[-1]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and writes:
            parts = ", ".join(f"w{i} AS ({sql})" for i, (sql, _params) in enumerate(writes))
            cursor.execute(f"WITH {parts} {main[0]}", [*(p for _sql, ps in writes for p in ps), *main[1]])
        else:
            for sql, params in writes:
                cursor.execute(sql, params)
            cursor.execute(*main)
        return cursor.fetchone() if cursor.description else None


def insert_with(obj, writes: list[tuple[str, list]]) -> None:
    """INSERT the unsaved `obj` together with `writes` (other INSERTs), in one statement on
    PostgreSQL (`together`). `obj` is left as save() leaves it; no signal is sent."""
    insert, params = insert_statement(obj)
    returning = f"RETURNING {connection.ops.quote_name(obj._meta.pk.column)}"
    mark_saved(obj, together(writes, (f"{insert} {returning}", params))[0])


@contextlib.contextmanager
def gathering(var: contextvars.ContextVar, flush):
    """Inside, the list this yields is `var`'s: a hot path gathers there what others would have
    written one by one (audit entries, outbox rows), writes it in a statement of its own and
    takes it out of the list; what is left is passed to `flush` when the block ends without an
    error (a block that fails writes nothing: its change is undone). Inside another such block
    of the same `var` it yields that block's list, and the outermost flushes the rest."""
    outer = var.get()
    if outer is not None:
        yield outer
        return
    gathered: list = []
    token = var.set(gathered)
    try:
        yield gathered
    finally:
        var.reset(token)
    if gathered:
        flush(gathered)


def deferred():
    """Inside, `insert` gathers its statements in the list this yields instead of running them
    (`gathering`): the block's owner runs them with its own writes (`together`)."""
    return gathering(_deferred, together)


def insert(obj, *, ignore_conflicts: bool = False) -> None:
    """INSERT the unsaved `obj` (`ON CONFLICT DO NOTHING` with `ignore_conflicts`): now, leaving
    it as save() leaves it (unless a conflict kept it out), or, inside `deferred()`, with the
    block's statement, and then it gets no primary key. No signal is sent: for rows that nothing
    listens to."""
    statement, params = insert_statement(obj)
    if ignore_conflicts:
        statement += " ON CONFLICT DO NOTHING"
    queued = _deferred.get()
    if queued is not None:
        queued.append((statement, params))
        return
    with connection.cursor() as cursor:
        cursor.execute(f"{statement} RETURNING {connection.ops.quote_name(obj._meta.pk.column)}", params)
        row = cursor.fetchone()
    if row is not None:
        mark_saved(obj, row[0])
