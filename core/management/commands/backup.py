"""manage.py backup [FOLDER]: the database, the media folder and a manifest — not the keys."""
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.services.backup import KEY_VARIABLES, backup_create, backup_default_folder


class Command(BaseCommand):
    help = ("Back up the database (pg_dump -Fc, or SQLite's backup API) and the media folder (tar) into a new "
            "folder, with a manifest of row counts. The keys (" + ", ".join(KEY_VARIABLES) + ") are NOT in the "
            "backup: keep them separately, a restore cannot read encrypted fields without them.")

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", type=Path, help="New folder (default backups/<date-time>/).")
        parser.add_argument("--no-media", action="store_true", help="Leave the media folder out.")

    def handle(self, *args, folder=None, no_media=False, **options):
        folder = folder or backup_default_folder()
        try:
            manifest = backup_create(target=folder, include_media=not no_media)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"Backup written to {folder}: {', '.join(manifest['files'])}; "
                          f"{rows} rows in {len(manifest['counts'])} tables.")
        unset = [name for name, fp in manifest["key_fingerprints"].items() if fp is None]
        self.stdout.write(self.style.WARNING(
            "Not in the backup — keep these separately: " + ", ".join(KEY_VARIABLES)
            + (f" (not set here: {', '.join(unset)})" if unset else "")))
