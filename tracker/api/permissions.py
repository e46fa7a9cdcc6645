"""Who may read the API: the Viewer's permissions, as on the pages (tracker.roles)."""

from rest_framework import permissions

from tracker import roles


class ViewPermission(permissions.IsAuthenticated):
    """Reading asks what the pages ask: the Viewer's permissions (an event comes with its claims and sources)."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_perms(roles.READ_PERMISSIONS)
