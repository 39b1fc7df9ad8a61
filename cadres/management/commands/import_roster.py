"""R-SEC-3: import a roster of secretaries (花名册) from .xlsx, .xls or CSV — every row checked, then all or nothing."""
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cadres.imports.readers import KIND_ROSTER, read_table
from cadres.imports.roster import roster_import_apply, roster_import_preview
from cadres.management.commands.import_units import command_user, format_errors


class Command(BaseCommand):
    help = "Import a roster of secretaries; nothing is written when any row is wrong."

    def add_arguments(self, parser):
        parser.add_argument("path")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--user", dest="username", help="Import as this user: only units of their subtree.")
        who.add_argument("--as-superuser", action="store_true", help="Import with access to every unit.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    def handle(self, *args, path, username=None, as_superuser=False, dry_run=False, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        user = command_user(username=username, as_superuser=as_superuser)
        try:
            table = read_table(file.read_bytes(), filename=file.name, kind=KIND_ROSTER)
            preview = roster_import_preview(user=user, rows=table)
            if preview.errors:
                for line in format_errors(preview.errors):
                    self.stderr.write(line)
                raise CommandError(f"{len(preview.errors)} error(s); nothing was written.")
            counts = preview.counts() if dry_run else roster_import_apply(user=user, preview=preview)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        summary = ", ".join(f"{k} {v}" for k, v in counts.items() if k != "errors")
        prefix = "Checked (nothing written)" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{prefix}: {summary}."))
