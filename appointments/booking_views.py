"""Booking for a caller at the counter: phone → need → slot, and the slip to print.

Thin views: every booking goes through booking.book, every wait through waitlist.add. The counter's
day page and walk-ins stay in views.py.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from appointments import waitlist
from appointments.booking import BookingError, SlotTaken, book
from appointments.forms import CallerForm, NeedForm
from appointments.models import Channel
from appointments.slots import free_slots
from appointments.views import _appointments, _office, _places, _topics
from helpdesk import access
from helpdesk.languages import SPOKEN_LANGUAGES, current_language
from helpdesk.models import Citizen, Municipality
from helpdesk.parsing import int_or_none
from privacy import audit

SLOTS_OFFERED = 6


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
