"""Support staff look up posts, notifications and outbox rows in the admin but no longer
change, add or delete them there: every such change goes through the site's actions
(revision, audit, reindex, ledger). The admin itself is read-only for these models; this
takes the matching permissions away so that no other tool honours them either."""

from django.db import migrations

READ_ONLY_MODELS = ("question", "answer", "comment", "notification", "outboxitem", "article")


def restrict(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    writes = Permission.objects.filter(
        content_type__app_label="community",
        content_type__model__in=READ_ONLY_MODELS,
        codename__regex=r"^(add|change|delete)_",
    )
    for staff in Group.objects.filter(name="Support staff"):
        staff.permissions.remove(*writes)


def give_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    writes = Permission.objects.filter(
        content_type__app_label="community",
        content_type__model__in=READ_ONLY_MODELS[:-1],  # 0002 never granted articles
        codename__regex=r"^(add|change|delete)_",
    )
    for staff in Group.objects.filter(name="Support staff"):
        staff.permissions.add(*writes)


class Migration(migrations.Migration):
    dependencies = [("community", "0018_moderation_queues")]

    operations = [migrations.RunPython(restrict, give_back)]
