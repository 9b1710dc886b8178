from .audit import AuditEvent
from .citizens import Citizen
from .help_requests import AgeBand, Channel, HelpRequest, HelpRequestTopic, Outcome, ReferredTo
from .municipalities import Closure, Digipunt, Municipality, OpeningHours
from .roles import Membership, Role
from .topics import Topic

__all__ = [
    "AgeBand",
    "AuditEvent",
    "Channel",
    "Citizen",
    "Closure",
    "Digipunt",
    "HelpRequest",
    "HelpRequestTopic",
    "Membership",
    "Municipality",
    "OpeningHours",
    "Outcome",
    "ReferredTo",
    "Role",
    "Topic",
]
