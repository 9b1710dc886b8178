"""Being called back: asked for (CALL ME), or accepted after two replies that made no sense."""

import datetime

from django.utils import formats

from conversations import callbacks
from conversations.models import CallbackRequest
from helpdesk.localtime import local_zone
from helpdesk.models import Digipunt
from helpdesk.opening import closures_by_digipunt, opening_periods
from sms.dialogue.state import Event, Reply, State, _set, yes_or_no
from sms.texts import render


def callback(conversation, citizen, now, reason=CallbackRequest.Reason.ASKED) -> Reply:
    _set(conversation, State.IDLE, now)
    callbacks.request(citizen=citizen, phone=str(citizen.phone), reason=reason, now=now)
    return Reply(when_we_call(citizen, conversation.language, now), Event.CALLBACK)


def answer_callback_offer(conversation, citizen, message, now) -> Reply:
    answer = yes_or_no(message)
    if answer is None:
        # Still nothing that makes sense: stay on the question, do not loop the counter.
        return Reply(render("offer_callback", conversation.language), Event.NOT_UNDERSTOOD)
    if not answer:
        _set(conversation, State.IDLE, now)
        return Reply(render("callback_declined", conversation.language))
    return callback(conversation, citizen, now, CallbackRequest.Reason.NOT_UNDERSTOOD)


def when_we_call(citizen, language, now) -> str:
    """The next opening period of any digipunt of the municipality: when staff can phone."""
    zone = local_zone()
    local_now = now.astimezone(zone)
    digipunten = Digipunt.objects.filter(
        municipality_id=citizen.municipality_id, is_active=True
    ).prefetch_related("opening_hours")
    digipunten = list(digipunten)
    first, last = local_now.date(), local_now.date() + datetime.timedelta(days=14)
    closures = closures_by_digipunt(digipunten, first, last)
    day = first
    while day <= last:
        periods = sorted(p for d in digipunten for p in opening_periods(d, day, closures[d.pk]))
        if day == first:
            periods = [(o, c) for o, c in periods if c > local_now.time()]
        if periods:
            opens, closes = min(p[0] for p in periods), max(p[1] for p in periods)
            if day == first:
                return render("callback_today", language, until=formats.time_format(closes, "H:i"))
            moment = datetime.datetime.combine(day, opens, tzinfo=zone)
            return render(
                "callback_later",
                language,
                start=moment,
                opens=formats.time_format(opens, "H:i"),
                closes=formats.time_format(closes, "H:i"),
            )
        day += datetime.timedelta(days=1)
    return render("callback_soon", language)
