"""Who may call the API, shared by every app's endpoints; the answers come from helpdesk.access."""

from rest_framework import permissions

from helpdesk import access


class CanConfigure(permissions.BasePermission):
    """Reading follows the queryset's scope; changing needs the coordinator role there."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return access.is_network_admin(request.user) or bool(
            access.municipality_ids(request.user, access.CONFIG_ROLES)
        )

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or access.can_configure(request.user, obj)


class IsOfficeMember(permissions.BasePermission):
    """Staff and coordinators: the people who deal with citizens' personal data."""

    def has_permission(self, request, view):
        return access.is_network_admin(request.user) or bool(
            access.municipality_ids(request.user, access.OFFICE_ROLES)
        )
