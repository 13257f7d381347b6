"""The database cache's table (the embedded default's cache, holding rate-limit counts and
login throttles) is created by ``migrate`` itself: a deployment that ran ``migrate`` but
not ``createcachetable`` answered every log-in with a 500. Idempotent; does nothing for
cache backends without a table (local memory, Redis)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_moderation_queues")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
