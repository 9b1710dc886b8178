"""Logging help: one function writes a help request, from an appointment, a walk-in or a call.

Validation lives here (not in the form or serializer) so the web, the API and the volunteer's
schedule refuse the same things with the same messages.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from help_requests.models import MAX_DURATION_MINUTES, HelpRequest, HelpRequestTopic, Outcome
from helpdesk import dates
from helpdesk.channels import Channel
from helpdesk.models import Topic

REFERRAL_CHECK_DAYS = 14


def local_date_hour(moment: datetime.datetime) -> tuple[datetime.date, int]:
    local = timezone.localtime(moment)
    return local.date(), local.hour


def _minutes(start, end, default: int) -> int:
    """The measured minutes of a visit when plausible, else the topic's usual duration."""
    if start is None or end is None:
        return default
    measured = round((end - start).total_seconds() / 60)
    return measured if 1 <= measured <= MAX_DURATION_MINUTES else default


def prefill_from_appointment(appointment) -> dict:
    """What the log form starts with for a completed (or completing) appointment."""
    date, hour = local_date_hour(appointment.start)
    until = appointment.completed_at or timezone.now()
    minutes = _minutes(appointment.checked_in_at, until, appointment.topic.default_duration_minutes)
    return {
        "digipunt": appointment.digipunt,
        "topics": [appointment.topic],
        "channel": appointment.channel,
        "date": date,
        "hour": hour,
        "duration_minutes": minutes,
    }


def prefill_from_walk_in(ticket) -> dict:
    date, hour = local_date_hour(ticket.called_at or ticket.arrived_at)
    minutes = _minutes(ticket.called_at, ticket.finished_at, ticket.topic.default_duration_minutes)
    return {
        "digipunt": ticket.digipunt,
        "topics": [ticket.topic],
        "channel": Channel.COUNTER,
        "date": date,
        "hour": hour,
        "duration_minutes": minutes,
    }


def _check(
    *, digipunt, topics, channel, duration_minutes, outcome, date, hour, referred_to, follow_up_on, today
):
    errors = {}
    if not topics:
        errors["topics"] = _("Choose at least one topic.")
    else:
        allowed = set(
            Topic.objects.for_municipality(digipunt.municipality_id)
            .filter(is_active=True, pk__in=[t.pk for t in topics])
            .values_list("pk", flat=True)
        )
        if any(t.pk not in allowed for t in topics):
            errors["topics"] = _("One of these topics cannot be used here.")
    if channel not in Channel.values:
        errors["channel"] = _("Unknown channel.")
    if outcome not in Outcome.values:
        errors["outcome"] = _("Unknown outcome.")
    if not isinstance(duration_minutes, int) or not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = _("Give a duration from 1 minute to 8 hours.")
    if date > today:
        errors["date"] = _("Help cannot be logged for a day in the future.")
    elif not dates.is_sensible(date):
        errors["date"] = dates.OUT_OF_RANGE
    if follow_up_on is not None and not dates.is_sensible(follow_up_on):
        errors["follow_up_on"] = dates.OUT_OF_RANGE
    if hour is not None and not 0 <= hour <= 23:
        errors["hour"] = _("Give an hour from 0 to 23.")
    if outcome == Outcome.REFERRED and not referred_to:
        errors["referred_to"] = _("Say to whom the citizen was referred.")
    if outcome != Outcome.REFERRED and referred_to:
        errors["referred_to"] = _("Only a referral has a 'referred to'.")
    if errors:
        raise ValidationError(errors)


def log(
    *,
    digipunt,
    topics,
    channel: str,
    duration_minutes: int,
    outcome: str,
    date: datetime.date | None = None,
    hour: int | None = None,
    self_reliant: bool = False,
    age_band: str = "",
    first_visit: bool | None = None,
    referred_to: str = "",
    follow_up_on: datetime.date | None = None,
    note: str = "",
    helped_by=None,
    appointment=None,
    walk_in=None,
    now: datetime.datetime | None = None,
) -> HelpRequest:
    """Write one help request; raise ValidationError (field → message) for bad input."""
    now = now or timezone.now()
    today, this_hour = local_date_hour(now)
    if date is None:
        date = today
    if hour is None and date == today:
        hour = this_hour  # logged right after the help: the heatmap needs its hour
    topics = list(dict.fromkeys(topics))
    _check(
        digipunt=digipunt,
        topics=topics,
        channel=channel,
        duration_minutes=duration_minutes,
        outcome=outcome,
        date=date,
        hour=hour,
        referred_to=referred_to,
        follow_up_on=follow_up_on,
        today=today,
    )
    if outcome == Outcome.REFERRED and follow_up_on is None:
        follow_up_on = date + datetime.timedelta(days=REFERRAL_CHECK_DAYS)
    try:
        with transaction.atomic():
            request = HelpRequest.objects.create(
                municipality_id=digipunt.municipality_id,
                digipunt=digipunt,
                date=date,
                hour=hour,
                **HelpRequest.buckets(date),
                channel=channel,
                duration_minutes=duration_minutes,
                outcome=outcome,
                self_reliant=self_reliant,
                age_band=age_band,
                first_visit=first_visit,
                referred_to=referred_to,
                follow_up_on=follow_up_on if outcome == Outcome.REFERRED else None,
                note=note[:300],
                helped_by=helped_by if getattr(helped_by, "is_authenticated", False) else None,
                appointment=appointment,
                walk_in=walk_in,
            )
            HelpRequestTopic.objects.bulk_create(
                HelpRequestTopic(
                    help_request=request,
                    topic=topic,
                    municipality_id=request.municipality_id,
                    date=date,
                    month=request.month,
                )
                for topic in topics
            )
    except IntegrityError as error:
        if appointment is None and walk_in is None:
            raise
        field = "appointment" if appointment is not None else "walk_in"
        raise ValidationError({field: _("The help for this visit was already logged.")}) from error
    return request


def confirm_referral(request: HelpRequest, *, now: datetime.datetime | None = None) -> HelpRequest:
    """Staff checked that the referral was picked up."""
    request.referral_confirmed_at = now or timezone.now()
    request.save(update_fields=["referral_confirmed_at"])
    return request


def open_referrals(queryset):
    return queryset.filter(outcome=Outcome.REFERRED, referral_confirmed_at__isnull=True).order_by(
        "follow_up_on"
    )
