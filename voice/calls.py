"""A voice webhook request (or a simulator keypress): store it once per (CallSid, step), answer it.

The step row is written first, in the same transaction as everything the answer causes; a Twilio
retry of the same step finds the row and gets the same TwiML, nothing more (a concurrent
duplicate waits on the unique index, then does the same). A step that is not the one the call
is at (out of order, made up) only says the current question again.
"""

import datetime
import logging
import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from helpdesk import locks, phones
from helpdesk.models import Municipality
from voice import dialogue, twiml
from voice.models import VoiceCall, VoiceStep
from voice.prompts import say

logger = logging.getLogger(__name__)
SID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_DIGITS = 40
MAX_SPEECH = 200
RESUME_WITHIN = datetime.timedelta(hours=1)
START = "start"
ENDED_STATUSES = {"completed", "busy", "failed", "no-answer", "canceled"}


class Malformed(ValueError):
    """Not a call we can answer (HTTP 400)."""


def _clean(value: str, limit: int) -> str:
    return CONTROL.sub("", value or "").strip()[:limit]


def heard(digits: str, speech: str) -> dialogue.Heard:
    """What the caller said; a key string that is too long or not keys at all is garbage (kept as
    such, so the dialogue says it did not understand)."""
    digits = CONTROL.sub("", digits or "").strip()
    if len(digits) > MAX_DIGITS or not re.fullmatch(r"[0-9*#]*", digits):
        digits = "?"
    return dialogue.Heard(digits=digits.rstrip("#"), speech=_clean(speech, MAX_SPEECH))


def _goodbye_unknown() -> str:
    response = dialogue.Turn(says=[(code, say("unknown_number", code)) for code in dialogue.LANGUAGES])
    return twiml.render(response, language="nl", step=0)


def start(
    *, sid: str, from_: str, to: str, now: datetime.datetime | None = None, simulated: bool = False
) -> str:
    """The first request of a call: the welcome (or, after a hang-up mid-booking, where it stopped)."""
    now = now or timezone.now()
    sid = _check_sid(sid)
    to_number = phones.parse(_clean(to, 40))
    municipality = Municipality.objects.filter(sms_number=to_number).first() if to_number else None
    if municipality is None:
        logger.warning("Voice call %s to unknown number %r", sid, to)
        return _goodbye_unknown()
    caller = phones.parse(_clean(from_, 40))  # withheld: "anonymous", "+266696687", or nothing
    with transaction.atomic():
        call, created = VoiceCall.objects.get_or_create(
            call_sid=sid,
            defaults={
                "municipality": municipality,
                "from_number": caller.as_e164 if caller else "",
                "language": municipality.default_language,
                "started_at": now,
                "simulated": simulated,
            },
        )
        return _step(call, START, dialogue.Heard(), now, first=created)


def step(
    *, sid: str, step: str, digits: str = "", speech: str = "", now: datetime.datetime | None = None
) -> str:
    now = now or timezone.now()
    sid = _check_sid(sid)
    with transaction.atomic():
        call = VoiceCall.objects.filter(call_sid=sid).select_related("municipality", "citizen").first()
        if call is None:
            raise Malformed("Unknown CallSid: a call starts at /voice/inbound/.")
        return _step(call, step, heard(digits, speech), now)


def ended(*, sid: str, status: str, now: datetime.datetime | None = None) -> None:
    """The status callback: a call that ends mid-booking can be picked up on the next call."""
    now = now or timezone.now()
    sid = _check_sid(sid)
    if status not in ENDED_STATUSES:
        return
    VoiceCall.objects.filter(call_sid=sid, ended_at__isnull=True).update(ended_at=now)


def _check_sid(sid: str) -> str:
    sid = (sid or "").strip()
    if not SID_PATTERN.match(sid):
        raise Malformed("CallSid is missing or malformed.")
    return sid


def _resumable(call, now) -> VoiceCall | None:
    """The caller's last call, hung up mid-booking within the hour: it goes on where it stopped."""
    if not call.from_number:
        return None
    return (
        VoiceCall.objects.filter(
            municipality=call.municipality,
            from_number=call.from_number,
            started_at__gte=now - RESUME_WITHIN,
            ended_at__isnull=False,
            state__in=[VoiceCall.State.SLOT, VoiceCall.State.CONFIRM],
        )
        .exclude(pk=call.pk)
        .order_by("-started_at")
        .first()
    )


def _step(call, step_key: str, said: dialogue.Heard, now, first=False) -> str:
    try:
        with transaction.atomic():
            row = VoiceStep.objects.create(
                call=call, step=step_key, digits=said.digits[:MAX_DIGITS], speech=said.speech, created_at=now
            )
    except IntegrityError:
        return VoiceStep.objects.get(call=call, step=step_key).twiml  # a retry: the same answer
    current = step_key == str(call.sequence) or (step_key == START and call.sequence == 0)
    try:
        with transaction.atomic():
            if step_key == START:
                resumed = _resumable(call, now)
                if resumed is not None:
                    VoiceCall.objects.filter(pk=resumed.pk).update(state=VoiceCall.State.DONE)
                turn = dialogue.welcome(call, now, resumed)
            elif current:
                turn = dialogue.answer(call, said, now)
            else:
                turn = dialogue.Turn(
                    says=[tuple(line) for line in call.data.get("question", [])], gather=True
                )
            if turn.gather and (current or step_key == START):
                call.sequence += 1
            call.save()
    except Exception as error:
        call.refresh_from_db()
        if locks.busy(error):
            logger.warning("Voice call %s: busy (lock timeout)", call.call_sid)
            turn = dialogue.Turn(says=[(call.language, say("busy", call.language))])
        else:
            # A bug must not leave the caller in silence: they are told staff will call.
            logger.exception("Voice call %s step %s could not be handled", call.call_sid, step_key)
            dialogue._keep_for_callback(call, "not_understood", now)
            turn = dialogue.Turn(says=[(call.language, say("silence_goodbye", call.language))])
    row.twiml = twiml.render(turn, language=call.language, step=call.sequence)
    row.save(update_fields=["twiml"])
    return row.twiml
