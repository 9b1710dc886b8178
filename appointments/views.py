"""The counter: the day view and walk-ins (booking for a caller and the slip: booking_views.py).

Thin views: every change goes through booking.book, lifecycle.* or walk_ins.*.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appointments import lifecycle, walk_ins
from appointments.forms import WalkInForm
from appointments.models import Appointment, WaitlistEntry, WalkIn
from helpdesk import access, dates, phones
from helpdesk.languages import default_citizen_language
from helpdesk.models import Topic
from privacy import audit

# How often an open counter page asks for the walk-in queue again: a ticket given at another desk
# shows up within this many seconds without a reload (the issue asks for 15 to 30).
QUEUE_REFRESH_SECONDS = 20
ACTIONS = {
    "check-in": Appointment.Status.CHECKED_IN,
    "complete": Appointment.Status.COMPLETED,
    "no-show": Appointment.Status.NO_SHOW,
    "cancel": Appointment.Status.CANCELLED,
}


def _office(request):
    if not access.is_office_member(request.user):
        raise PermissionDenied


def _places(request):
    return access.digipunten_for(request.user, access.OFFICE_ROLES).filter(is_active=True).order_by("name")


def _topics(request):
    return access.scope(Topic.objects.filter(is_active=True), request.user)


def _appointments(request):
    return access.scope(Appointment.objects.all(), request.user, access.OFFICE_ROLES).filter(
        digipunt__in=_places(request)
    )


@login_required
def counter(request):
    """Today's appointments and walk-ins at one digipunt, with the actions of the day."""
    _office(request)
    places = list(_places(request))
    if not places:
        raise Http404
    chosen = next((p for p in places if str(p.pk) == request.GET.get("digipunt")), places[0])
    status = 200
    try:
        day = dates.from_query(request.GET.get("date")) or timezone.localdate()
    except ValidationError as error:
        # A day nobody can mean: say so, and show today (400: the request was not understood).
        messages.error(request, error.messages[0])
        day, status = timezone.localdate(), 400
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    appointments = (
        _appointments(request)
        .filter(digipunt=chosen, start__gte=start, start__lt=start + datetime.timedelta(days=1))
        .select_related("topic", "citizen", "volunteer__user", "help_request")
        .order_by("start")
    )
    now = timezone.now()
    appointments = [with_time_hints(appointment, now) for appointment in appointments]
    found, searched = [], request.GET.get("phone", "").strip()
    if searched:
        number = phones.parse(searched)
        if number is not None:
            found = list(
                _appointments(request)
                .filter(citizen__phone=number.as_e164, start__gte=timezone.now() - datetime.timedelta(days=1))
                .select_related("topic", "digipunt")
                .order_by("start")
            )
            audit.viewed(
                audit.Subject.APPOINTMENT,
                detail="counter search by phone",
                municipality_id=chosen.municipality_id,
            )
        else:
            messages.error(request, _("“%(phone)s” is not a valid phone number.") % {"phone": searched})
    offers = access.scope(
        WaitlistEntry.objects.filter(status=WaitlistEntry.Status.OFFERED, offered_digipunt=chosen),
        request.user,
        access.OFFICE_ROLES,
    ).select_related("citizen", "topic")
    return render(
        request,
        "appointments/counter.html",
        {
            "places": places,
            "chosen": chosen,
            "day": day,
            "appointments": appointments,
            **queue_context(request, chosen, day=day),
            "searched": searched,
            "found": found,
            "offers": offers,
        },
        status=status,
    )


def with_time_hints(appointment: Appointment, now) -> Appointment:
    """Mark when check-in and "did not come" open, while they are not allowed yet (the rule is
    lifecycle's): the row shows those buttons disabled with "from 10:30" instead of an error after
    the click."""
    for to, name in (
        (Appointment.Status.CHECKED_IN, "check_in_opens"),
        (Appointment.Status.NO_SHOW, "no_show_opens"),
    ):
        early = lifecycle.too_early(appointment, to, now)
        setattr(appointment, name, lifecycle.allowed_from(appointment, to) if early else None)
    return appointment


def queue_context(request, place, *, day=None, message: str = "", error: str = "", undo_ticket=None) -> dict:
    """What the walk-in queue shows: the day's tickets at this digipunt, the form for a new one.
    Only today's queue is live (refreshed, with actions); another day's is history."""
    today = timezone.localdate()
    day = day or today
    tickets = walk_ins.queue(place, day)
    language = default_citizen_language(place.municipality)
    return {
        "chosen": place,
        "live": day == today,
        "tickets": tickets,
        "active": [t for t in tickets if t.status in (WalkIn.Status.WAITING, WalkIn.Status.CALLED)],
        "finished": [t for t in tickets if t.status in (WalkIn.Status.SERVED, WalkIn.Status.LEFT)],
        "undo_ticket": undo_ticket,
        "waiting": sum(1 for t in tickets if t.status == WalkIn.Status.WAITING),
        "waits": walk_ins.estimated_waits(tickets, place.desks),
        "walk_in_form": WalkInForm(
            topics=_topics(request), municipality=place.municipality, initial={"language": language}
        ),
        "refresh_seconds": QUEUE_REFRESH_SECONDS,
        "queue_message": message,
        "queue_error": error,
    }


def _back_to_counter(appointment_or_ticket) -> str:
    return f"{reverse('appointments:counter')}?digipunt={appointment_or_ticket.digipunt_id}"


@login_required
@require_POST
def appointment_action(request, pk, action):
    _office(request)
    if action not in ACTIONS:
        raise Http404
    appointment = get_object_or_404(_appointments(request), pk=pk)
    try:
        appointment = lifecycle.change_status(
            appointment,
            ACTIONS[action],
            by=request.user,
            reason=request.POST.get("reason", ""),
            channel="counter",
        )
    except lifecycle.InvalidTransition as error:
        if request.htmx:
            return render(
                request,
                "appointments/_appointment_row.html",
                {"appointment": with_time_hints(appointment, timezone.now()), "error": error.message},
            )
        messages.error(request, error.message)
    if request.htmx:
        return render(
            request,
            "appointments/_appointment_row.html",
            {"appointment": with_time_hints(appointment, timezone.now())},
        )
    return redirect(_back_to_counter(appointment))
