"""Statements built from a model instance, for the hot paths that fold several writes into one
round trip (an INSERT inside a WITH, `INSERT ... SELECT ... WHERE`, `ON CONFLICT DO NOTHING`),
which the ORM cannot say. Values are prepared as `save()` prepares them, so the row is the one
`save()` would write; no signal is sent (the caller says what it sends instead)."""

from django.db import connection


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


def insert_with(obj, writes: list[tuple[str, list]]) -> None:
    """INSERT the unsaved `obj` together with `writes` (other INSERTs): on PostgreSQL in one
    statement, the writes as data-modifying WITH parts; elsewhere one by one. `obj` is left as
    save() leaves it; no signal is sent."""
    insert, params = insert_statement(obj)
    returning = f"RETURNING {connection.ops.quote_name(obj._meta.pk.column)}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and writes:
            parts = ", ".join(f"w{i} AS ({sql})" for i, (sql, _params) in enumerate(writes))
            cursor.execute(
                f"WITH {parts} {insert} {returning}", [*(p for _sql, ps in writes for p in ps), *params]
            )
        else:
            for sql, write_params in writes:
                cursor.execute(sql, write_params)
            cursor.execute(f"{insert} {returning}", params)
        mark_saved(obj, cursor.fetchone()[0])
