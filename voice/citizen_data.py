"""What the voice line holds on a citizen or a bare number: the call log (helpdesk.citizen_data).
No recording is ever made; a call keeps its number, its menu state and the keys pressed."""

import datetime

from django.db.models import Q
from django.utils import timezone

from helpdesk.citizen_data import Holder
from voice.models import VoiceCall

RETENTION = datetime.timedelta(days=30)  # long enough to pick up a call again and to debug


def export(citizen) -> dict:
    return {
        "voice_calls": [
            {"started_at": timezone.localtime(c.started_at).isoformat(), "state": c.state}
            for c in citizen.voice_calls.order_by("started_at")
        ]
    }


def erase(citizen, *, now) -> dict:
    deleted, _ = VoiceCall.objects.filter(citizen=citizen).delete()
    return {"voice_calls": deleted}


def forget_number(municipality_id: int, phone: str, now, citizen=None) -> dict:
    linked = Q(citizen=citizen) if citizen is not None else Q(pk__in=[])
    deleted, _ = VoiceCall.objects.filter(
        linked | Q(municipality_id=municipality_id, from_number=phone)
    ).delete()
    return {"voice_calls": deleted}


def purge(now) -> dict:
    deleted, _ = VoiceCall.objects.filter(started_at__lt=now - RETENTION).delete()
    return {"voice_calls": deleted}


HOLDER = Holder(name="voice", export=export, erase=erase, forget_number=forget_number, purge=purge)
