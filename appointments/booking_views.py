"""Booking for a caller at the counter: phone → need → time, the slip, the waitlist page.

Thin views: every booking goes through booking.book, every move through lifecycle.reschedule,
every cancellation through lifecycle.cancel, every wait through waitlist.add; what to show comes
from counter_booking.py. The counter's day page and walk-ins stay in views.py.
"""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appointments import counter_booking, lifecycle, waitlist
from appointments.booking import BookingError, SlotTaken, book
from appointments.forms import PART_CHOICES, CallerForm, NeedForm, WaitlistForm
from appointments.models import Appointment, Channel, PartOfDay, WaitlistEntry
from appointments.views import _appointments, _office, _places, _topics
from helpdesk import access, citizen_contact, dates
from helpdesk.languages import SPOKEN_LANGUAGES, Language, written_language
from helpdesk.models import Citizen, Municipality
from helpdesk.parsing import int_or_none
from privacy import audit


@login_required
def book_caller(request):
    """Screen 1: who is calling, and (for a new caller) the language they will be written to in."""
    _office(request)
    municipalities = (
        access.scope(Municipality.objects.all(), request.user, access.OFFICE_ROLES)
        .filter(digipunten__in=_places(request))
        .distinct()
    )
    form = CallerForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        citizen, _created = citizen_contact.find_or_make(
            form.cleaned_data["municipality"].pk,
            form.cleaned_data["phone"].as_e164,
            name=form.cleaned_data["name"],
            language=form.cleaned_data["language"],
        )
        return redirect("appointments:book-need", citizen_pk=citizen.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "appointments/book_caller.html", {"form": form, "step": 1}, status=status)


def _citizen(request, pk) -> Citizen:
    return get_object_or_404(access.scope(Citizen.objects.all(), request.user, access.OFFICE_ROLES), pk=pk)


@login_required
@audit.audited_view(audit.Subject.CITIZEN, lookup="citizen_pk")
def book_need(request, citizen_pk):
    """Screen 2: the caller's coming appointments; topic, language, place, day and part of day."""
    _office(request)
    citizen = _citizen(request, citizen_pk)
    form = NeedForm(
        request.GET or None,
        topics=_topics(request),
        digipunten=_places(request).filter(municipality_id=citizen.municipality_id),
        initial={"language": citizen.language},
    )
    if request.GET and form.is_valid():
        language = form.cleaned_data["language"]
        if language in Language.values and language != citizen.language:
            # What the caller chose here is what they will be written to in from now on.
            Citizen.objects.filter(pk=citizen.pk).update(language=language)
        query = {"topic": form.cleaned_data["topic"].code, "language": language}
        if form.cleaned_data["digipunt"]:
            query["digipunt"] = form.cleaned_data["digipunt"].pk
        if form.cleaned_data["day"]:
            query["day"] = form.cleaned_data["day"].isoformat()
        if form.cleaned_data["part"]:
            query["part"] = form.cleaned_data["part"]
        return redirect(f"{reverse('appointments:book-slot', args=[citizen.pk])}?{urlencode(query)}")
    context = {
        "form": form,
        "citizen": citizen,
        "step": 2,
        "coming": counter_booking.coming_appointments(citizen, timezone.now()),
    }
    return render(request, "appointments/book_need.html", context, status=400 if request.GET else 200)


def _picker_query(request, **changes) -> str:
    """The picker's query string with some values changed (None: left out)."""
    keys = ("topic", "language", "digipunt", "day", "part", "move")
    query = {key: request.GET.get(key, "") for key in keys}
    query.update(changes)
    return "?" + urlencode({k: v for k, v in query.items() if v not in (None, "")})


