import pytest
from django.contrib.auth.models import Permission

from tests.accounts import make_user


@pytest.fixture
def editor(db):
    """A staff member who may enter data but not see confidential sources."""
    codenames = (
        Permission.objects.filter(content_type__app_label="tracker")
        .exclude(codename="view_confidential_source")
        .values_list("codename", flat=True)
    )
    return make_user("editor", *codenames, is_staff=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
