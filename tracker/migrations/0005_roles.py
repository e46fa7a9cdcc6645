from django.db import migrations

ROLES = ["Viewer", "Editor", "Administrator", "Confidential sources"]


def create_roles(apps, schema_editor):
    # The groups only: their permissions exist once every app has migrated, and are given then
    # by tracker.roles.roles_sync (connected to post_migrate).
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0004_language_preference"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
