"""``manage.py seed_demo``: a realistic demo jurisdiction (issue item 9); the generator is cadres.demo."""
import datetime as dt

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cadres.demo import DEFAULT_PASSWORD, DEMO_USERNAMES, demo_seed, demo_units_count


class Command(BaseCommand):
    help = (
        "Fill an empty registry with a demo city: counties, townships and streets, system committees, "
        "branches of every sector, secretaries with their appointment histories, deputies, reserve "
        "candidates, policies and five logins. Refuses when units exist, unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--branches", type=int, default=200,
                            help="Number of branches and general branches to create (default 200).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--password", default=DEFAULT_PASSWORD,
                            help=f"Password of the demo logins (default {DEFAULT_PASSWORD}).")
        parser.add_argument("--reset", action="store_true",
                            help="Delete the demo data (units and everything on them, the demo logins) first.")
        parser.add_argument("--if-empty", action="store_true",
                            help="Seed only when there are no units yet; otherwise just list the demo logins "
                                 "(what ./dev run uses, so running it twice keeps your data).")
        parser.add_argument("--no-history", action="store_true",
                            help="Skip the per-row history records (for benchmark sizes); the seed_demo job "
                                 "row remains the audit record of the whole seeding.")
        parser.add_argument("--chunk", type=int, default=5000, help="Rows per bulk insert (default 5000).")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None,
                            help="Date the data is current on, YYYY-MM-DD (default today).")

    def handle(self, *args, **opts):
        if opts["if_empty"] and demo_units_count():
            self.stdout.write(_("Units exist already; nothing seeded. Demo logins (password {password}): {logins}").format(
                password=opts["password"], logins=", ".join(DEMO_USERNAMES)))
            return
        try:
            result = demo_seed(
                branches=opts["branches"], seed=opts["seed"], password=opts["password"],
                history=not opts["no_history"], chunk=opts["chunk"], as_of=opts["as_of"], reset=opts["reset"],
                progress=lambda msg: self.stdout.write(msg),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        counts = result.counts
        self.stdout.write(self.style.SUCCESS(
            _("Seeded {units} units ({branches} branches), {people} people, {appointments} appointments and "
              "{reserves} reserve candidates in {seconds:.1f} s.").format(
                units=counts["units"], branches=counts["branches"], people=counts["people"],
                appointments=counts["appointments"], reserves=counts["reserve_candidates"], seconds=result.seconds)
        ))
        extra = [(_count_label(key), n) for key, n in counts.items() if key not in REGISTRY_COUNTS]
        if extra:  # what receivers of demo_seeded added (training, assessment, ...)
            self.stdout.write(self.style.SUCCESS("  " + " · ".join(f"{label} {n:,}" for label, n in extra)))
        rows = [(_("login"), _("role"), _("unit"), _("password"))]
        for login in result.logins:
            rows.append((login.username, login.role, login.unit,
                         opts["password"] if login.new_password else _("(existing login, unchanged)")))
        widths = [max(_width(r[i]) for r in rows) for i in range(4)]
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(_pad(cell, w) for cell, w in zip(row, widths)).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))


REGISTRY_COUNTS = frozenset({"units", "branches", "people", "appointments", "reserve_candidates"})


def _count_label(key: str) -> str:
    """A count's label: the model's plural name for a model label (``training.Course``), else the key."""
    if "." in key:
        try:
            return str(apps.get_model(key)._meta.verbose_name_plural)
        except (LookupError, ValueError):
            pass
    return key.replace("_", " ")


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def _pad(text: str, width: int) -> str:
    return str(text) + " " * (width - _width(text))
