"""R-ORG-1: import a unit list (组织代码, 组织名称, 层级, 上级组织代码, 领域) from .csv, .xlsx or .xls — all or nothing."""
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cadres.imports.readers import KIND_UNITS, read_table
from cadres.imports.units import units_import


def command_user(*, username: str | None, as_superuser: bool):
    """The user the import acts for: a named user (their subtree), or an unsaved superuser stand-in."""
    User = get_user_model()
    if username:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user named {username}.") from None
    if as_superuser:
        return User(username="manage.py", is_superuser=True, is_active=True)
    raise CommandError("Give --user USERNAME or --as-superuser.")


def format_errors(errors: list[dict]) -> list[str]:
    return [f"第{e['row']}行 {e.get('column') or e.get('field') or ''}：{e['message']}" for e in errors]


class Command(BaseCommand):
    help = "Import units from a CSV (UTF-8 or GBK), .xlsx or .xls file; nothing is written when a row is wrong."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", dest="username", help="Import as this user (within their subtree).")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    def handle(self, *args, path, username=None, dry_run=False, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        user = command_user(username=username, as_superuser=not username)
        try:
            table = read_table(file.read_bytes(), filename=file.name, kind=KIND_UNITS)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        created, errors = units_import(user=user, table=table, dry_run=dry_run)
        if errors:
            for line in format_errors(errors):
                self.stderr.write(line)
            raise CommandError(f"{len(errors)} error(s); nothing was written.")
        verb = "would be created" if dry_run else "created"
        self.stdout.write(self.style.SUCCESS(f"{len(created)} units {verb} ({table.format}, {len(table.rows)} rows)."))
