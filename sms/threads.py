"""One citizen's SMS thread: inbound and outbound messages in time order."""

import datetime
from dataclasses import dataclass

from sms.models import InboundMessage, OutboundMessage


@dataclass(frozen=True)
class Entry:
    direction: str  # "in" or "out"
    body: str
    status: str
    status_label: str
    created: datetime.datetime
    kind: str = ""


def thread(citizen) -> list[Entry]:
    incoming = [
        Entry("in", m.body, "received", m.get_event_display() if m.event else "", m.received_at)
        for m in InboundMessage.objects.filter(citizen=citizen).only("body", "event", "received_at")
    ]
    outgoing = [
        Entry(
            "out",
            m.body,
            m.status,
            m.get_status_display(),
            m.sent_at or m.due_at,
            m.kind,
        )
        for m in OutboundMessage.objects.filter(citizen=citizen).only(
            "body", "status", "kind", "sent_at", "due_at", "created_at"
        )
    ]
    # A reply is logged at the moment of the message it answers: the inbound one comes first.
    return sorted(incoming + outgoing, key=lambda e: (e.created, e.direction != "in"))
