"""A title-and-tags vector for the PostgreSQL engine, with its GIN index and a larger
statistics target for ``document`` (PostgreSQL only), and an index on created_at for the
newest-first cap on very-common-word queries."""

import django.contrib.postgres.search
from django.db import migrations, models

CREATE = "CREATE INDEX IF NOT EXISTS community_searchentry_heading_gin ON community_searchentry USING gin (heading)"
DROP = "DROP INDEX IF EXISTS community_searchentry_heading_gin"


# The planner's statistics keep the most common lexemes of ``document`` with their share;
# the engine reads them to tell common words. The default target lists too few (down to
# about an 8% share); 1000 lists down to about 0.1%.
STATISTICS = "ALTER TABLE community_searchentry ALTER COLUMN document SET STATISTICS 1000"
DEFAULT_STATISTICS = "ALTER TABLE community_searchentry ALTER COLUMN document SET STATISTICS -1"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute(STATISTICS)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)
        schema_editor.execute(DEFAULT_STATISTICS)


class Migration(migrations.Migration):
    dependencies = [("community", "0011_knowledge_articles")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="heading",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.AlterField(
            model_name="searchentry",
            name="created_at",
            field=models.DateTimeField(db_index=True),
        ),
        migrations.RunPython(create, drop),
    ]
