"""R-SEC-1: encryption at rest of personal data, and the keyed hash that finds it again.

Keys come from the environment (``ZHISHU_FIELD_KEYS``: Fernet keys, newest first; ``ZHISHU_HASH_KEY``):
the newest key encrypts, every listed key decrypts, so a key is rotated by putting a new one
in front and running ``manage.py rotate_field_keys`` before the old one is dropped. The hash
key is separate so that a leaked database plus a leaked hash key still yields no plaintext.
"""
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

ERR_NO_FIELD_KEYS = "ZHISHU_FIELD_KEYS is empty: set one or more Fernet keys (newest first, comma-separated)."
ERR_BAD_FIELD_KEY = "ZHISHU_FIELD_KEYS holds a value that is not a Fernet key (32 url-safe base64 bytes)."
ERR_NO_HASH_KEY = "ZHISHU_HASH_KEY is empty: set a long random secret for the keyed hash of ID numbers."
ERR_UNREADABLE = "A stored value cannot be decrypted with any key of ZHISHU_FIELD_KEYS (a key was dropped too early?)."

TOKEN_PREFIX = "gAAAAA"  # every Fernet token starts with its version byte 0x80 and a timestamp


@functools.cache
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(ERR_NO_FIELD_KEYS)
    try:
        return MultiFernet([Fernet(k.strip().encode()) for k in keys])
    except (ValueError, TypeError):
        raise ImproperlyConfigured(ERR_BAD_FIELD_KEY) from None


def field_fernet() -> MultiFernet:
    return _multi_fernet(tuple(k for k in settings.ZHISHU_FIELD_KEYS if k.strip()))


def encrypt_text(value: str) -> str:
    return field_fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return field_fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError):
        raise ImproperlyConfigured(ERR_UNREADABLE) from None


def rotate_token(token: str) -> str:
    """The same plaintext encrypted with the newest key (MultiFernet.rotate)."""
    try:
        return field_fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError):
        raise ImproperlyConfigured(ERR_UNREADABLE) from None


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of ``value`` under ZHISHU_HASH_KEY, hex: equal values give equal hashes, for lookup and UNIQUE."""
    key = settings.ZHISHU_HASH_KEY
    if not key:
        raise ImproperlyConfigured(ERR_NO_HASH_KEY)
    return hmac.new(key.encode("utf-8"), value.encode("utf-8"), hashlib.sha256).hexdigest()


def _reset(*, setting, **kwargs):
    if setting == "ZHISHU_FIELD_KEYS":
        _multi_fernet.cache_clear()


setting_changed.connect(_reset)


def field_keys_rotate(*, chunk: int = 2000) -> dict[str, int]:
    """Re-encrypt every encrypted column of every model (history tables included) with the newest key,
    and recompute every keyed hash with the current ZHISHU_HASH_KEY; returns rows rewritten per table.

    Raw SQL over the stored tokens: no model is loaded, no history row is written and
    ``updated_at`` stays as it was — the values do not change, only their encryption.
    """
    from django.apps import apps
    from django.db import connection, transaction

    from core.fields import EncryptedCharField, KeyedHashField

    qn = connection.ops.quote_name
    done: dict[str, int] = {}
    for model in apps.get_models():
        fields = model._meta.concrete_fields
        encrypted = [f for f in fields if isinstance(f, EncryptedCharField)]
        if not encrypted or model._meta.proxy or not model._meta.managed:
            continue
        hashes = [f for f in fields if isinstance(f, KeyedHashField)]
        by_name = {f.name: f for f in encrypted}
        pk = model._meta.pk.column
        columns = [f.column for f in encrypted]
        set_columns = columns + [f.column for f in hashes]
        sql_update = (f"UPDATE {qn(model._meta.db_table)} SET "
                      + ", ".join(f"{qn(c)} = %s" for c in set_columns) + f" WHERE {qn(pk)} = %s")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT {qn(pk)}, {', '.join(qn(c) for c in columns)} FROM {qn(model._meta.db_table)}")
            rows = cursor.fetchall()
            for start in range(0, len(rows), chunk):
                batch = []
                for row in rows[start:start + chunk]:
                    tokens = dict(zip([f.name for f in encrypted], row[1:]))
                    values = [rotate_token(t) if t else t for t in tokens.values()]
                    for h in hashes:
                        token = tokens.get(h.source)
                        plain = decrypt_text(token) if token and h.source in by_name else None
                        values.append(keyed_hash(plain) if plain else None)
                    batch.append((*values, row[0]))
                cursor.executemany(sql_update, batch)
        done[model._meta.db_table] = len(rows)
    return done


def check_keys(app_configs=None, **kwargs):
    """System check (runs with every manage.py command and at startup): the keys are there and usable."""
    from django.core.checks import Error

    errors = []
    try:
        field_fernet()
    except ImproperlyConfigured as exc:
        errors.append(Error(str(exc), id="zhishu.E001"))
    if not settings.ZHISHU_HASH_KEY:
        errors.append(Error(ERR_NO_HASH_KEY, id="zhishu.E002"))
    return errors
