from .citizens import Citizen
from .emails import OutboundEmail
from .municipalities import Closure, Digipunt, Municipality, OpeningHours
from .roles import Membership, Role
from .topics import Topic

__all__ = [
    "Citizen",
    "Closure",
    "Digipunt",
    "Membership",
    "Municipality",
    "OpeningHours",
    "OutboundEmail",
    "Role",
    "Topic",
]
