"""``manage.py rotate_field_keys``: re-encrypt personal data with the newest key of ZHISHU_FIELD_KEYS (R-SEC-1).

Put the new key first in ZHISHU_FIELD_KEYS (keep the old ones after it), run this command,
then drop the old keys. Keyed hashes are recomputed with the current ZHISHU_HASH_KEY too.
"""
from django.core.management.base import BaseCommand

from core.crypto import field_keys_rotate


class Command(BaseCommand):
    help = "Re-encrypt every encrypted column with the newest key of ZHISHU_FIELD_KEYS and recompute keyed hashes."

    def handle(self, *args, **opts):
        for table, rows in field_keys_rotate().items():
            self.stdout.write(f"{table}: {rows} rows re-encrypted")
