"""Every "who may see or do this" decision, in one place.

Views, API viewsets, the admin and commands ask these functions; none of them filters by
municipality on its own. Models say how they reach their municipality with a
`municipality_path` attribute (e.g. "digipunt__municipality"); a model that belongs to several
municipalities (a volunteer serving digipunten across a region) lists `municipality_paths` too.
"""

from collections.abc import Iterable

from django.db.models import Model, Q, QuerySet

from helpdesk.models import Digipunt, Membership, Role

ALL_ROLES = frozenset(Role.values)
OFFICE_ROLES = frozenset({Role.STAFF, Role.COORDINATOR})
CONFIG_ROLES = frozenset({Role.COORDINATOR})


def memberships(user) -> list[Membership]:
    """The user's memberships, loaded once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_helpdesk_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user).select_related("municipality").prefetch_related("digipunten")
        )
        user._helpdesk_memberships = cached
    return cached


def digipunt_ids(membership: Membership) -> tuple[int, ...]:
    """The digipunten a membership is limited to (none: all of its municipality's); a membership
    of a cached API caller (helpdesk/principal.py) carries them, others read their prefetch."""
    ids = getattr(membership, "helpdesk_digipunt_ids", None)
    return ids if ids is not None else tuple(d.pk for d in membership.digipunten.all())


def is_network_admin(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or any(m.role == Role.NETWORK_ADMIN for m in memberships(user))


def municipality_ids(user, roles: Iterable[str] = ALL_ROLES) -> set[int] | None:
    """Ids of the municipalities where the user holds one of `roles`; None means all of them."""
    if is_network_admin(user):
        return None
    roles = set(roles)
    return {m.municipality_id for m in memberships(user) if m.role in roles}


def scope(queryset: QuerySet, user, roles: Iterable[str] = ALL_ROLES) -> QuerySet:
    """Narrow `queryset` to rows of the municipalities the user may see in one of `roles`."""
    ids = municipality_ids(user, roles)
    if ids is None:
        return queryset
    model = queryset.model
    path = model.municipality_path
    condition = Q(**{f"{path}__in": ids})
    if getattr(model, "shared_without_municipality", False):
        condition |= Q(**{f"{path}__isnull": True})
    extra_paths = getattr(model, "municipality_paths", ())
    if not extra_paths:
        return queryset.filter(condition)
    for extra in extra_paths:
        condition |= Q(**{f"{extra}__in": ids})
    # A join over a many-to-many path repeats rows; a subquery keeps the queryset plain.
    return queryset.filter(pk__in=model.objects.filter(condition).values("pk"))


def municipality_of(obj: Model) -> int | None:
    """The id of the municipality an object belongs to, following its `municipality_path`; the
    last step reads the foreign key's id, so a direct `municipality` costs no query."""
    *hops, last = obj.municipality_path.split("__")
    if last == "pk" and not hops:
        return obj.pk
    value = obj
    for part in hops:
        value = getattr(value, part)
        if value is None:
            return None
    return getattr(value, f"{last}_id")


def has_role(user, municipality_id: int | None, roles: Iterable[str] = ALL_ROLES) -> bool:
    ids = municipality_ids(user, roles)
    return ids is None or (municipality_id is not None and municipality_id in ids)


def can_configure(user, obj: Model) -> bool:
    """Coordinators configure their own municipality; network admins everything.

    Network-wide rows (a topic with no municipality) are for network admins only.
    """
    return has_role(user, municipality_of(obj), CONFIG_ROLES)


def can_use_admin(user) -> bool:
    return getattr(user, "is_active", False) and (
        is_network_admin(user) or bool(municipality_ids(user, CONFIG_ROLES))
    )


def digipunten_for(user, roles: Iterable[str] = ALL_ROLES) -> QuerySet:
    """The digipunten where the user works in one of `roles`; staff may be limited to some
    digipunten of their municipality. Counter and booking code asks with OFFICE_ROLES: being a
    volunteer somewhere gives no access to its counter."""
    queryset = scope(Digipunt.objects.all(), user, roles)
    if is_network_admin(user):
        return queryset
    limited = [m for m in memberships(user) if m.role == Role.STAFF and digipunt_ids(m)]
    if not limited:
        return queryset
    limited_municipalities = {m.municipality_id for m in limited}
    allowed_ids = {pk for m in limited for pk in digipunt_ids(m)}
    return queryset.filter(~Q(municipality_id__in=limited_municipalities) | Q(pk__in=allowed_ids))


def visits(queryset: QuerySet, user, *, volunteer_path: str | None = None) -> QuerySet:
    """The visits (appointments or walk-ins) `user` may act on, such as logging the help given: those
    at a digipunt where they work in an office role and, with `volunteer_path` (the visit's path to
    its volunteer's user, "volunteer__user"), those they help at themselves. Look a visit up in
    this queryset and answer 404 when it is not there: a visit the user may not see must not be
    told apart from one that does not exist."""
    condition = Q(digipunt__in=digipunten_for(user, OFFICE_ROLES))
    if volunteer_path is not None and getattr(user, "is_authenticated", False):
        condition |= Q(**{volunteer_path: user})
    return queryset.filter(condition)


def primary_role(user) -> str | None:
    """The role that decides the user's home page: the broadest one they hold."""
    if is_network_admin(user):
        return Role.NETWORK_ADMIN
    held = {m.role for m in memberships(user)}
    for role in (Role.COORDINATOR, Role.STAFF, Role.VOLUNTEER):
        if role in held:
            return role
    return None


def is_office_member(user) -> bool:
    return is_network_admin(user) or bool(municipality_ids(user, OFFICE_ROLES))
