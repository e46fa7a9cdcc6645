import pytest
from django.contrib.auth.models import Permission


@pytest.fixture
def editor(django_user_model):
    """A staff member who may enter data but not see confidential sources."""
    user = django_user_model.objects.create_user("editor", password="editor-password-1", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="tracker").exclude(codename="view_confidential_source")
    )
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
