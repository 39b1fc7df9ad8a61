"""R-SEC-1: ID numbers and phones encrypted at rest, in cadres_person and cadres_historicalperson,
with a keyed hash of the ID number carrying the uniqueness. Existing rows are converted in place."""
import core.fields
from django.db import migrations

TABLES = (("cadres_person", "id"), ("cadres_historicalperson", "history_id"))
CHUNK = 2000


def _convert(schema_editor, transform_id, transform_phone, make_hash):
    connection = schema_editor.connection
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, pk in TABLES:
            cursor.execute(f"SELECT {qn(pk)}, id_number, phone FROM {qn(table)} ORDER BY {qn(pk)}")
            rows = cursor.fetchall()
            for start in range(0, len(rows), CHUNK):
                batch = []
                for row_id, id_number, phone in rows[start:start + CHUNK]:
                    plain_id = transform_id(id_number)
                    batch.append((plain_id[1], transform_phone(phone), make_hash(plain_id[0]), row_id))
                cursor.executemany(
                    f"UPDATE {qn(table)} SET id_number = %s, phone = %s, id_number_hash = %s WHERE {qn(pk)} = %s",
                    batch,
                )


def encrypt_rows(apps, schema_editor):
    from core import crypto

    def encrypt(value):
        if not value or value.startswith(crypto.TOKEN_PREFIX):
            return value
        return crypto.encrypt_text(value)

    def id_pair(value):  # (plaintext for the hash, stored value)
        if not value:
            return value, value
        plain = crypto.decrypt_text(value) if value.startswith(crypto.TOKEN_PREFIX) else value
        return plain, encrypt(value)

    _convert(schema_editor, id_pair, encrypt, lambda plain: crypto.keyed_hash(plain) if plain else None)


def decrypt_rows(apps, schema_editor):
    from core import crypto

    def decrypt(value):
        return crypto.decrypt_text(value) if value and value.startswith(crypto.TOKEN_PREFIX) else value

    _convert(schema_editor, lambda v: (None, decrypt(v)), decrypt, lambda plain: None)


class Migration(migrations.Migration):

    dependencies = [
        ('cadres', '0003_person_full_name_label'),
    ]

    operations = [
        migrations.AlterField(
            model_name='person',
            name='id_number',
            field=core.fields.EncryptedCharField(max_length=18, verbose_name='resident ID number'),
        ),
        migrations.AlterField(
            model_name='historicalperson',
            name='id_number',
            field=core.fields.EncryptedCharField(max_length=18, verbose_name='resident ID number'),
        ),
        migrations.AlterField(
            model_name='person',
            name='phone',
            field=core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='phone'),
        ),
        migrations.AlterField(
            model_name='historicalperson',
            name='phone',
            field=core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='phone'),
        ),
        migrations.AddField(
            model_name='person',
            name='id_number_hash',
            field=core.fields.KeyedHashField(source='id_number', verbose_name='resident ID number (keyed hash)'),
        ),
        migrations.AddField(
            model_name='historicalperson',
            name='id_number_hash',
            field=core.fields.KeyedHashField(db_index=True, source='id_number',
                                             verbose_name='resident ID number (keyed hash)'),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
        migrations.AlterField(
            model_name='person',
            name='id_number_hash',
            field=core.fields.KeyedHashField(source='id_number', unique=True,
                                             verbose_name='resident ID number (keyed hash)'),
        ),
    ]
