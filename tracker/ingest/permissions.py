"""What an import may do for the user it runs for: what the admin would let them do, model by model.

An import is one more way to enter data, so it asks the admin's permissions: making an event,
party, source or claim needs the permission to add one, and changing a stored one (a claim's
retraction, wording or notes; a source marked confidential) the permission to change it. A
user who may only add can then import new claims, but not retract, reword or hide what others
entered. Without a user the import is an operator's command, which may do everything (see
docs/operators/security.md).
"""

from __future__ import annotations

from django.contrib.auth import get_permission_codename
from django.db import models
from django.utils.translation import gettext as _


class ImportPermissions:
    """The add and change permissions of the user an import runs for (all of them for an operator's command)."""

    def __init__(self, user=None):
        self.user = user

    def refusal(self, action: str, model: type[models.Model]) -> str | None:
        """Return the permission the user lacks to `action` ("add" or "change") an object of this model, or None."""
        if self.user is None:
            return None
        permission = f"{model._meta.app_label}.{get_permission_codename(action, model._meta)}"
        # The user's permissions are loaded once and cached on the user object: no query per row.
        return (
            None
            if self.user.has_perm(permission)
            else _("needs the permission %(permission)s") % {"permission": permission}
        )
