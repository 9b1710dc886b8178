"""The SMS opt-out: set and lifted here only, audited each time; and it outlives the erasure of the
citizen who sent STOP (see ErasedOptOut): a new citizen row of that number starts opted out, whether
it is saved (the pre_save receiver below) or written by a statement of its own
(`forget_erased_sql`: the SMS webhook's, sms.inbound, and helpdesk.citizen_contact's).

Staff may record an opt-out (the citizen API, the admin: saved, so the audit signal logs it); only
the citizen lifts one, by texting START (`lift`). Both write with a queryset update inside the
SMS transaction, so the entry is written here.
"""

from django.db import connection
from django.db.models.signals import pre_save
from django.utils.crypto import salted_hmac

from helpdesk import citizen_contact
from helpdesk.models import Citizen
from privacy import audit
from sms.models import ErasedOptOut

STOP = "STOP"  # the citizen texted STOP (or another opt-out word)
START = "START"
CARRIER = "carrier"  # Twilio refused to send: the number opted out at the carrier


def record(citizens, *, why: str) -> int:
    """Opt out a citizen, or every citizen of a queryset; returns how many had not opted out yet
    (each of those gets its audit entry, the others are left as they are)."""
    single = isinstance(citizens, Citizen)
    rows = Citizen.objects.filter(pk=citizens.pk) if single else citizens
    count = 0
    for citizen in rows.filter(sms_opt_out=False).only("pk", "municipality_id"):
        if Citizen.objects.filter(pk=citizen.pk, sms_opt_out=False).update(sms_opt_out=True):
            audit.changed(audit.Subject.CITIZEN, citizen, {"sms_opt_out": True}, why=why)
            count += 1
    if single:
        citizens.sms_opt_out = True
    return count


def lift(citizen: Citizen) -> bool:
    """The citizen texted START: SMS again. Returns whether they had opted out."""
    changed = Citizen.objects.filter(pk=citizen.pk, sms_opt_out=True).update(sms_opt_out=False)
    citizen.sms_opt_out = False
    if changed:
        audit.changed(audit.Subject.CITIZEN, citizen, {"sms_opt_out": False}, why=START)
    return bool(changed)


def number_hash(phone) -> str:
    """Keyed with SECRET_KEY: the table alone does not tell whose numbers these are."""
    return salted_hmac("sms.optout", str(phone), algorithm="sha256").hexdigest()


def remember(citizen: Citizen) -> None:
    """Called by an erasure, before the citizen row goes."""
    if citizen.sms_opt_out:
        ErasedOptOut.objects.get_or_create(
            municipality_id=citizen.municipality_id, number_hash=number_hash(citizen.phone)
        )


def forget_erased_sql(municipality_id: int, phone, *, condition: str = "") -> tuple[str, list]:
    """The rule for a new citizen row: a number remembered as opted out starts opted out, and the
    memory goes (the flag lives on the citizen again). As one DELETE ... RETURNING, so that a
    statement that creates a citizen without save() can do it inside itself (sms.inbound, in a
    CTE; `condition`: an SQL condition of that statement's); a row returned means the new citizen
    starts opted out."""
    table = connection.ops.quote_name(ErasedOptOut._meta.db_table)
    also = f" AND {condition}" if condition else ""
    sql = f'DELETE FROM {table} WHERE "municipality_id" = %s AND "number_hash" = %s{also} RETURNING 1'
    return sql, [municipality_id, number_hash(phone)]


def forget_erased(municipality_id: int, phone) -> bool:
    """forget_erased_sql, run on its own: whether the number was remembered as opted out."""
    sql, params = forget_erased_sql(municipality_id, phone)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return bool(cursor.fetchall())


def _restore(sender, instance: Citizen, raw=False, **kwargs):
    if raw or not instance._state.adding or instance.sms_opt_out:
        return
    if forget_erased(instance.municipality_id, instance.phone):
        instance.sms_opt_out = True


def connect() -> None:
    pre_save.connect(_restore, sender=Citizen, dispatch_uid="sms-optout-restore")
    # The same rule inside the one statement that finds or makes a citizen on PostgreSQL.
    citizen_contact.new_row_flag("sms_opt_out", forget_erased_sql)
