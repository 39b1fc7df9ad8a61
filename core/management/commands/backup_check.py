"""manage.py backup_check [FOLDER]: read every record of every table; with FOLDER, compare with its manifest."""
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.services.backup import backup_check


class Command(BaseCommand):
    help = ("Read every record of every model through the ORM (decrypting encrypted fields) and check the stored "
            "files exist; with a backup folder, compare the counts with its manifest. Prints JSON.")

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", type=Path)

    def handle(self, *args, folder=None, **options):
        report = backup_check(source=folder)
        self.stdout.write(json.dumps(report, ensure_ascii=False))
        if not report["ok"]:
            raise CommandError("The data does not match the backup.")
