"""Issue 12: the planner's row estimate of a query, for list counts above the exact limit
(core.api.pagination.count_rows). PostgreSQL only; other databases count exactly."""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION zhishu_count_estimate(query text) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
END;
$$;
"""
DROP = "DROP FUNCTION IF EXISTS zhishu_count_estimate(text);"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_stipend_policy")]
    operations = [migrations.RunPython(forwards, backwards)]
