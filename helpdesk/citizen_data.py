"""The registry of personal data held on citizens: each app says what it keeps and how to hand
it over, erase it and purge it, so privacy/ needs to import none of them and a new app cannot
forget erasure (tests/privacy checks every model with a link to Citizen is covered).

An app registers one `Holder` from its AppConfig.ready(). Erasing a citizen (privacy.erasure):
1. `release` of every holder, lowest app first: end what is still going on (cancel upcoming
   appointments, which may itself queue messages that later steps then cancel);
2. `erase` of every holder, highest app first, so an upper app still sees the links to the lower
   app's rows (help requests find their appointments before appointments drop the citizen);
3. the citizen row is deleted.
All of it runs in one transaction with the citizen row locked.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Holder:
    name: str
    # Right of access: {section: [rows]} with everything held on the citizen.
    export: Callable[..., dict] | None = None
    # Lines saying what an erasure would end now (shown before staff confirm it).
    pending: Callable[..., list[str]] | None = None
    # (citizen, by, now) -> counts: end what is ongoing.
    release: Callable[..., dict] | None = None
    # (citizen, now) -> counts: blank or unlink the personal data; never delete what statistics count.
    erase: Callable[..., dict] | None = None
    # (municipality_id, phone, now) -> counts: a number that never became a citizen (a landline).
    forget_number: Callable[..., dict] | None = None
    # (now) -> counts: the retention purge of everything past its period, in every municipality.
    purge: Callable[..., dict] | None = None
    # (now) -> citizen ids that must not be purged yet (an appointment still ahead).
    keeps: Callable[[datetime.datetime], QuerySet] | None = None


HOLDERS: list[Holder] = []


def register(holder: Holder) -> None:
    """Add the holder; one with the same name (a second ready()) is replaced where it stands, so
    the order stays that of INSTALLED_APPS."""
    for index, known in enumerate(HOLDERS):
        if known.name == holder.name:
            HOLDERS[index] = holder
            return
    HOLDERS.append(holder)


def holders(step: str, *, top_down: bool = False) -> list[Callable]:
    """The registered functions for one step, lowest app first (or highest first)."""
    found = [getattr(holder, step) for holder in HOLDERS if getattr(holder, step) is not None]
    return found[::-1] if top_down else found
