"""The read of the appointments that consume a period, in plain SQL (appointments/slots.py).

It is the one query of every slot search and of every booking under its locks, where compiling
it through the ORM cost more than running it. Built from the model's metadata. Its times come
as whole minutes since the epoch (UTC), computed by the database: the slot search works in
those, and a row then needs no datetime of its own (parsing and converting two per row was most
of a four-week search on SQLite).
"""

import datetime

from django.db import connection

from appointments.models import Appointment


class Consuming:
    """One such query. Build its parts in the order their placeholders appear in it: each part
    adds its values to `params` as it is built."""

    COLUMNS = ("digipunt", "volunteer", "citizen")  # then start and end, in epoch minutes

    def __init__(self):
        self.meta, self.quote, self.params = Appointment._meta, connection.ops.quote_name, []

    def _column(self, name: str) -> tuple:
        model_field = self.meta.get_field(name)
        return model_field, self.quote(model_field.column)

    def _value(self, model_field, value) -> str:
        self.params.append(model_field.get_db_prep_value(value, connection))
        return "%s"

    def equals(self, name: str, value) -> str:
        model_field, column = self._column(name)
        return f"{column} = {self._value(model_field, value)}"

    def among(self, *pairs) -> str:
        """(name, values, name, values, ...): a row whose field is one of its values, for any pair."""
        parts = []
        for name, values in zip(pairs[::2], pairs[1::2], strict=True):
            if values:
                model_field, column = self._column(name)
                parts.append(f"{column} IN ({', '.join(self._value(model_field, v) for v in values)})")
        return " OR ".join(parts) or "1 = 0"

    def during(self, first: datetime.datetime, last: datetime.datetime) -> str:
        """Overlapping [first, last)."""
        (start, start_column), (end, end_column) = self._column("start"), self._column("end")
        return f"{start_column} < {self._value(start, last)} AND {end_column} > {self._value(end, first)}"

    def _minutes(self, name: str) -> str:
        """The time column as whole minutes since the epoch (UTC), floored like
        slots.epoch_minutes. SQLite stores UTC text that strftime reads (%% for Django's
        placeholder style)."""
        _field, column = self._column(name)
        if connection.vendor == "postgresql":
            return f"FLOOR(EXTRACT(EPOCH FROM {column}) / 60)::bigint"
        return f"CAST(strftime('%%s', {column}) AS INTEGER) / 60"

    def rows(self, wanted: str, *, exclude=None) -> list[tuple]:
        """(digipunt id, volunteer id, citizen id, start, end in epoch minutes) of the active
        appointments matching `wanted`, bar `exclude`."""
        columns = [self._column(name)[1] for name in self.COLUMNS]
        columns += [self._minutes("start"), self._minutes("end")]
        status_field, status = self._column("status")
        active = ", ".join(self._value(status_field, value) for value in Appointment.ACTIVE)
        sql = (
            f"SELECT {', '.join(columns)} "
            f"FROM {self.quote(self.meta.db_table)} WHERE ({wanted}) AND {status} IN ({active})"
        )
        if exclude is not None:
            sql += f" AND NOT {self.equals('id', exclude.pk)}"
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            return cursor.fetchall()
