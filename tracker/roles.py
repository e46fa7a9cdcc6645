"""The roles staff are given, as groups of permissions, and the permissions each surface asks.

- **Viewer**: reads the pages, their downloads and the API.
- **Editor**: a viewer who also enters data in the admin, imports files and decides on links
  between datasets' events (the link review), and reviews claims and assessments another user
  last changed (tracker.models.reviews).
- **Administrator**: an editor who also deletes records, manages users, roles and API tokens, and
  downloads the audit trail of every change (tracker.admin.audit).
- **Confidential sources**: a separate grant, given beside any role, to see confidential sources
  and their claims' notes (tracker.visibility decides what that shows).

A user's API token, for scripts, is issued and revoked here too: its key is shown once, to
whoever issues it, and never listed.

The groups are created by a migration and kept in step with these lists after every `migrate`
(`roles_sync`), so that a role means the same on every installation: change a role here, not in
the admin. Other mixes can be made as groups of their own.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from rest_framework.authtoken.models import Token

from tracker import visibility
from tracker.models.reviews import REVIEW_PERMISSION

VIEWER = "Viewer"
EDITOR = "Editor"
ADMINISTRATOR = "Administrator"
CONFIDENTIAL = "Confidential sources"

# What reading asks: a page or answer shows events with their claims, parties and sources together, and the
# named people with their fate claims.
READ_PERMISSIONS = (
    "tracker.view_event", "tracker.view_claim", "tracker.view_party", "tracker.view_source",
    "tracker.view_comparisongroup", "tracker.view_person", "tracker.view_othername", "tracker.view_fateclaim",
)  # fmt: skip
# What the link review asks: reading, and deciding on candidate links (a merge moves claims between events).
LINK_PERMISSIONS = (*READ_PERMISSIONS, "tracker.view_eventlink", "tracker.add_eventlink", "tracker.change_eventlink")
RECORDS = ("event", "claim", "party", "source", "subgroup", "assessment", "person", "othername", "fateclaim")
ENTRY_PERMISSIONS = (
    *(f"tracker.{action}_{model}" for model in RECORDS for action in ("add", "change")),
    REVIEW_PERMISSION,  # four eyes: whoever enters may review another's entries, never their own
)
ADMINISTRATION_PERMISSIONS = (
    *(f"tracker.delete_{model}" for model in RECORDS),
    "tracker.download_audit",
    *(f"auth.{action}_{model}" for model in ("user", "group") for action in ("view", "add", "change", "delete")),
    *(f"authtoken.{action}_tokenproxy" for action in ("view", "add", "change", "delete")),
    *(f"axes.{action}_{model}" for model in ("accessattempt", "accessfailurelog", "accesslog")
      for action in ("view", "delete")),
)  # fmt: skip

ROLES = {
    VIEWER: READ_PERMISSIONS,
    EDITOR: LINK_PERMISSIONS + ENTRY_PERMISSIONS,
    ADMINISTRATOR: LINK_PERMISSIONS + ENTRY_PERMISSIONS + ADMINISTRATION_PERMISSIONS,
    CONFIDENTIAL: (visibility.CONFIDENTIAL_PERMISSION,),
}
STAFF_ROLES = (EDITOR, ADMINISTRATOR)  # roles that work in the admin, so need its "staff" flag


def permissions_named(names) -> list[Permission]:
    """Return the permissions of these "app_label.codename" names (those that exist yet)."""
    match = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        match |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(match))


def roles_sync(**kwargs) -> None:
    """Give each role's group exactly the permissions listed for it (after every migrate)."""
    for role, names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(permissions_named(names))


def role_assign(*, user, roles, confidential: bool = False) -> None:
    """Give a user these roles (and only these), with the admin's staff flag where a role needs it."""
    unknown = set(roles) - {VIEWER, EDITOR, ADMINISTRATOR}
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}")
    names = [*roles, CONFIDENTIAL] if confidential else list(roles)
    user.groups.remove(*Group.objects.filter(name__in=ROLES))
    user.groups.add(*Group.objects.filter(name__in=names))
    user.is_staff = any(role in STAFF_ROLES for role in roles)
    user.save(update_fields=["is_staff"])


def api_tokens_issue(*, users) -> dict:
    """Give each of these users a new API token, replacing any they had; return each user's new key."""
    users = list(users)
    with transaction.atomic():
        Token.objects.filter(user__in=users).delete()
        tokens = Token.objects.bulk_create([Token(user=user, key=Token.generate_key()) for user in users])
    return {token.user: token.key for token in tokens}


def api_tokens_revoke(*, users) -> list:
    """Delete these users' API tokens; return the users who had one."""
    with transaction.atomic():
        tokens = list(Token.objects.filter(user__in=users).select_related("user").select_for_update(of=("self",)))
        Token.objects.filter(pk__in=[token.pk for token in tokens]).delete()
    return [token.user for token in tokens]
