"""What a booking writes, in two round trips on PostgreSQL.

1. `insert`: the appointment row, and in the same statement the volunteer the e-mail goes to
   (their languages, account and municipality), read as the row goes in.
2. everything else, as the data-modifying WITH parts of one statement (helpdesk/sql.together,
   called by the booking): its event, its audit entry, the citizen's last contact, the waitlist
   entries it serves, and what the booking's listeners queued meanwhile inside
   helpdesk.sql.deferred() (the SMS outbox rows, the volunteer's e-mail).

Through the ORM that was eight statements, each a round trip and a query compiled in Python, on
the path every channel books through. Here they are plain SQL built from the models' metadata (as
sms/inbound.py stores a message); on SQLite (no writes in WITH) they run one by one.
No signal is lost: the appointment's post_save is sent as save() sends it (its audit entry), the
two updates were queryset updates before (no signals either), and nothing listens to the saves
of an event, an audit entry or an outbox row. All is written in the booking's transaction, under
its locks, like before.
"""

from django.contrib.auth import get_user_model
from django.db import connection

from helpdesk.models import Municipality
from helpdesk.sql import announce_created, insert_statement, mark_saved
from volunteers.models import Volunteer


def update(model, values: dict, **where) -> tuple[str, list]:
    """UPDATE of `model`'s rows: `values` and `where` by field name; a list or tuple in `where`
    is an IN."""
    meta, quote = model._meta, connection.ops.quote_name
    params, assignments, conditions = [], [], []
    for name, value in values.items():
        field = meta.get_field(name)
        assignments.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    for name, value in where.items():
        field = meta.pk if name == "pk" else meta.get_field(name)
        if isinstance(value, list | tuple):
            conditions.append(f"{quote(field.column)} IN ({', '.join(['%s'] * len(value))})")
            params.extend(field.get_db_prep_value(item, connection) for item in value)
        else:
            conditions.append(f"{quote(field.column)} = %s")
            params.append(field.get_db_prep_value(value, connection))
    sql = f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} WHERE {' AND '.join(conditions)}"
    return sql, params


def _volunteer_query(volunteer_id: int) -> tuple[str, list]:
    """The volunteer's row (what the e-mail needs of it: languages) with their account's names
    and address and their municipality's language."""
    quote = connection.ops.quote_name
    users, municipalities = get_user_model()._meta, Municipality._meta

    def volunteer(name):
        return "v." + quote(Volunteer._meta.get_field(name).column)

    columns = [
        *(volunteer(name) for name in VOLUNTEER_FIELDS),
        *(f"u.{quote(users.get_field(name).column)}" for name in USER_FIELDS),
        *(f"m.{quote(municipalities.get_field(name).column)}" for name in MUNICIPALITY_FIELDS),
    ]
    # Named apart (three tables have an "id"), so that the read can be a subquery of `insert`'s.
    named = ", ".join(f"{column} AS c{i}" for i, column in enumerate(columns))
    sql = (
        f"SELECT {named} FROM {quote(Volunteer._meta.db_table)} v "
        f"JOIN {quote(users.db_table)} u ON u.{quote(users.pk.column)} = {volunteer('user')} "
        f"JOIN {quote(municipalities.db_table)} m "
        f"ON m.{quote(municipalities.pk.column)} = {volunteer('municipality')} "
        f"WHERE {volunteer('id')} = %s"
    )
    return sql, [volunteer_id]


VOLUNTEER_FIELDS = ("id", "user", "municipality", "languages")
USER_FIELDS = ("id", "username", "first_name", "last_name", "email")  # str(volunteer) too
MUNICIPALITY_FIELDS = ("id", "default_language")


def insert(appointment, *, volunteer_id: int | None = None) -> Volunteer | None:
    """INSERT the unsaved appointment (left as save() leaves it, its post_save sent); with
    `volunteer_id`, also read that volunteer (with their account and municipality, partly loaded:
    any other field of those is read if something asks for it). An IntegrityError (a booking code
    in use, the exclusion constraint) comes from here, before anything else is written."""
    statement, params = insert_statement(appointment)
    statement += f" RETURNING {connection.ops.quote_name(appointment._meta.pk.column)}"
    row = None
    with connection.cursor() as cursor:
        if volunteer_id is not None and connection.vendor == "postgresql":
            read, read_params = _volunteer_query(volunteer_id)
            cursor.execute(
                f"WITH made AS ({statement}) "
                f"SELECT made.*, volunteer.* FROM made LEFT JOIN ({read}) volunteer ON TRUE",
                [*params, *read_params],
            )
            pk, *row = cursor.fetchone()
        else:
            cursor.execute(statement, params)
            pk = cursor.fetchone()[0]
            if volunteer_id is not None:
                cursor.execute(*_volunteer_query(volunteer_id))
                row = cursor.fetchone()
    mark_saved(appointment, pk)
    announce_created(appointment)
    if not row or row[0] is None:
        return None
    return _volunteer(row)


def _volunteer(row) -> Volunteer:
    # Read with a plain cursor (cheaper than a raw queryset), so converted here as the ORM would.
    users = len(VOLUNTEER_FIELDS) + len(USER_FIELDS)
    volunteer = _partly(Volunteer, VOLUNTEER_FIELDS, row[: len(VOLUNTEER_FIELDS)])
    user = _partly(get_user_model(), USER_FIELDS, row[len(VOLUNTEER_FIELDS) : users])
    municipality = _partly(Municipality, MUNICIPALITY_FIELDS, row[users:])
    volunteer.user, volunteer.municipality = user, municipality
    return volunteer


def _partly(model, names, row):
    """An instance with only these fields loaded, from their raw values; the others are
    deferred: read when something asks for them."""
    raw = dict(zip(names, row, strict=True))
    fields = [field for field in model._meta.concrete_fields if field.name in raw]  # from_db's order
    values = []
    for field in fields:
        column, value = field.get_col(model._meta.db_table), raw[field.name]
        for convert in (*connection.ops.get_db_converters(column), *column.get_db_converters(connection)):
            value = convert(value, column, connection)
        values.append(value)
    return model.from_db(connection.alias, [field.attname for field in fields], values)
