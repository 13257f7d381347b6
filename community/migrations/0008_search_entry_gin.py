"""The GIN index behind PostgreSQL full-text search (PostgreSQL only; SQLite skips it)."""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS community_searchentry_document_gin ON community_searchentry USING gin (document)"
DROP = "DROP INDEX IF EXISTS community_searchentry_document_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("community", "0007_search_entry")]

    operations = [migrations.RunPython(create, drop)]
