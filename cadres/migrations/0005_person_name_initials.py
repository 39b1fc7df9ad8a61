"""Issue 8 item 3: pickers match a person's pinyin initials ("zsy" → 张三一); existing rows filled here."""
import core.fields
from django.db import migrations

CHUNK = 2000


def fill(apps, schema_editor):
    from core.pinyin import name_initials

    Person = apps.get_model("cadres", "Person")
    max_length = Person._meta.get_field("name_initials").max_length
    batch = []
    # only() keeps the encrypted columns out: nothing here needs a field key.
    for person in Person.objects.only("pk", "name").order_by("pk").iterator(chunk_size=CHUNK):
        person.name_initials = name_initials(person.name)[:max_length]
        batch.append(person)
        if len(batch) >= CHUNK:
            Person.objects.bulk_update(batch, ["name_initials"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["name_initials"])


class Migration(migrations.Migration):

    dependencies = [
        ("cadres", "0004_person_encrypted_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="name_initials",
            field=core.fields.InitialsField(blank=True, db_index=True, default="", editable=False, max_length=160,
                                            source="name", verbose_name="pinyin initials of the name"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
