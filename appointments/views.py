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
from helpdesk.languages import current_language
from helpdesk.models import Topic
from helpdesk.parsing import int_or_none
from privacy import audit

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
    tickets = walk_ins.queue(chosen, day)
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
            "tickets": tickets,
            "waits": walk_ins.estimated_waits(tickets, chosen.desks),
            "walk_in_form": WalkInForm(topics=_topics(request), initial={"language": current_language()}),
            "searched": searched,
            "found": found,
            "offers": offers,
        },
        status=status,
    )


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
                {"appointment": appointment, "error": error.message},
            )
        messages.error(request, error.message)
    if request.htmx:
        return render(request, "appointments/_appointment_row.html", {"appointment": appointment})
    return redirect(_back_to_counter(appointment))


@login_required
@require_POST
def walk_in_add(request):
    _office(request)
    place = get_object_or_404(_places(request), pk=int_or_none(request.POST.get("digipunt")))
    form = WalkInForm(request.POST, topics=_topics(request))
    if form.is_valid():
        ticket = walk_ins.register(
            digipunt=place,
            topic=form.cleaned_data["topic"],
            language=form.cleaned_data["language"],
            name=form.cleaned_data["name"],
        )
        messages.success(
            request, _("Ticket %(number)s for %(topic)s.") % {"number": ticket.number, "topic": ticket.topic}
        )
    else:
        messages.error(request, _("Choose a topic and a language for the walk-in."))
    return redirect(f"{reverse('appointments:counter')}?digipunt={place.pk}")


@login_required
@require_POST
def walk_in_action(request, pk, action):
    _office(request)
    ticket = get_object_or_404(
        access.scope(WalkIn.objects.all(), request.user, access.OFFICE_ROLES).filter(
            digipunt__in=_places(request)
        ),
        pk=pk,
    )
    if action == "call":
        walk_ins.call(ticket, by=request.user)
    elif action in ("served", "left"):
        walk_ins.finish(ticket, served=action == "served")
    else:
        raise Http404
    return redirect(_back_to_counter(ticket))
