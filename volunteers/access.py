"""Who may see and manage a volunteer: the volunteer, their home municipality, and staff of the
other municipalities they serve (for those digipunten only). Built on helpdesk.access."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from helpdesk import access
from volunteers.models import Volunteer


def volunteers_for(user) -> QuerySet:
    """Volunteers staff and coordinators can see: of their municipality, or serving one of its
    digipunten (a volunteer may help across a region)."""
    return access.scope(Volunteer.objects.all(), user, access.OFFICE_ROLES)


def can_manage_volunteer(user, volunteer) -> bool:
    """Profile, status and staff notes belong to the volunteer's home municipality."""
    return access.has_role(user, volunteer.municipality_id, access.OFFICE_ROLES)


def is_self(user, volunteer) -> bool:
    return volunteer.user_id == getattr(user, "pk", None)


def availability_digipunten(user, volunteer) -> QuerySet:
    """Where `user` may add or remove this volunteer's weekly blocks.

    The volunteer and their home municipality: every digipunt served. Staff of another
    municipality the volunteer serves: only their own digipunten.
    """
    served = volunteer.digipunten.filter(is_active=True)
    if is_self(user, volunteer) or can_manage_volunteer(user, volunteer):
        return served
    if not volunteers_for(user).filter(pk=volunteer.pk).exists():
        return served.none()
    return served.filter(pk__in=access.digipunten_for(user, access.OFFICE_ROLES))


def can_edit_absences(user, volunteer) -> bool:
    return is_self(user, volunteer) or can_manage_volunteer(user, volunteer)


def own_volunteer(user) -> Volunteer:
    """The volunteer profile of the person asking; 403 for anyone without one."""
    volunteer = Volunteer.objects.filter(user=user).select_related("municipality").first()
    if volunteer is None:
        raise PermissionDenied
    return volunteer
