"""Users for the page tests: readers with or without the permission to see confidential sources."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from tracker import roles

READER_PERMISSIONS = [
    "view_event", "view_claim", "view_party", "view_source", "view_comparisongroup", "view_subgroup", "view_person",
    "view_othername", "view_fateclaim",
]  # fmt: skip
PASSWORD = "reader-password-1"


def make_user(username: str, *codenames: str, **fields):
    """Make a user with these tracker permissions (codenames) and a known password."""
    user = get_user_model().objects.create_user(username, password=PASSWORD, **fields)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="tracker", codename__in=codenames))
    return user


def make_reader(username: str = "reader", **fields):
    """A researcher who may read every page but not see confidential sources."""
    return make_user(username, *READER_PERMISSIONS, **fields)


def make_confidant(username: str = "confidant", **fields):
    """A reader who may also see confidential sources."""
    return make_user(username, *READER_PERMISSIONS, "view_confidential_source", **fields)


def make_member(username: str, role: str, *, confidential: bool = False):
    """Make a user with one of the tracker's roles (tracker.roles), and the grant if asked."""
    user = make_user(username)
    roles.role_assign(user=user, roles=[role], confidential=confidential)
    return user