@login_required
@audit.audited_view(audit.Subject.CITIZEN, lookup="citizen_pk")
def book_slot(request, citizen_pk):
    """Screen 3: a day (strip or date field), a part of the day, the free times; confirm (a new
    booking or moving `move`), or, when nothing fits, the ways out and the waitlist."""
    _office(request)
    citizen = _citizen(request, citizen_pk)
    now = timezone.now()
    moving = None
    if request.GET.get("move"):
        moving = get_object_or_404(
            _appointments(request).filter(citizen=citizen, status=Appointment.Status.BOOKED),
            pk=int_or_none(request.GET["move"]),
        )
        topic, language = moving.topic, moving.language
    else:
        topic = get_object_or_404(_topics(request), code=request.GET.get("topic", ""))
        language = request.GET.get("language", citizen.language)
        if language not in SPOKEN_LANGUAGES:
            language = citizen.language
    # Only this citizen's municipality: a citizen record belongs to one.
    all_places = list(_places(request).filter(municipality_id=citizen.municipality_id))
    places, wanted_place = all_places, None
    if request.GET.get("digipunt"):
        places = [p for p in all_places if p.pk == int_or_none(request.GET["digipunt"])]
        wanted_place = places[0] if places else None
    part = request.GET.get("part", "")
    if part not in PartOfDay.values:
        part = ""
    status = 200
    try:
        day = dates.from_query(request.GET.get("day"))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        day, status = None, 400
    same_topic = [] if moving else counter_booking.same_topic(citizen, topic, now)
    if request.method == "POST":
        response = _confirm(request, citizen, topic, language, places, wanted_place, moving, same_topic)
        if response is not None:
            return response
        status = 409 if getattr(request, "_slot_taken", False) else 400

    # As few runs of the slot engine as the page needs: usually one or two.
    today = timezone.localdate()
    picked = {"topic": topic, "language": language, "places": places, "now": now, "citizen": citizen}
    soonest = None
    if day is None or day < today:
        # No day asked for: the first with a free time in the part of the day asked for.
        soonest = counter_booking.first_free(after=today, part=part, moving=moving, **picked)
        day = timezone.localtime(soonest.start).date() if soonest else today
    times, strip, strip_first = counter_booking.search(day=day, part=part, moving=moving, **picked)
    anything_free = bool(times or soonest or any(d.total for d in strip)) or (
        counter_booking.first_free(after=today, part="", moving=moving, **picked) is not None
    )
    show_all = request.GET.get("more") == "1"
    next_free = None
    if not times and anything_free:
        next_free = counter_booking.first_free(after=day, part=part, moving=moving, **picked)
    context = {
        "citizen": citizen,
        "topic": topic,
        "language": language,
        "language_name": SPOKEN_LANGUAGES.get(language, language),
        "step": 3,
        "moving": moving,
        "day": day,
        "part": part,
        "parts": [
            (value, label, _picker_query(request, part=value, day=day.isoformat()))
            for value, label in PART_CHOICES
        ],
        "slots": times if show_all else times[: counter_booking.TIMES_SHOWN],
        "more_url": _picker_query(request, day=day.isoformat(), more="1")
        if not show_all and len(times) > counter_booking.TIMES_SHOWN
        else None,
        "strip": [(d, _picker_query(request, day=d.day.isoformat())) for d in strip],
        "earlier_url": _picker_query(request, day=(strip_first - datetime.timedelta(days=14)).isoformat())
        if strip_first > today
        else None,
        "later_url": _picker_query(request, day=(strip_first + datetime.timedelta(days=14)).isoformat()),
        "today": today,
        "next_free": next_free,
        "next_free_url": _picker_query(request, day=timezone.localdate(next_free.start).isoformat())
        if next_free
        else None,
        "dead_end": not anything_free,
        "places": [(p, _picker_query(request, digipunt=p.pk)) for p in all_places if p not in places],
        "any_place_url": _picker_query(request, digipunt=None) if wanted_place else None,
        "other_languages": [],
        "waitlist_form": WaitlistForm(request.POST if "waitlist" in request.POST else None),
        "same_topic": same_topic,
        "back_url": reverse("appointments:book-need", args=[citizen.pk])
        + "?"
        + urlencode({"topic": topic.pk, "language": language}),
        "hidden": {
            k: v for k, v in request.GET.items() if k in ("topic", "language", "digipunt", "part", "move")
        },
    }
    if not anything_free and moving is None:
        # Nothing at all in this language: which other language would find a time.
        context["other_languages"] = [
            (code, SPOKEN_LANGUAGES.get(code, code), _picker_query(request, language=code))
            for code in counter_booking.other_languages(
                topic=topic, language=language, places=places, now=now, citizen=citizen
            )
        ]
    if request.htmx and request.method == "GET":
        return render(request, "appointments/_slot_picker.html", context, status=status)
    return render(request, "appointments/book_slot.html", context, status=status)


