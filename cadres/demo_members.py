"""Demo data for R-MEM-1: new members of every village branch over the last three years, a few flagged.

Connected to ``cadres.demo.demo_seeded`` in ``CadresConfig.ready()``. Deterministic in ``seed``;
rows go in by chunks with ``bulk_create``, whatever the number of branches.
"""
import random

from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cadres.choices import MemberDevelopmentSource
from cadres.models import MemberDevelopment
from core.choices import BRANCH_LEVELS, Sector
from core.models import OrgUnit

CHANGE_REASON = "seed_demo"
# Every so many villages (by position, so that a small demo has each case): flagged this year,
# flagged last year, this year not recorded; the rest develop members (an odd year without).
FLAGGED_NOW, FLAGGED_LAST_YEAR, NOT_RECORDED = 13, 17, 11


def member_counts(rng: random.Random, index: int, year: int) -> dict[int, int | None]:
    """The ``index``-th village's new members for year-2 .. year (None: not recorded)."""
    some = lambda: rng.randint(1, 4)  # noqa: E731
    if index % FLAGGED_NOW == 3:
        return {year - 2: some(), year - 1: 0, year: 0}
    if index % FLAGGED_LAST_YEAR == 5:
        return {year - 2: 0, year - 1: 0, year: some()}
    if index % NOT_RECORDED == 7:
        return {year - 2: some(), year - 1: 0, year: None}
    return {year - 2: 0 if rng.random() < 0.2 else some(), year - 1: some(),
            year: 0 if rng.random() < 0.2 else some()}


def seed_member_development(sender, *, seed: int, as_of, history: bool, chunk: int, progress, result,
                            **kwargs) -> None:
    """Receiver of ``demo_seeded``: R-MEM-1 rows for the freshly seeded village branches."""
    rng = random.Random(f"members-{seed}")
    year, stamp = as_of.year, timezone.now()
    ids = (OrgUnit.objects.filter(sector=Sector.VILLAGE, level__in=BRANCH_LEVELS)
           .order_by("path").values_list("pk", flat=True))
    total, batch = 0, []

    def flush():
        nonlocal total
        if not batch:
            return
        if history:
            bulk_create_with_history(batch, MemberDevelopment, batch_size=chunk, default_change_reason=CHANGE_REASON,
                                     default_date=stamp)
        else:
            MemberDevelopment.objects.bulk_create(batch, batch_size=chunk)
        total += len(batch)
        batch.clear()
        connection.queries_log.clear()

    for index, unit_id in enumerate(ids.iterator(chunk_size=max(chunk, 100))):
        for y, n in member_counts(rng, index, year).items():
            if n is not None:
                batch.append(MemberDevelopment(unit_id=unit_id, year=y, new_members=n,
                                               source=MemberDevelopmentSource.IMPORTED))
        if len(batch) >= chunk:
            flush()
    flush()
    result.counts["cadres.MemberDevelopment"] = total
    progress(f"  member development: {total:,} rows")
