"""Support staff manage community content in Django admin (but never roles or users)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = ("category", "question", "answer", "comment", "notification", "outboxitem")


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    staff, _ = Group.objects.get_or_create(name="Support staff")
    content = Permission.objects.filter(
        content_type__app_label="community", content_type__model__in=CONTENT_MODELS
    )
    taggit = Permission.objects.filter(content_type__app_label="taggit")
    viewing_users = Permission.objects.filter(content_type__app_label="accounts", codename="view_user")
    staff.permissions.add(*content, *taggit, *viewing_users)


def revoke(apps, schema_editor):
    for staff in apps.get_model("auth", "Group").objects.filter(name="Support staff"):
        staff.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("accounts", "0002_roles"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