def _confirm(request, citizen, topic, language, places, wanted_place, moving, same_topic):
    """The POST of screen 3: the redirect on success, None (with a message) to show the picker again."""
    if "waitlist" in request.POST and moving is None:
        form = WaitlistForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the days and the part of the day from the lists."))
            return None
        entry = waitlist.add(
            citizen=citizen, topic=topic, language=language, channel=Channel.PHONE, digipunt=wanted_place,
            weekdays=form.cleaned_data["weekdays"], part=form.cleaned_data["part"],
        )  # fmt: skip
        messages.success(
            request, _("%(name)s is on the waitlist for %(topic)s.") % {"name": citizen, "topic": topic}
        )
        place = entry.digipunt or (places[0] if places else None)
        return (
            redirect("appointments:waitlist", digipunt_pk=place.pk)
            if place
            else redirect("appointments:counter")
        )
    digipunt_id, _sep, start_text = request.POST.get("slot", "").partition("|")
    place = next((p for p in places if p.pk == int_or_none(digipunt_id)), None)
    try:
        start = parse_datetime(start_text)
    except ValueError:
        start = None
    if place is None or start is None:
        messages.error(request, _("Choose one of the times."))
        return None
    if same_topic and request.POST.get("same_topic_ok") != "1":
        messages.error(
            request, _("This caller already has an appointment for this topic: confirm a second one.")
        )
        return None
    try:
        if moving is not None:
            appointment = lifecycle.reschedule(
                moving, start=start, digipunt=place, by=request.user, channel=Channel.PHONE
            )
        else:
            appointment = book(
                citizen=citizen, digipunt=place, topic=topic, start=start, language=language,
                channel=Channel.PHONE, by=request.user, notes=request.POST.get("notes", "")[:500],
            )  # fmt: skip
    except SlotTaken as error:
        request._slot_taken = True
        messages.error(request, error.message)
        return None
    except (BookingError, lifecycle.InvalidTransition) as error:
        messages.error(request, error.message)
        return None
    return redirect("appointments:slip", pk=appointment.pk)


@login_required
@require_POST
def cancel_appointment(request, citizen_pk, pk):
    """From screen 2: the caller cancels one of their coming appointments."""
    _office(request)
    citizen = _citizen(request, citizen_pk)
    appointment = get_object_or_404(_appointments(request).filter(citizen=citizen), pk=pk)
    try:
        lifecycle.cancel(appointment, by=request.user, reason=_("Cancelled by phone"), channel=Channel.PHONE)
    except lifecycle.InvalidTransition as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The appointment of %(when)s is cancelled.") % {
            "when": timezone.localtime(appointment.start).strftime("%d/%m %H:%M")
        })  # fmt: skip
    return redirect("appointments:book-need", citizen_pk=citizen.pk)


@login_required
@audit.audited_view(audit.Subject.APPOINTMENT)
def slip(request, pk):
    """A printable confirmation in the appointment's language (the one its SMS are written in)."""
    _office(request)
    appointment = get_object_or_404(
        _appointments(request).select_related("digipunt__municipality", "topic", "citizen"), pk=pk
    )
    fallback = (
        appointment.citizen.language
        if appointment.citizen
        else appointment.digipunt.municipality.default_language
    )
    language = written_language(appointment.language, fallback)
    return render(request, "appointments/slip.html", {"appointment": appointment, "slip_language": language})


@login_required
def waitlist_home(request):
    """The waitlist of the first digipunt the staff member works at."""
    _office(request)
    place = _places(request).first()
    if place is None:
        raise Http404
    return redirect("appointments:waitlist", digipunt_pk=place.pk)


@login_required
def waitlist_page(request, digipunt_pk):
    """Who waits for a time at this digipunt (or at any place of its municipality), first in line first."""
    _office(request)
    places = list(_places(request))
    place = next((p for p in places if p.pk == digipunt_pk), None)
    if place is None:
        raise Http404
    entries = (
        access.scope(WaitlistEntry.objects.all(), request.user, access.OFFICE_ROLES)
        .filter(
            municipality_id=place.municipality_id,
            status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
        )
        .filter(Q(digipunt__isnull=True) | Q(digipunt=place))
        .select_related("citizen", "topic", "digipunt", "offered_digipunt")
        .order_by("created_at", "pk")
    )
    # A list of citizens: one look without an id, in the place's municipality (audited_view
    # would file the digipunt's id as a citizen's).
    audit.viewed(
        audit.Subject.CITIZEN,
        detail=f"waitlist of digipunt {place.pk}",
        municipality_id=place.municipality_id,
    )
    return render(
        request, "appointments/waitlist.html", {"place": place, "places": places, "entries": entries}
    )
