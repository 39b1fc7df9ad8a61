"""Backup and restore: the database (pg_dump -Fc / pg_restore, or SQLite's online backup API),
the media folder as a tar, and a manifest with the row count of every table at the same instant.

The keys are never in a backup: ``DJANGO_SECRET_KEY``, ``ZHISHU_FIELD_KEYS`` (the encryption keys
of ID numbers and phones) and ``ZHISHU_HASH_KEY`` (their lookup hash) must be kept separately;
without the same keys a restored database cannot be read. The manifest records only a short
fingerprint of each key, so ``backup_check`` can say that a restore runs with other keys.
"""
import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_VARIABLES = ("DJANGO_SECRET_KEY", "ZHISHU_FIELD_KEYS", "ZHISHU_HASH_KEY")
DB_PG, DB_SQLITE, MEDIA_TAR, MANIFEST = "database.dump", "database.sqlite3", "media.tar.gz", "manifest.json"

ERR_ENGINE = _("Backups support PostgreSQL and SQLite only, not {engine}.")
ERR_NOT_A_BACKUP = _("{path} holds no backup (no manifest.json).")
ERR_NOT_EMPTY = _("{path} exists and is not empty; choose a new folder for the backup.")
ERR_TOOL_FAILED = _("{tool} failed: {error}")


def _tables() -> list[type[models.Model]]:
    """Every table the project stores (m2m tables included), one model each."""
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]


def key_fingerprints() -> dict[str, str | None]:
    """A short hash of each key variable (never the key), or None when it is not set."""
    out = {}
    for name in KEY_VARIABLES:
        value = os.environ.get(name)
        out[name] = hashlib.sha256(value.encode()).hexdigest()[:12] if value else None
    return out


def _engine() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise ValidationError(ERR_ENGINE.format(engine=engine))


def _pg_env_args(db: dict) -> tuple[dict, list[str]]:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return env, args


def _run(cmd: list[str], env: dict) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode:
        raise ValidationError(ERR_TOOL_FAILED.format(tool=cmd[0], error=done.stderr.strip()[-2000:]))


def backup_create(*, target: Path, include_media: bool = True) -> dict:
    """Write a backup into the new folder ``target``; returns the manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise ValidationError(ERR_NOT_EMPTY.format(path=target))
    target.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    db = settings.DATABASES["default"]
    if engine == "postgresql":
        # One snapshot for the dump and the counts: pg_dump joins this transaction's snapshot.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                env, args = _pg_env_args(db)
                _run(["pg_dump", "-Fc", "--no-owner", "--no-acl", f"--snapshot={snapshot}", *args,
                      "-f", str(target / DB_PG), db["NAME"]], env)
                counts = {m._meta.label: m._base_manager.count() for m in _tables()}
        files = [DB_PG]
    else:
        connection.ensure_connection()
        destination = sqlite3.connect(target / DB_SQLITE)
        try:
            connection.connection.backup(destination)  # a consistent copy, even while others write
        finally:
            destination.close()
        with sqlite3.connect(target / DB_SQLITE) as copy:
            counts = {m._meta.label: copy.execute(f'SELECT COUNT(*) FROM "{m._meta.db_table}"').fetchone()[0]
                      for m in _tables()}
        files = [DB_SQLITE]
    media = Path(settings.MEDIA_ROOT)
    if include_media:
        with tarfile.open(target / MEDIA_TAR, "w:gz") as tar:
            if media.is_dir():
                tar.add(media, arcname="media")
        files.append(MEDIA_TAR)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "database": str(db["NAME"]),
        "files": {name: _sha256(target / name) for name in files},
        "counts": counts,
        "keys_not_included": list(KEY_VARIABLES),
        "key_fingerprints": key_fingerprints(),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup_manifest(*, source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise ValidationError(ERR_NOT_A_BACKUP.format(path=source))
    return json.loads(path.read_text())


def backup_restore(*, source: Path, include_media: bool = True) -> dict:
    """Restore a backup into the configured database (best a fresh, empty one) and media folder."""
    source = Path(source)
    manifest = backup_manifest(source=source)
    db = settings.DATABASES["default"]
    if manifest["engine"] != _engine():
        raise ValidationError(ERR_ENGINE.format(engine=f"{manifest['engine']} → {_engine()}"))
    if manifest["engine"] == "postgresql":
        connection.close()
        env, args = _pg_env_args(db)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl", "--exit-on-error",
              "--single-transaction", *args, "-d", db["NAME"], str(source / DB_PG)], env)
    else:
        connection.close()
        origin = sqlite3.connect(source / DB_SQLITE)
        destination = sqlite3.connect(db["NAME"])
        try:
            origin.backup(destination)
        finally:
            origin.close()
            destination.close()
    if include_media and (source / MEDIA_TAR).is_file():
        media = Path(settings.MEDIA_ROOT)
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / MEDIA_TAR, "r:gz") as tar:
            members = [m for m in tar.getmembers() if m.name.startswith("media/")]
            for member in members:
                member.name = member.name[len("media/"):]
            tar.extractall(media, members=members, filter="data")
    return manifest


def backup_check(*, source: Path | None = None) -> dict:
    """Read every record of every table through the ORM (every field, str() of each object, so
    encrypted fields are decrypted) and check that each stored file exists; with ``source``,
    compare the counts with the backup's manifest and the keys with its fingerprints."""
    counts, missing_files = {}, []
    for model in _tables():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        n = 0
        for obj in model._base_manager.order_by().iterator(chunk_size=2000):
            str(obj)
            for field in model._meta.concrete_fields:
                field.value_from_object(obj)
            for field in file_fields:
                name = field.value_from_object(obj)
                name = getattr(name, "name", name)
                if name and not default_storage.exists(name):
                    missing_files.append(f"{model._meta.label}#{obj.pk}:{name}")
            n += 1
        counts[model._meta.label] = n
    report = {"counts": counts, "missing_files": missing_files, "ok": not missing_files}
    if source is not None:
        manifest = backup_manifest(source=source)
        mismatches = {label: {"backup": manifest["counts"].get(label), "restored": counts.get(label)}
                      for label in sorted(set(manifest["counts"]) | set(counts))
                      if manifest["counts"].get(label) != counts.get(label)}
        keys = {name: "differs" for name, fp in manifest.get("key_fingerprints", {}).items()
                if fp != key_fingerprints().get(name)}
        report.update(mismatches=mismatches, keys_differ=sorted(keys), ok=not missing_files and not mismatches)
    return report


def backup_default_folder() -> Path:
    return Path(settings.BASE_DIR) / "backups" / dt.datetime.now().strftime("%Y%m%d-%H%M%S")

