import datetime
from collections import defaultdict
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk import access
from helpdesk.models import Digipunt
from volunteers import blocks, services
from volunteers.availability import shifts
from volunteers.feed import appointments_between, build_calendar
from volunteers.forms import AbsenceForm, ApplicationForm, AvailabilityForm, DecisionForm, VolunteerForm
from volunteers.models import Absence, Application, Volunteer, hash_calendar_token

SCHEDULE_DAYS = 28
PAST_HELP_DAYS = 30
HOURS_MONTHS = 6


# Public ---------------------------------------------------------------------------------------


def apply(request):
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            # Two identical submissions at once: the second meets the unique constraint.
            form.add_error(None, _("An application with these details is already waiting."))
        else:
            return redirect("volunteers:apply-done")
    return render(request, "volunteers/apply.html", {"form": form})


def apply_done(request):
    return render(request, "volunteers/apply_done.html")


@require_GET
def calendar_feed(request, token: str):
    """The volunteer's feed. Unknown, rotated or left: 404, whichever it is."""
    volunteer = (
        Volunteer.objects.select_related("user", "municipality")
        .exclude(status=Volunteer.Status.LEFT)
        .filter(calendar_token_hash=hash_calendar_token(token))
        .first()
    )
    if volunteer is None or not volunteer.calendar_token_hash:
        raise Http404
    response = HttpResponse(build_calendar(volunteer), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="digipunt.ics"'
    # Private: the feed is personal; no-cache: calendar apps must revalidate each refresh.
    response["Cache-Control"] = "private, no-cache"
    return response


# The volunteer's own pages -------------------------------------------------------------------


def _own_volunteer(request) -> Volunteer:
    volunteer = Volunteer.objects.filter(user=request.user).select_related("municipality").first()
    if volunteer is None:
        raise PermissionDenied
    return volunteer


def feed_links(volunteer: Volunteer) -> dict:
    volunteer.ensure_calendar_hash()
    path = reverse("volunteers:calendar", args=[volunteer.calendar_token()])
    https_url = f"{settings.PUBLIC_BASE_URL}{path}"
    webcal_url = "webcal://" + https_url.split("://", 1)[1]
    return {
        "https": https_url,
        "webcal": webcal_url,
        "google": "https://calendar.google.com/calendar/render?cid=" + quote(webcal_url, safe=""),
    }


def hours_per_month(volunteer: Volunteer, today: datetime.date) -> list[tuple[datetime.date, float]]:
    """Hours on duty in each of the last HOURS_MONTHS months (this one included), newest first."""
    months_back = today.year * 12 + today.month - 1 - (HOURS_MONTHS - 1)
    first = datetime.date(months_back // 12, months_back % 12 + 1, 1)
    totals = defaultdict(float)
    for shift in shifts([volunteer.pk], first, today - datetime.timedelta(days=1), active_only=False):
        totals[shift.day.replace(day=1)] += shift.hours
    months, month = [], first
    while month <= today:
        months.append((month, round(totals[month], 1)))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return list(reversed(months))


@login_required
def schedule(request):
    volunteer = _own_volunteer(request)
    today = timezone.localdate()
    last = today + datetime.timedelta(days=SCHEDULE_DAYS)
    coming = defaultdict(lambda: {"shifts": [], "appointments": []})
    for shift in shifts([volunteer.pk], today, last, active_only=False):
        coming[shift.day]["shifts"].append(shift)
    past = []
    for appointment in appointments_between(volunteer, today - datetime.timedelta(days=PAST_HELP_DAYS), last):
        day = timezone.localtime(appointment.start).date()
        if day >= today and appointment.is_active:
            coming[day]["appointments"].append(appointment)
        elif day < today and appointment.status == appointment.Status.COMPLETED:
            past.append(appointment)
    return render(
        request,
        "volunteers/schedule.html",
        {
            "volunteer": volunteer,
            "today": today,
            "days": sorted(coming.items()),
            "past": list(reversed(past)),
            "feed": feed_links(volunteer),
            "hours": hours_per_month(volunteer, today),
        },
    )


@login_required
@require_POST
def rotate_feed(request):
    volunteer = _own_volunteer(request)
    volunteer.rotate_calendar_token()
    messages.success(request, _("Your calendar link was renewed. The old link no longer works."))
    return redirect("volunteers:schedule")


@login_required
def my_availability(request):
    return _availability_page(request, _own_volunteer(request))


# Staff pages ---------------------------------------------------------------------------------


def _visible_volunteer(request, pk) -> Volunteer:
    return get_object_or_404(
        access.volunteers_for(request.user).select_related("user", "municipality"), pk=pk
    )


def _require_office(request):
    if not access.is_office_member(request.user):
        raise PermissionDenied


@login_required
def volunteer_list(request):
    _require_office(request)
    applications = access.scope(
        Application.objects.filter(status=Application.Status.PENDING).select_related("municipality"),
        request.user,
        access.OFFICE_ROLES,
    )
    volunteers = (
        access.volunteers_for(request.user)
        .select_related("user", "municipality")
        .prefetch_related(Prefetch("digipunten", queryset=Digipunt.objects.order_by("name")))
    )
    rows = [(v, access.can_manage_volunteer(request.user, v)) for v in volunteers]
    return render(request, "volunteers/staff_list.html", {"applications": applications, "rows": rows})


@login_required
def application_detail(request, pk):
    _require_office(request)
    application = get_object_or_404(
        access.scope(Application.objects.select_related("municipality"), request.user, access.OFFICE_ROLES),
        pk=pk,
    )
    digipunten = access.digipunten_for(request.user, access.OFFICE_ROLES).filter(
        municipality=application.municipality, is_active=True
    )
    form = DecisionForm(request.POST or None, digipunten=digipunten, initial={"digipunten": digipunten})
    if request.method == "POST" and form.is_valid():
        try:
            if "approve" in request.POST:
                volunteer = services.approve_application(
                    application, by=request.user, digipunten=form.cleaned_data["digipunten"]
                )
                messages.success(
                    request,
                    _("%(name)s is now a volunteer; the login details were e-mailed.")
                    % {"name": application.first_name},
                )
                return redirect("volunteers:edit", pk=volunteer.pk)
            services.decline_application(
                application, by=request.user, reason=form.cleaned_data["decline_reason"]
            )
            messages.success(request, _("The application was declined and the applicant informed."))
            return redirect("volunteers:list")
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
    return render(request, "volunteers/application_detail.html", {"application": application, "form": form})


@login_required
def volunteer_edit(request, pk):
    """The profile, for staff of the volunteer's home municipality only."""
    _require_office(request)
    volunteer = _visible_volunteer(request, pk)
    if not access.can_manage_volunteer(request.user, volunteer):
        raise Http404
    editable = access.digipunten_for(request.user, access.OFFICE_ROLES).filter(is_active=True)
    form = VolunteerForm(request.POST or None, instance=volunteer, digipunten=editable)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save(commit=False)
            volunteer.save()
            form.save_topics()
            blocks.set_digipunten(volunteer, form.cleaned_data["digipunten"], editable)
        messages.success(request, _("Saved."))
        return redirect("volunteers:edit", pk=volunteer.pk)
    return render(request, "volunteers/volunteer_edit.html", {"volunteer": volunteer, "form": form})


@login_required
def volunteer_availability(request, pk):
    _require_office(request)
    return _availability_page(request, _visible_volunteer(request, pk))


# Availability editor, shared by the volunteer and staff ---------------------------------------


def _posted_id(request, name: str) -> int | None:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return None


def _availability_page(request, volunteer: Volunteer):
    editable = access.availability_digipunten(request.user, volunteer)
    absences_editable = access.can_edit_absences(request.user, volunteer)
    if not (absences_editable or editable.exists()):
        raise Http404
    availability_form = AvailabilityForm(volunteer=volunteer, digipunten=editable, prefix="block")
    absence_form = AbsenceForm(volunteer=volunteer, prefix="absence")
    if request.method == "POST":
        if "add_block" in request.POST:
            availability_form = AvailabilityForm(
                request.POST, volunteer=volunteer, digipunten=editable, prefix="block"
            )
            if availability_form.is_valid():
                try:
                    blocks.add_block(availability_form.instance)
                except ValidationError as error:
                    availability_form.add_error(None, error)
                else:
                    messages.success(request, _("Availability added."))
                    return redirect(request.path)
        elif "add_absence" in request.POST and absences_editable:
            absence_form = AbsenceForm(request.POST, volunteer=volunteer, prefix="absence")
            if absence_form.is_valid():
                absence_form.save()
                messages.success(request, _("Absence added."))
                return redirect(request.path)
        elif "delete_block" in request.POST:
            block = (
                volunteer.availability.current()
                .filter(pk=_posted_id(request, "delete_block"), digipunt__in=editable)
                .first()
            )
            if block is not None:
                blocks.remove_block(block)
                messages.success(request, _("Availability removed."))
            return redirect(request.path)
        elif "delete_absence" in request.POST and absences_editable:
            Absence.objects.filter(volunteer=volunteer, pk=_posted_id(request, "delete_absence")).delete()
            messages.success(request, _("Absence removed."))
            return redirect(request.path)
    editable_ids = set(editable.values_list("pk", flat=True))
    current = volunteer.availability.current().select_related("digipunt").order_by("weekday", "starts")
    return render(
        request,
        "volunteers/availability.html",
        {
            "volunteer": volunteer,
            "own": access.is_self(request.user, volunteer),
            "manages": access.can_manage_volunteer(request.user, volunteer),
            "blocks": [(block, block.digipunt_id in editable_ids) for block in current],
            "can_add_blocks": bool(editable_ids),
            "absences": volunteer.absences.filter(end_date__gte=timezone.localdate()),
            "absences_editable": absences_editable,
            "availability_form": availability_form,
            "absence_form": absence_form,
        },
    )
