"""Bound the pending lists of the PostgreSQL engine's GIN indexes (PostgreSQL only).

A GIN index first appends new entries to an unsorted pending list that every search
reads in full until a vacuum or the list's limit moves them into the index proper. At
the default limit (4 MB) a hint's title match at 50,000 threads read it for 7 of its
9 ms; at 256 kB it costs a fraction of a millisecond, and the search worker, which
writes, pays for the more frequent clean-ups."""

from django.db import migrations

INDEXES = ("community_searchentry_document_gin", "community_searchentry_heading_gin")


def bound(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"ALTER INDEX IF EXISTS {name} SET (gin_pending_list_limit = 256)")


def unbound(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"ALTER INDEX IF EXISTS {name} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("community", "0025_search_gaps")]

    operations = [migrations.RunPython(bound, unbound)]
