"""Backup and restore (issue 7, item 8): `manage.py backup` then `manage.py restore` into a FRESH database.

The restored instance is a separate process on the new database and a new media folder; it reads
every record of every model through the ORM (``backup_check``: str() and every field, so encrypted
fields are decrypted with the keys from the environment) and its counts equal the original's.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from core.models import Job, User
from core.services.backup import KEY_VARIABLES, backup_check, backup_manifest

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def _seed_small_world() -> Job:
    call_command("seed_demo", branches=50, seed=7, verbosity=0, stdout=open(os.devnull, "w"))
    job = Job.objects.create(kind="enterprise_coverage_export", created_by=User.objects.order_by("pk").first())
    job.file.save("coverage.xlsx", ContentFile(b"not really a workbook"))  # a stored file under media/
    return job


@pytest.fixture
def fresh_database():
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("the restore test needs PostgreSQL in CI")
        pytest.skip("the restore test needs PostgreSQL (set DATABASE_URL): it restores with pg_restore "
                    "into a fresh database")
    name = f"{settings.DATABASES['default']['NAME']}_restored"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_then_restore_into_a_fresh_database_reads_every_record(fresh_database, tmp_path):
    job = _seed_small_world()
    before = backup_check()
    assert before["ok"] and before["counts"]["cadres.Person"] > 50 and before["counts"]["core.OrgUnit"] > 50

    out = tmp_path / "backup"
    call_command("backup", str(out), stdout=(log := open(tmp_path / "backup.log", "w")))
    log.close()
    printed = (tmp_path / "backup.log").read_text()
    assert all(name in printed for name in KEY_VARIABLES)  # the keys are named: keep them separately
    manifest = backup_manifest(source=out)
    assert manifest["counts"] == before["counts"] and manifest["keys_not_included"] == list(KEY_VARIABLES)
    assert {"database.dump", "media.tar.gz"} <= set(manifest["files"])

    db = settings.DATABASES["default"]
    media = tmp_path / "restored-media"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{fresh_database}",
           "ZHISHU_TEST_MEDIA_ROOT": str(media)}
    restored = _manage("restore", str(out), "--yes", env=env)
    assert restored.returncode == 0, restored.stderr + restored.stdout
    assert (media / job.file.name).read_bytes() == b"not really a workbook"

    checked = _manage("backup_check", str(out), env=env)
    assert checked.returncode == 0, checked.stderr + checked.stdout
    report = json.loads(checked.stdout)
    assert report["ok"] and report["mismatches"] == {} and report["missing_files"] == []
    assert report["counts"] == before["counts"]
    assert sum(report["counts"].values()) > 1000


def test_restore_refuses_without_yes_and_a_folder_without_a_manifest(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path))
    with pytest.raises(CommandError, match="manifest.json"):
        call_command("restore", str(tmp_path), yes=True)


def test_a_sqlite_backup_is_a_consistent_copy_with_its_counts(world, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite copy is tested on SQLite (the PostgreSQL pair above covers PostgreSQL)")
    import sqlite3

    from core.services.backup import backup_create

    manifest = backup_create(target=tmp_path / "b")
    assert manifest["engine"] == "sqlite" and manifest["counts"] == backup_check()["counts"]
    with sqlite3.connect(tmp_path / "b" / "database.sqlite3") as copy:
        assert copy.execute("SELECT COUNT(*) FROM cadres_person").fetchone()[0] == manifest["counts"]["cadres.Person"]
