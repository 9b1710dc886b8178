"""The one way a volunteer hears that their schedule changed (e-mail now; SMS can join here)."""

import datetime

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from helpdesk import mail
from helpdesk.languages import Language
from volunteers.models import Volunteer

ASSIGNED, MOVED, CANCELLED = "assigned", "moved", "cancelled"


def preferred_language(volunteer: Volunteer) -> str:
    """The first interface language the volunteer speaks, else their municipality's."""
    for code in volunteer.languages:
        if code in Language.values:
            return code
    return volunteer.municipality.default_language


def _when(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'l d/m/Y')} {formats.time_format(local, 'H:i')}"


def notify_volunteer(
    volunteer: Volunteer,
    change: str,
    *,
    start: datetime.datetime,
    digipunt,
    topic,
    previous_start: datetime.datetime | None = None,
    note: str = "",
) -> None:
    """Tell the volunteer an appointment was assigned, moved or cancelled: an e-mail in the outbox,
    sent once the change commits (helpdesk/mail.py).

    Only what they need: when, where, the topic and the booking note ("speaks French, prefers
    Thursdays", so they can prepare); never the citizen's contact details.
    """
    if change not in {ASSIGNED, MOVED, CANCELLED} or not volunteer.user.email:
        return
    language = preferred_language(volunteer)
    with translation.override(language):
        subjects = {
            ASSIGNED: _("New appointment on %(when)s"),
            MOVED: _("Appointment moved to %(when)s"),
            CANCELLED: _("Appointment on %(when)s cancelled"),
        }
        subject = subjects[change] % {"when": _when(start)}
        body = render_to_string(
            "volunteers/email/schedule_change.txt",
            {
                "volunteer": volunteer,
                "change": change,
                "when": _when(start),
                "previous": _when(previous_start) if previous_start else "",
                "digipunt": digipunt,
                "topic_name": topic.name_in(language),
                "note": note,
            },
        )
    mail.queue(municipality_id=volunteer.municipality_id, to=volunteer.user.email, subject=subject, body=body)
