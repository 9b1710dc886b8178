"""Changing a volunteer's weekly availability and digipunten, the one way views and API do it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from helpdesk import schedule_version
from volunteers.models import Availability, Volunteer, local_today


@transaction.atomic
def add_block(block: Availability) -> Availability:
    """Validate (opening hours, overlap) and save a new block; a concurrent overlap is refused too."""
    block.valid_from = local_today()
    block.full_clean()
    try:
        with transaction.atomic():
            block.save()
    except IntegrityError as error:
        # PostgreSQL's exclusion constraint caught an overlap that clean() could not yet see.
        raise ValidationError(_("This overlaps with another block of yours on that day.")) from error
    return block


def remove_block(block: Availability, today: datetime.date | None = None) -> None:
    """End a block that already counted (history stays true); delete one that never did."""
    today = today or local_today()
    if block.valid_from < today:
        Availability.objects.filter(pk=block.pk).update(valid_until=today - datetime.timedelta(days=1))
        schedule_version.bump()  # an update sends no signal: the cached weeks must still forget it
    else:
        block.delete()


@transaction.atomic
def set_digipunten(volunteer: Volunteer, chosen, editable) -> None:
    """Set the digipunten among `editable` to `chosen`, keeping the others as they were.

    Blocks at a digipunt the volunteer no longer serves end today.
    """
    editable_ids = {d.pk for d in editable}
    kept = [d for d in volunteer.digipunten.all() if d.pk not in editable_ids]
    volunteer.digipunten.set([*kept, *chosen])
    served = {d.pk for d in volunteer.digipunten.all()}
    for block in volunteer.availability.current().exclude(digipunt_id__in=served):
        remove_block(block)
