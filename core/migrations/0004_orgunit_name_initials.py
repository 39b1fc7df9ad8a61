"""Issue 8 item 3: pickers match a unit's pinyin initials ("xhc" → 新华村党支部); existing rows filled here."""
import core.fields
from django.db import migrations

CHUNK = 2000


def fill(apps, schema_editor):
    from core.pinyin import name_initials

    OrgUnit = apps.get_model("core", "OrgUnit")
    max_length = OrgUnit._meta.get_field("name_initials").max_length
    batch = []
    for unit in OrgUnit.objects.only("pk", "name").order_by("pk").iterator(chunk_size=CHUNK):
        unit.name_initials = name_initials(unit.name)[:max_length]
        batch.append(unit)
        if len(batch) >= CHUNK:
            OrgUnit.objects.bulk_update(batch, ["name_initials"])
            batch = []
    if batch:
        OrgUnit.objects.bulk_update(batch, ["name_initials"])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_access_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="orgunit",
            name="name_initials",
            field=core.fields.InitialsField(blank=True, db_index=True, default="", editable=False, max_length=255,
                                            source="name", verbose_name="pinyin initials of the name"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
