"""The volunteer's calendar feed (iCalendar, RFC 5545) for their own calendar app.

Every event has a stable UID, a SEQUENCE that rises with each change and DTSTAMP/LAST-MODIFIED
from the record, so clients update events in place instead of duplicating them.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from helpdesk.ical import vtimezone
from helpdesk.languages import SPOKEN_LANGUAGES
from helpdesk.localtime import local_zone
from volunteers.availability import shifts
from volunteers.models import Volunteer
from volunteers.notify import preferred_language

PAST_DAYS = 30
DEFAULT_HORIZON_DAYS = 28
REFRESH = datetime.timedelta(hours=1)  # also X-PUBLISHED-TTL:PT1H below


def feed_window(volunteer: Volunteer, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    horizon = volunteer.digipunten.aggregate(days=Max("booking_horizon_days"))["days"] or DEFAULT_HORIZON_DAYS
    return today - datetime.timedelta(days=PAST_DAYS), today + datetime.timedelta(days=horizon)


def _uid(kind: str, *parts) -> str:
    host = urlsplit(settings.PUBLIC_BASE_URL).hostname or "digipunt-helpdesk"
    return f"{kind}-{'-'.join(str(p) for p in parts)}@{host}"


def appointments_between(volunteer: Volunteer, first: datetime.date, last: datetime.date):
    """The volunteer's appointments in the window, cancelled ones included (so apps remove them)."""
    from appointments.models import Appointment

    zone = local_zone()
    return (
        Appointment.objects.filter(
            volunteer=volunteer,
            start__gte=datetime.datetime.combine(first, datetime.time.min, tzinfo=zone),
            start__lt=datetime.datetime.combine(
                last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
            ),
        )
        .select_related("digipunt", "topic", "citizen", "help_request")
        .order_by("start")
    )


def appointment_event(appointment, language: str) -> Event:
    """One appointment; the citizen appears by first name only (no phone, no surname)."""
    topic = appointment.topic.name_in(language)
    first_name = appointment.citizen.first_name if appointment.citizen else ""
    summary = (
        _("Appointment: %(topic)s with %(name)s") % {"topic": topic, "name": first_name}
        if first_name
        else _("Appointment: %(topic)s") % {"topic": topic}
    )
    return Event.new(
        uid=_uid("appointment", appointment.pk),
        summary=summary,
        description=_("Language: %(language)s. Booking code %(code)s.")
        % {
            "language": SPOKEN_LANGUAGES.get(appointment.language, appointment.language),
            "code": appointment.code,
        },
        location=f"{appointment.digipunt.name}, {appointment.digipunt.address}",
        start=appointment.start.astimezone(local_zone()),
        end=appointment.end.astimezone(local_zone()),
        stamp=appointment.updated_at,
        last_modified=appointment.updated_at,
        sequence=appointment.sequence,
        status="CANCELLED" if appointment.status == appointment.Status.CANCELLED else "CONFIRMED",
        transparency="OPAQUE",
    )


def build_calendar(volunteer: Volunteer, now: datetime.datetime | None = None) -> bytes:
    now = now or timezone.now()
    today = timezone.localdate(now)
    first, last = feed_window(volunteer, today)
    language = preferred_language(volunteer)
    with translation.override(language):
        calendar = Calendar.new(
            name=_("Digipunt: %(name)s") % {"name": volunteer.first_name or volunteer.user.get_username()},
            method="PUBLISH",
            prodid="-//Digipunt Helpdesk//Volunteer schedule//NL",
            refresh_interval=REFRESH,
            uid=_uid("calendar", volunteer.pk),
        )
        calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
        calendar.add("X-WR-TIMEZONE", settings.TIME_ZONE)
        calendar.add("X-PUBLISHED-TTL", "PT1H")
        for shift in shifts([volunteer.pk], first, last, active_only=False):
            block = shift.availability
            # The UID names the block and the exact times: when hours change (new opening hours, a
            # shorter block) the old event disappears and a new one appears, so nothing in a
            # shift's identity ever changes and SEQUENCE can stay 0.
            event = Event.new(
                uid=_uid("shift", block.pk, f"{shift.start:%Y%m%dT%H%M}", f"{shift.end:%H%M}"),
                summary=_("Digibuddy shift at %(place)s") % {"place": shift.digipunt.display_short_name},
                description=_("On duty to help citizens at the digipunt."),
                location=f"{shift.digipunt.name}, {shift.digipunt.address}",
                start=shift.start,
                end=shift.end,
                stamp=block.updated_at,
                last_modified=block.updated_at,
                sequence=0,
                status="CONFIRMED",
                transparency="TRANSPARENT",
            )
            calendar.add_component(event)
        for appointment in appointments_between(volunteer, first, last):
            calendar.add_component(appointment_event(appointment, language))
    # VTIMEZONE first: parsers resolve TZID references against components they have already read.
    calendar.subcomponents.insert(0, vtimezone(settings.TIME_ZONE, first, last))
    return calendar.to_ical()
