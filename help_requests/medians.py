"""Medians computed in the database, never by loading the rows into Python.

PostgreSQL has `percentile_cont(0.5) WITHIN GROUP (ORDER BY ...)`; SQLite has no percentile
aggregate, so there the rows are numbered in order (ROW_NUMBER) and counted (COUNT OVER) and the
middle row, or the average of the middle two, is taken. Both give what `statistics.median` gives:
the middle value of an odd count, the mean of the two middle values of an even one, None for none.
"""

from django.db import connections
from django.db.models import FloatField, Func


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


def median(queryset, expression) -> float | None:
    """The median of `expression` over the rows of `queryset` (nulls left out), in one query."""
    values = queryset.annotate(median_value=expression).values("median_value").order_by()
    sql, params = values.query.sql_with_params()
    connection = connections[queryset.db]
    if connection.vendor == "postgresql":
        outer = (
            f'SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY "median_value") FROM ({sql}) AS median_rows'
        )
    else:
        # (total + 1) / 2 and (total + 2) / 2 in integer arithmetic: the same row for an odd
        # count, the two middle rows for an even one.
        outer = (
            "SELECT AVG(value) FROM ("
            'SELECT "median_value" AS value, ROW_NUMBER() OVER (ORDER BY "median_value") AS position, '
            "COUNT(*) OVER () AS total "
            f'FROM ({sql}) AS median_rows WHERE "median_value" IS NOT NULL'
            ") AS numbered WHERE position IN ((total + 1) / 2, (total + 2) / 2)"
        )
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        row = cursor.fetchone()
    return None if row is None or row[0] is None else float(row[0])
