"""A citizen by number: the one this municipality knows, or a new one (a first contact).

This is `get_or_create` without its savepoint: a known number costs one read; a new one its
INSERT ... ON CONFLICT DO NOTHING, and a concurrent first contact from the same number (the other
side of the unique constraint) reads the row that won instead of failing. A new row gets what
save() gives it: pre_save and post_save are sent (the remembered opt-out of an erased number,
sms/optout.py; the audit entry, privacy/audit.py).
"""

from django.db import connection
from django.db.models.signals import post_save, pre_save

from helpdesk.models import Citizen
from helpdesk.sql import insert_statement, mark_saved


def find_or_make(municipality_id: int, phone, *, name: str = "", **defaults) -> tuple[Citizen, bool]:
    """(citizen, created) for this number, E.164. `name` fills a known citizen's empty name too;
    `defaults` (language, simulated) are for a new row only."""
    same = Citizen.objects.filter(municipality_id=municipality_id, phone=phone)
    found = same.first()
    if found is None:
        found = _make(Citizen(municipality_id=municipality_id, phone=phone, name=name, **defaults))
        if found is not None:
            return found, True
        found = same.get()  # the same number's first contact, at the same moment, won
    if name and not found.name:
        found.name = name
        found.save(update_fields=["name"])
    return found, False


def _make(citizen: Citizen) -> Citizen | None:
    using = connection.alias
    pre_save.send(sender=Citizen, instance=citizen, raw=False, using=using, update_fields=None)
    insert, params = insert_statement(citizen)
    quote = connection.ops.quote_name
    conflict = (
        f"ON CONFLICT ({quote('municipality_id')}, {quote('phone')}) DO NOTHING RETURNING {quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"{insert} {conflict}", params)
        row = cursor.fetchone()
    if row is None:
        return None
    mark_saved(citizen, row[0])
    post_save.send(sender=Citizen, instance=citizen, created=True, update_fields=None, raw=False, using=using)
    return citizen
