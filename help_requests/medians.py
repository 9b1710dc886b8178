"""Medians computed in the database, never by loading the rows into Python; and the statement
helpers the statistics use to ask for several figures in one round trip.

PostgreSQL has `percentile_cont(0.5) WITHIN GROUP (ORDER BY ...)`; SQLite has no percentile
aggregate, so there the rows are numbered in order (ROW_NUMBER) and counted (COUNT OVER) and the
middle row, or the average of the middle two, is taken. Both give what `statistics.median` gives:
the middle value of an odd count, the mean of the two middle values of an even one, None for none.
"""

from django.db import connections
from django.db.models import FloatField, Func, Value


class SecondsBetween(Func):
    """Seconds from `earlier` to `later` (two timestamp columns), as a float, in SQL."""

    arity = 2
    output_field = FloatField()

    def _operands(self, compiler):
        later, later_params = compiler.compile(self.source_expressions[0])
        earlier, earlier_params = compiler.compile(self.source_expressions[1])
        return later, earlier, (*later_params, *earlier_params)

    def as_sql(self, compiler, connection, **extra):
        # julianday() reads the ISO text Django stores on SQLite; days times 86,400.
        later, earlier, params = self._operands(compiler)
        return f"((julianday({later}) - julianday({earlier})) * 86400.0)", params

    def as_postgresql(self, compiler, connection, **extra):
        later, earlier, params = self._operands(compiler)
        return f"EXTRACT(EPOCH FROM ({later} - {earlier}))::double precision", params


def median_sql(queryset, expression) -> tuple[str, tuple]:
    """One statement giving the median of `expression` over `queryset`'s rows (nulls left out),
    as SQL and parameters: run alone by `median`, or as one value of `one_row`."""
    values = queryset.annotate(median_value=expression).values("median_value").order_by()
    sql, params = values.query.sql_with_params()
    if connections[queryset.db].vendor == "postgresql":
        return (
            f'SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY "median_value") FROM ({sql}) AS median_rows',
            params,
        )
    # (total + 1) / 2 and (total + 2) / 2 in integer arithmetic: the same row for an odd count,
    # the two middle rows for an even one.
    return (
        "SELECT AVG(value) FROM ("
        'SELECT "median_value" AS value, ROW_NUMBER() OVER (ORDER BY "median_value") AS position, '
        "COUNT(*) OVER () AS total "
        f'FROM ({sql}) AS median_rows WHERE "median_value" IS NOT NULL'
        ") AS numbered WHERE position IN ((total + 1) / 2, (total + 2) / 2)",
        params,
    )


def median(queryset, expression) -> float | None:
    """The median of `expression` over the rows of `queryset` (nulls left out), in one query."""
    value = one_row(queryset.db, median=median_sql(queryset, expression))["median"]
    return None if value is None else float(value)


def count_sql(queryset) -> tuple[str, tuple]:
    """`queryset.count()` as SQL and parameters, for `one_row`."""
    sql, params = queryset.annotate(counted=Value(1)).values("counted").order_by().query.sql_with_params()
    return f"SELECT COUNT(*) FROM ({sql}) AS counted_rows", params


def rows(queryset, named=None) -> list[tuple]:
    """A values() queryset's rows as the database driver gives them, without the ORM's per-row
    conversions (for integer and text columns; a date stays ISO text on SQLite).

    `named` = (key, model, columns): each row also gets those columns of the `model` row whose id
    is the row's `key`, joined after the grouping (a name per group, not per row counted)."""
    sql, params = queryset.query.sql_with_params()
    connection = connections[queryset.db]
    if named is not None:
        key, model, columns = named
        quote = connection.ops.quote_name
        joined = ", ".join(f"named.{quote(column)}" for column in columns)
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        sql = (
            f"SELECT grouped.*, {joined} FROM ({sql}) AS grouped "
            f"JOIN {table} AS named ON named.{pk} = grouped.{quote(key)}"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def counts_by(using: str, **grouped) -> dict:
    """Several `count_by`s (name → (queryset, field)) in one statement, UNION ALL: a dict of
    {value: count} per name."""
    parts, params = [], []
    quote = connections[using].ops.quote_name
    for name, (queryset, field) in grouped.items():
        sql, part_params = queryset.values(field).order_by().query.sql_with_params()
        column = quote(field)
        parts.append(f"SELECT %s, {column}, COUNT(*) FROM ({sql}) AS {quote(name)} GROUP BY {column}")
        params.extend([name, *part_params])
    counts = {name: {} for name in grouped}
    with connections[using].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for name, value, count in cursor.fetchall():
            counts[name][value] = count
    return counts


def one_row(using: str, **statements: tuple[str, tuple]) -> dict:
    """Several single-value statements (name → SQL and parameters) in one round trip: each is a
    scalar subquery of one SELECT, planned on its own as if it ran alone."""
    names = list(statements)
    sql = "SELECT " + ", ".join(f"({statements[name][0]})" for name in names)
    params = [param for name in names for param in statements[name][1]]
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return dict(zip(names, cursor.fetchone(), strict=True))
