"""Set-based upserts: one statement per CHUNK_ROWS rows (R-JOB-1).

``bulk_create`` splits rows into batches bounded by the database's parameter limit
(999 on SQLite), so 5,000 classifications would take ~80 statements. Here each chunk of
rows travels as one JSON parameter and the database unpacks it: one INSERT … ON CONFLICT
per 5,000 rows, on SQLite (json_each) and PostgreSQL (jsonb_to_recordset). Other databases
fall back to ``bulk_create(update_conflicts=True)``.
"""
import json
from collections.abc import Sequence

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models


# Rows per statement: one statement for a county, a few for a city. One 100,000-row JSON
# document made PostgreSQL's upsert superlinear (13.7 s and ~1.9 GB for 100k classifications).
CHUNK_ROWS = 5000


def _json_value(field, value):
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.DateTimeField) and connection.vendor == "sqlite":
        # Stored exactly as Django's SQLite backend stores it, so equality lookups keep working.
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(field, models.DateTimeField) and hasattr(value, "isoformat"):
        # DjangoJSONEncoder cuts microseconds to milliseconds; a stamp compared for
        # equality afterwards must survive the round trip exactly.
        return value.isoformat()
    return value


def bulk_upsert(*, model, rows: Sequence[dict], unique_fields: Sequence[str], update_fields: Sequence[str]) -> int:
    """Insert ``rows`` (dicts keyed by attname), updating ``update_fields`` where ``unique_fields`` clash."""
    if not rows:
        return 0
    opts = model._meta
    names = list(rows[0])
    fields = [opts.get_field(n) for n in names]
    if connection.vendor not in ("sqlite", "postgresql"):
        objs = [model(**row) for row in rows]
        model.objects.bulk_create(objs, update_conflicts=True, unique_fields=unique_fields,
                                  update_fields=update_fields)
        return len(objs)
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    conflict = ", ".join(qn(opts.get_field(n).column) for n in unique_fields)
    updates = ", ".join(f"{qn(opts.get_field(n).column)} = excluded.{qn(opts.get_field(n).column)}"
                        for n in update_fields)
    if connection.vendor == "sqlite":
        select = ", ".join(f"json_extract(value, '$.{f.column}')" for f in fields)
        # The WHERE clause keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
        sql = (f"INSERT INTO {qn(opts.db_table)} ({columns}) SELECT {select} FROM json_each(%s) WHERE true "
               f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}")
    else:
        record = ", ".join(f"{qn(f.column)} {f.db_type(connection)}" for f in fields)
        sql = (f"INSERT INTO {qn(opts.db_table)} ({columns}) SELECT {columns} "
               f"FROM jsonb_to_recordset(%s::jsonb) AS x({record}) "
               f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK_ROWS):
            chunk = rows[start:start + CHUNK_ROWS]
            payload = json.dumps(
                [{f.column: _json_value(f, row[n]) for n, f in zip(names, fields, strict=True)} for row in chunk],
                cls=DjangoJSONEncoder, ensure_ascii=False,
            )
            cursor.execute(sql, [payload])
    return len(rows)
