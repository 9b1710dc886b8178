"""The counter: the day view, booking for a caller in three screens, the slip, walk-ins.

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
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appointments import lifecycle, waitlist, walk_ins
from appointments.booking import BookingError, SlotTaken, book
from appointments.forms import CallerForm, NeedForm, WalkInForm
from appointments.models import Appointment, Channel, WaitlistEntry, WalkIn
from appointments.slots import free_slots
from helpdesk import access, dates, phones
from helpdesk.languages import SPOKEN_LANGUAGES, current_language, default_citizen_language
from helpdesk.models import Citizen, Municipality, Topic
from helpdesk.parsing import int_or_none
from privacy import audit

SLOTS_OFFERED = 6
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


# Booking for a caller: phone → need → slot ---------------------------------------------------


@login_required
def book_caller(request):
    """Screen 1: who is calling."""
    _office(request)
    municipalities = (
        access.scope(Municipality.objects.all(), request.user, access.OFFICE_ROLES)
        .filter(digipunten__in=_places(request))
        .distinct()
    )
    form = CallerForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        citizen, created = Citizen.objects.get_or_create(
            municipality=form.cleaned_data["municipality"],
            phone=form.cleaned_data["phone"].as_e164,
            defaults={"name": form.cleaned_data["name"], "language": current_language()},
        )
        if not created and form.cleaned_data["name"] and not citizen.name:
            citizen.name = form.cleaned_data["name"]
            citizen.save(update_fields=["name"])
        return redirect("appointments:book-need", citizen_pk=citizen.pk)
    return render(request, "appointments/book_caller.html", {"form": form, "step": 1})


def _citizen(request, pk) -> Citizen:
    return get_object_or_404(access.scope(Citizen.objects.all(), request.user, access.OFFICE_ROLES), pk=pk)


@login_required
@audit.audited_view(audit.Subject.CITIZEN, lookup="citizen_pk")
def book_need(request, citizen_pk):
    """Screen 2: topic, language and (when it matters) the place."""
    _office(request)
    citizen = _citizen(request, citizen_pk)
    form = NeedForm(
        request.GET or None,
        topics=_topics(request),
        digipunten=_places(request).filter(municipality_id=citizen.municipality_id),
        initial={"language": citizen.language},
    )
    if request.GET and form.is_valid():
        query = {"topic": form.cleaned_data["topic"].code, "language": form.cleaned_data["language"]}
        if form.cleaned_data["digipunt"]:
            query["digipunt"] = form.cleaned_data["digipunt"].pk
        params = "&".join(f"{k}={v}" for k, v in query.items())
        return redirect(f"{reverse('appointments:book-slot', args=[citizen.pk])}?{params}")
    return render(request, "appointments/book_need.html", {"form": form, "citizen": citizen, "step": 2})


@login_required
@audit.audited_view(audit.Subject.CITIZEN, lookup="citizen_pk")
def book_slot(request, citizen_pk):
    """Screen 3: pick one of the offered slots and confirm (or put the caller on the waitlist)."""
    _office(request)
    citizen = _citizen(request, citizen_pk)
    topic = get_object_or_404(_topics(request), code=request.GET.get("topic", ""))
    language = request.GET.get("language", citizen.language)
    if language not in SPOKEN_LANGUAGES:
        language = citizen.language
    # Only this citizen's municipality: a citizen record belongs to one.
    places = _places(request).filter(municipality_id=citizen.municipality_id)
    wanted_place = None
    if request.GET.get("digipunt"):
        places = places.filter(pk=int_or_none(request.GET["digipunt"]))
        wanted_place = places.first()
    now = timezone.now()
    if request.method == "POST":
        if "waitlist" in request.POST:
            waitlist.add(
                citizen=citizen, topic=topic, language=language, channel=Channel.PHONE, digipunt=wanted_place
            )
            messages.success(
                request, _("%(name)s is on the waitlist for %(topic)s.") % {"name": citizen, "topic": topic}
            )
            return redirect("appointments:counter")
        digipunt_id, _sep, start_text = request.POST.get("slot", "").partition("|")
        place = places.filter(pk=int_or_none(digipunt_id)).first()
        try:
            start = parse_datetime(start_text)
        except ValueError:
            start = None
        if place is None or start is None:
            messages.error(request, _("Choose one of the times."))
        else:
            try:
                appointment = book(
                    citizen=citizen, digipunt=place, topic=topic, start=start, language=language,
                    channel=Channel.PHONE, by=request.user, notes=request.POST.get("notes", "")[:500],
                )  # fmt: skip
            except (BookingError, SlotTaken) as error:
                messages.error(request, error.message)
            else:
                return redirect("appointments:slip", pk=appointment.pk)
    today = timezone.localdate()
    slots = free_slots(
        topic=topic, language=language, start_date=today, end_date=today + datetime.timedelta(days=60),
        now=now, digipunten=places, citizen=citizen,
    )[:SLOTS_OFFERED]  # fmt: skip
    return render(
        request,
        "appointments/book_slot.html",
        {"citizen": citizen, "topic": topic, "language": language, "slots": slots, "step": 3},
    )


@login_required
@audit.audited_view(audit.Subject.APPOINTMENT)
def slip(request, pk):
    """A printable confirmation to hand or read to the citizen."""
    _office(request)
    appointment = get_object_or_404(
        _appointments(request).select_related("digipunt", "topic", "citizen"), pk=pk
    )
    return render(request, "appointments/slip.html", {"appointment": appointment})
