"""Model fields for personal data (R-SEC-1): encrypted text, and a keyed hash of it for lookups."""
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from core import crypto

ERR_NO_LOOKUP = ("{field} is encrypted: it cannot be filtered, searched or ordered on; "
                 "match its keyed hash instead (cadres.selectors.person_find_by_id_number).")


class EncryptedCharField(models.CharField):
    """Plain text in Python, a Fernet token in the database (a text column, in history tables too).

    ``max_length`` applies to the plaintext. The empty string is stored as is, so ``blank``
    keeps its meaning; any other value is encrypted with the newest key of ZHISHU_FIELD_KEYS.
    A token that no key opens raises instead of being shown as if it were the value.
    """

    def get_internal_type(self):
        return "TextField"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt_text(str(value))

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return _EmptyOnlyExact
        raise FieldError(ERR_NO_LOOKUP.format(field=self.name))


class _EmptyOnlyExact(Exact):
    """``phone=""`` still works (the empty string is stored as is); any other value could never match."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(ERR_NO_LOOKUP.format(field=self.lhs.target.name))
        return self.rhs


class KeyedHashField(models.CharField):
    """HMAC-SHA256 (ZHISHU_HASH_KEY) of another field of the row, computed whenever the row is written,
    bulk_create included (Django calls ``pre_save`` for every inserted object)."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("null", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("editable", False), ("null", True)):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        plain = getattr(model_instance, self.source)
        value = crypto.keyed_hash(plain) if plain else None
        setattr(model_instance, self.attname, value)
        return value


class InitialsField(models.CharField):
    """The pinyin initials of another field of the row (core.pinyin), computed whenever the row is
    written, ``bulk_create`` included, and indexed so a picker matches "zsy" to 张三一.

    ``bulk_update`` and ``QuerySet.update`` do not call ``pre_save``: code that renames through
    them sets the column itself (``InitialsField.fill``)."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def compute(self, model_instance) -> str:
        from core.pinyin import name_initials

        return name_initials(getattr(model_instance, self.source))[: self.max_length]

    def pre_save(self, model_instance, add):
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value

    @staticmethod
    def fill(objs, field_name: str = "name_initials") -> None:
        """Set the initials on unsaved changes before a ``bulk_update`` that includes the column."""
        for obj in objs:
            field = obj._meta.get_field(field_name)
            setattr(obj, field.attname, field.compute(obj))
