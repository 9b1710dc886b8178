"""A volunteer's schedule: their shifts with the appointments in them, on the web and as a
calendar feed. It lives here, above volunteers/, because it combines both."""

import datetime
from collections import defaultdict
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from appointments import volunteer_plan
from appointments.feed import appointments_between, build_calendar
from helpdesk import access
from helpdesk import views as helpdesk_views
from helpdesk.models import Role
from volunteers import access as volunteer_access
from volunteers.availability import shifts
from volunteers.models import Volunteer, hash_calendar_token

SCHEDULE_DAYS = 28
PAST_HELP_DAYS = 30
HOURS_MONTHS = 6


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
    volunteer = volunteer_access.own_volunteer(request.user)
    now = timezone.now()
    today = timezone.localdate(now)
    last = today + datetime.timedelta(days=SCHEDULE_DAYS)
    appointments = list(
        appointments_between(volunteer, today - datetime.timedelta(days=PAST_HELP_DAYS), last)
    )
    past = [
        volunteer_plan.appointment_entry(appointment, now)
        for appointment in appointments
        if timezone.localtime(appointment.start).date() < today
        and appointment.status == appointment.Status.COMPLETED
    ]
    return render(
        request,
        "volunteers/schedule.html",
        {
            "volunteer": volunteer,
            "today": today,
            "days": volunteer_plan.days(
                shifts([volunteer.pk], today, last, active_only=False), appointments, today=today, now=now
            ),
            "past": list(reversed(past)),
            "feed": feed_links(volunteer),
            "hours": hours_per_month(volunteer, today),
        },
    )


@login_required
def home(request):
    """A volunteer's home is their day: today's shifts and appointments, with the log links.
    Everyone else (and a volunteer who also works at the office) gets the core's home page."""
    volunteer = getattr(request.user, "volunteer", None)
    if volunteer is None or access.primary_role(request.user) != Role.VOLUNTEER:
        return helpdesk_views.home(request)
    now = timezone.now()
    today = timezone.localdate(now)
    (day,) = volunteer_plan.days(
        shifts([volunteer.pk], today, today, active_only=False),
        appointments_between(volunteer, today, today),
        today=today,
        now=now,
    )
    return render(request, "volunteers/today.html", {"volunteer": volunteer, "today": day})


@login_required
@require_POST
def rotate_feed(request):
    volunteer = volunteer_access.own_volunteer(request.user)
    volunteer.rotate_calendar_token()
    messages.success(request, _("Your calendar link was renewed. The old link no longer works."))
    return redirect("volunteers:schedule")


# Mounted under /volunteers/ in the "volunteers" namespace, beside volunteers.urls (config/urls.py).
urlpatterns = [
    path("calendar/<str:token>.ics", calendar_feed, name="calendar"),
    path("schedule/", schedule, name="schedule"),
    path("schedule/new-calendar-link/", rotate_feed, name="rotate-feed"),
]
