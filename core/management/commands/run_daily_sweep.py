"""manage.py run_daily_sweep [--date YYYY-MM-DD] [--only PART …]: the one daily sweep now (R-JOB-2)."""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.sweeps import daily_sweep_run, registered_sweeps


class Command(BaseCommand):
    help = ("Run the daily deadline sweep (R-JOB-2) now, as beat does at 06:00, and print the new notices of "
            "each part. Safe to run again: a notice already sent is not sent twice.")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to sweep for, YYYY-MM-DD (default today).")
        parser.add_argument("--only", action="append", metavar="PART",
                            help="Run only this part (repeatable, or comma-separated); see the list below.")

    def handle(self, *args, date=None, only=None, **options):
        try:
            as_of = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date: {date!r} is not a date of the form YYYY-MM-DD.") from None
        parts = {s.name: s for s in registered_sweeps()}
        names = [n.strip() for value in (only or []) for n in value.split(",") if n.strip()] or None
        unknown = sorted(set(names or []) - set(parts))
        if unknown:
            raise CommandError(f"--only: no part named {', '.join(unknown)}; the parts are: {', '.join(parts)}.")
        counts = daily_sweep_run(as_of=as_of, only=names)
        self.stdout.write(f"Daily sweep for {as_of.isoformat()}:")
        for name, count in counts.items():
            self.stdout.write(f"  {name} ({parts[name].label}): {count} new notice{'' if count == 1 else 's'}")
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"{total} new notice{'' if total == 1 else 's'} in all."))
