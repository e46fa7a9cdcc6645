"""Who may read the API: the Viewer's permissions, as on the pages (tracker.roles)."""

from rest_framework import permissions

from tracker import roles
from tracker.models.reviews import NO_PERMISSION, REVIEW_PERMISSION


class ViewPermission(permissions.IsAuthenticated):
    """Reading asks what the pages ask: the Viewer's permissions (an event comes with its claims and sources)."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_perms(roles.READ_PERMISSIONS)


class ReviewPermission(ViewPermission):
    """Reviewing asks the permission to review records beside reading."""

    message = NO_PERMISSION

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_perm(REVIEW_PERMISSION)
