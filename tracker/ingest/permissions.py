"""What an import may do for the user it runs for: what the admin would let them do, model by model.

An import is one more way to enter data, so it asks the admin's permissions: making an event,
party, source or claim needs the permission to add one, and changing a stored one (a claim's
retraction, wording or notes) the permission to change it. A user who may only add can then
import new claims, but not retract, reword or annotate what others entered. Naming a confidential
source needs the permission to see one, as marking one so does in the admin. Without a user the
import is an operator's command, which may do everything (see
docs/operators/security.md).
"""

from __future__ import annotations

from django.contrib.auth import get_permission_codename
from django.db import models
from django.utils.translation import gettext as _

from tracker import visibility


class ImportPermissions:
    """The add and change permissions of the user an import runs for (all of them for an operator's command)."""

    def __init__(self, user=None):
        self.user = user

    def refusal(self, action: str, model: type[models.Model]) -> str | None:
        """Return the permission the user lacks to `action` ("add" or "change") an object of this model, or None."""
        return self.lacking(f"{model._meta.app_label}.{get_permission_codename(action, model._meta)}")

    def confidential_refusal(self) -> str | None:
        """Return the permission the user lacks to name a confidential source, or None.

        A source is told from another by its confidentiality too (tracker.models.sources): anyone
        else naming one would learn from the import whether it is stored.
        """
        return self.lacking(visibility.CONFIDENTIAL_PERMISSION)

    def lacking(self, permission: str) -> str | None:
        if self.user is None:
            return None
        # The user's permissions are loaded once and cached on the user object: no query per row.
        return (
            None
            if self.user.has_perm(permission)
            else _("needs the permission %(permission)s") % {"permission": permission}
        )
