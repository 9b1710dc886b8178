"""A citizen by number: the one this municipality knows, or a new one (a first contact).

This is `get_or_create` without its savepoint, and on PostgreSQL in one statement whether the
number is known or new: the look-up, the rules of apps above the core for a new row's flags
(`new_row_flag`: the remembered opt-out of an erased number, sms/optout.py) and the INSERT ... ON
CONFLICT DO NOTHING. A concurrent first contact from the same number (the other side of the
unique constraint) makes the statement return nothing; it is asked again and then finds the row
that won. A new row gets what save() gives it: on SQLite pre_save is sent (the remembered
opt-out, as a receiver), and post_save everywhere (the audit entry, privacy/audit.py).
"""

from collections.abc import Callable

from django.db import connection
from django.db.models.signals import pre_save

from helpdesk import locks
from helpdesk.models import Citizen
from helpdesk.sql import announce_created, insert_statement, mark_saved

# The one statement, asked again when another transaction's first contact won the INSERT.
ATTEMPTS = 3
# field -> rule(municipality_id, phone, *, condition) -> (SQL returning a row when the new row's
# boolean field starts TRUE, its params); registered by apps above the core at ready().
_FLAGS: dict[str, Callable[..., tuple[str, list]]] = {}


def new_row_flag(field: str, rule: Callable[..., tuple[str, list]]) -> None:
    """A boolean field of a new citizen row that starts TRUE when `rule`'s statement (a DELETE
    ... RETURNING, say) returns a row; `condition`, an SQL condition of the caller's statement,
    is to be ANDed into its WHERE. The same rule as the app's pre_save receiver, for statements
    that create a citizen without save()."""
    _FLAGS[field] = rule


def find_or_make(municipality_id: int, phone, *, name: str = "", **defaults) -> tuple[Citizen, bool]:
    """(citizen, created) for this number, E.164. `name` fills a known citizen's empty name too;
    `defaults` (language, simulated) are for a new row only."""
    new = Citizen(municipality_id=municipality_id, phone=phone, name=name, **defaults)
    if connection.vendor == "postgresql":
        found, created = _in_one_statement(new)
    else:
        found, created = _step_by_step(new)
    if created:
        announce_created(found)
        return found, True
    if name and not found.name:
        found.name = name
        found.save(update_fields=["name"])
    return found, False


def _in_one_statement(new: Citizen) -> tuple[Citizen, bool]:
    quote = connection.ops.quote_name
    table = quote(Citizen._meta.db_table)
    phone = Citizen._meta.get_field("phone").get_db_prep_save(new.phone, connection)
    key = [new.municipality_id, phone]
    parts, params, flags = [], [], {}
    for i, (field, rule) in enumerate(_FLAGS.items()):
        if getattr(new, field):
            continue  # starts TRUE anyway; the rule's memory is left as a save() leaves it
        sql, rule_params = rule(new.municipality_id, new.phone, condition="NOT EXISTS (SELECT 1 FROM found)")
        parts.append(f"flag{i} AS ({sql})")
        params.extend(rule_params)
        flags[field] = f"EXISTS (SELECT 1 FROM flag{i})"
    made, made_params = insert_statement(new, select=True, sql_values=flags)
    where = '"municipality_id" = %s AND "phone" = %s'
    sql = (
        f"WITH found AS (SELECT * FROM {table} WHERE {where}), {''.join(p + ', ' for p in parts)}"
        f"made AS ({made} WHERE NOT EXISTS (SELECT 1 FROM found) "
        f'ON CONFLICT ("municipality_id", "phone") DO NOTHING RETURNING *) '
        "SELECT *, false AS inserted FROM found UNION ALL SELECT *, true AS inserted FROM made"
    )
    for _attempt in range(ATTEMPTS):
        rows = list(Citizen.objects.raw(sql, [*key, *params, *made_params]))
        if rows:
            citizen = rows[0]
            return citizen, bool(citizen.inserted)
    raise locks.LockTimeout("The citizen row of this number changed under every attempt.")


def _step_by_step(new: Citizen) -> tuple[Citizen, bool]:
    """SQLite serialises write transactions: the look-up, then the INSERT with its pre_save."""
    same = Citizen.objects.filter(municipality_id=new.municipality_id, phone=new.phone)
    found = same.first()
    if found is not None:
        return found, False
    if _make(new):
        return new, True
    return same.get(), False  # the same number's first contact, at the same moment, won


def _make(citizen: Citizen) -> bool:
    pre_save.send(sender=Citizen, instance=citizen, raw=False, using=connection.alias, update_fields=None)
    insert, params = insert_statement(citizen)
    quote = connection.ops.quote_name
    conflict = (
        f"ON CONFLICT ({quote('municipality_id')}, {quote('phone')}) DO NOTHING RETURNING {quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"{insert} {conflict}", params)
        row = cursor.fetchone()
    if row is None:
        return False
    mark_saved(citizen, row[0])
    return True
