"""Who may read and edit guides, built on helpdesk.access (memberships and roles).

- Readers: everyone with a role in a municipality (volunteers included) reads its published and
  outdated guides, and those shared with the network. A volunteer also reads the guides of the
  municipalities whose digipunten they serve.
- Drafts: only the owning municipality's staff and coordinators (the editors).
- Network admins read every guide that is not a draft (they see which guides are used most), but
  edit only where they also hold an office role.
Anything else is invisible: views answer 404, as for every other object of another municipality.
"""

from django.db.models import Q, QuerySet

from guides.models import Guide
from helpdesk import access
from helpdesk.models import Digipunt, Municipality


def editor_municipality_ids(user) -> set[int]:
    return {m.municipality_id for m in access.memberships(user) if m.role in access.OFFICE_ROLES}


def reader_municipality_ids(user) -> set[int] | None:
    """None: every municipality (network admins)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if access.is_network_admin(user):
        return None
    cached = getattr(user, "_guide_reader_ids", None)
    if cached is None:
        cached = {m.municipality_id for m in access.memberships(user)}
        cached |= set(
            Digipunt.objects.filter(volunteers__user=user)
            .values_list("municipality_id", flat=True)
            .distinct()
        )
        user._guide_reader_ids = cached
    return cached


def visible_guides(user) -> QuerySet:
    """Every guide the user may open, drafts included where they may edit them."""
    readers = reader_municipality_ids(user)
    not_draft = ~Q(status=Guide.Status.DRAFT)
    if readers is None:
        return Guide.objects.filter(not_draft | Q(municipality_id__in=editor_municipality_ids(user)))
    if not readers:
        return Guide.objects.none()
    return Guide.objects.filter(
        Q(municipality_id__in=editor_municipality_ids(user))
        | (not_draft & (Q(municipality_id__in=readers) | Q(shared=True)))
    )


def can_edit(user, guide: Guide) -> bool:
    return guide.municipality_id in editor_municipality_ids(user)


def can_author(user) -> bool:
    return bool(editor_municipality_ids(user))


def author_municipalities(user) -> QuerySet:
    return Municipality.objects.filter(pk__in=editor_municipality_ids(user)).order_by("name")


def can_see_usage(user) -> bool:
    """The network's figures: which guides are used most."""
    return access.is_network_admin(user)


def can_see_provider_signals(user) -> bool:
    return access.is_network_admin(user) or bool(access.municipality_ids(user, access.CONFIG_ROLES))
