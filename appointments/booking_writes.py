"""The rows a booking writes after its appointment, in one round trip on PostgreSQL.

Once the appointment row is in, a booking adds its event, its audit entry, the citizen's last
contact and the waitlist entries it serves, and reads the volunteer the e-mail goes to. Through
the ORM that is five statements, each a round trip and a query compiled in Python, on the path
every channel books through. Here they are plain SQL built from the models' metadata (as
sms/inbound.py stores a message): on PostgreSQL the writes are the data-modifying WITH parts of
one statement whose main part is the read, on SQLite (no writes in WITH) they run one by one.
None of these rows has a signal receiver, so nothing is skipped by not saving them as models.
They are written in the booking's transaction, under its locks, like before.
"""

from django.contrib.auth import get_user_model
from django.db import connection

from helpdesk.models import Municipality
from volunteers.models import Volunteer


def insert(obj) -> tuple[str, list]:
    """INSERT of one unsaved model instance (its defaults and auto_now_add filled as save() would)."""
    fields = [field for field in obj._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    values = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    sql = (
        f"INSERT INTO {quote(obj._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    return sql, values


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
    """The volunteer with what the e-mail needs: their account's address and first name, their
    municipality's language."""
    quote = connection.ops.quote_name
    users, municipalities = get_user_model()._meta, Municipality._meta
    volunteer = {
        name: quote(Volunteer._meta.get_field(name).column) for name in ("id", "user", "municipality")
    }
    sql = (
        f"SELECT v.*, u.{quote(users.get_field('email').column)} AS user_email, "
        f"u.{quote(users.get_field('first_name').column)} AS user_first_name, "
        f"m.{quote(municipalities.get_field('default_language').column)} AS municipality_language "
        f"FROM {quote(Volunteer._meta.db_table)} v "
        f"JOIN {quote(users.db_table)} u ON u.{quote(users.pk.column)} = v.{volunteer['user']} "
        f"JOIN {quote(municipalities.db_table)} m "
        f"ON m.{quote(municipalities.pk.column)} = v.{volunteer['municipality']} "
        f"WHERE v.{volunteer['id']} = %s"
    )
    return sql, [volunteer_id]


def write(statements: list[tuple[str, list]], *, volunteer_id: int | None = None) -> Volunteer | None:
    """Run these writes; with `volunteer_id`, also read that volunteer (with their account and
    municipality, partly loaded: any other field of those is read if something asks for it)."""
    read = _volunteer_query(volunteer_id) if volunteer_id is not None else None
    if connection.vendor == "postgresql" and len(statements) + (read is not None) > 1:
        # PostgreSQL runs every data-modifying WITH part to completion, whether the main part
        # reads it or not; they touch different tables, so the order they run in does not matter.
        writes, main = (statements, read) if read is not None else (statements[:-1], statements[-1])
        combined = (
            "WITH "
            + ", ".join(f"w{i} AS ({sql})" for i, (sql, _params) in enumerate(writes))
            + " "
            + main[0],
            [*(param for _sql, params in writes for param in params), *main[1]],
        )
        statements, read = ([], combined) if read is not None else ([combined], None)
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
    if read is None:
        return None
    volunteer = next(iter(Volunteer.objects.raw(*read)), None)
    if volunteer is None:
        return None
    user = get_user_model()
    volunteer.user = _partly(
        user,
        {
            user._meta.pk.attname: volunteer.user_id,
            "email": volunteer.user_email,
            "first_name": volunteer.user_first_name,
        },
    )
    volunteer.municipality = _partly(
        Municipality, {"id": volunteer.municipality_id, "default_language": volunteer.municipality_language}
    )
    return volunteer


def _partly(model, values: dict):
    """An instance with only these fields loaded (the others deferred: read when asked for).
    from_db takes the values in the order of the model's fields."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])
