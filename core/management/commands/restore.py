"""manage.py restore FOLDER --yes: a backup into the configured (best fresh) database and media folder."""
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.services.backup import KEY_VARIABLES, backup_check, backup_restore


class Command(BaseCommand):
    help = ("Restore a backup made by `manage.py backup` into the database of DATABASE_URL (pg_restore --clean "
            "--if-exists, or a SQLite copy) and the media folder, then read every record and compare the counts. "
            "Set the same " + ", ".join(KEY_VARIABLES) + " as when the backup was made.")

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--yes", action="store_true", help="Replace the configured database's contents.")
        parser.add_argument("--no-media", action="store_true", help="Leave the media folder as it is.")
        parser.add_argument("--no-check", action="store_true", help="Skip reading every record afterwards.")

    def handle(self, *args, folder, yes=False, no_media=False, no_check=False, **options):
        if not yes:
            raise CommandError("restore replaces the configured database's contents; add --yes to go ahead.")
        try:
            backup_restore(source=folder, include_media=not no_media)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Restored {folder}.")
        if no_check:
            return
        report = backup_check(source=folder)
        self.stdout.write(json.dumps({k: v for k, v in report.items() if k != "counts"}, ensure_ascii=False))
        if report.get("keys_differ"):
            self.stdout.write(self.style.WARNING("These keys differ from the backup's: "
                                                 + ", ".join(report["keys_differ"])))
        if not report["ok"]:
            raise CommandError("The restored data does not match the backup (see above).")
        self.stdout.write(self.style.SUCCESS(f"{sum(report['counts'].values())} records read, counts match."))
