"""R-ASM-3: democratic evaluation — a reproducible random sample and anonymous ballots."""
import math
import random
import secrets
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assessment.choices import RATING_ALIASES, Rating
from assessment.models import AssessmentCycle, EvaluationRating, EvaluationSample
from core.choices import BRANCH_LEVELS
from core.services.policies import policy_effective

ERR_NOT_A_BRANCH = _("Only a branch is evaluated by its members.")
ERR_NO_MEMBERS = _("The branch has no members on record; enter its member count first.")
ERR_SAMPLE_EXISTS = _("The sample of this branch and year is drawn already.")
ERR_RATING = _("Row {row}: unknown rating {value}; use 好, 较好, 一般 or 差.")
ERR_TOO_MANY = _("{count} ballots would exceed the sample of {size} members.")
ERR_YEAR_PUBLISHED = _("The {year} assessment is published; ballots can no longer change.")
ERR_EMPTY_FILE = _("The file holds no rating.")
ERR_BAD_FILE = _("The file is not an Excel workbook (.xlsx).")


def evaluation_sample_size(*, members: int, policy) -> int:
    """R-ASM-3: the policy's share of the members rounded up, at least its minimum where there are enough."""
    by_share = math.ceil(Decimal(members) * Decimal(policy.evaluation_sample_share))
    return min(members, max(by_share, policy.evaluation_sample_min))


def evaluation_draw_numbers(*, seed: int, members: int, size: int) -> list[int]:
    """R-ASM-3: the roster numbers drawn by ``seed`` — the same seed always draws the same members."""
    return sorted(random.Random(seed).sample(range(1, members + 1), size))


def year_published(*, unit, year: int) -> bool:
    return AssessmentCycle.objects.filter(unit__path__in=unit.ancestor_paths(), year=year,
                                          published_at__isnull=False).exists()


def evaluation_sample_draw(*, unit, year: int, by, seed: int | None = None) -> EvaluationSample:
    """R-ASM-3: draw the evaluators of a branch at random, recording the seed and the numbers drawn."""
    if unit.level not in BRANCH_LEVELS:
        raise ValidationError({"unit": [ERR_NOT_A_BRANCH]})
    if not unit.members:
        raise ValidationError({"unit": [ERR_NO_MEMBERS]})
    if EvaluationSample.objects.filter(unit=unit, year=year).exists():
        raise ValidationError({"unit": [ERR_SAMPLE_EXISTS]})
    policy = policy_effective(unit=unit, year=year)
    seed = secrets.randbits(62) if seed is None else seed
    size = evaluation_sample_size(members=unit.members, policy=policy)
    return EvaluationSample.objects.create(
        unit=unit, year=year, seed=seed, member_count=unit.members, sample_size=size,
        drawn=evaluation_draw_numbers(seed=seed, members=unit.members, size=size),
        policy=policy.explain("evaluation_sample_share", "evaluation_sample_min"), created_by=by)


def evaluation_sample_verify(*, sample: EvaluationSample) -> bool:
    """R-ASM-3: an auditor redraws from the recorded seed and compares."""
    return evaluation_draw_numbers(seed=sample.seed, members=sample.member_count,
                                   size=sample.sample_size) == list(sample.drawn)


def parse_rating(value, *, row: int) -> str:
    text = str(value or "").strip()
    if text in Rating.values:
        return text
    if text in RATING_ALIASES:
        return RATING_ALIASES[text]
    raise ValidationError({"ratings": [ERR_RATING.format(row=row, value=text or "—")]})


def evaluation_ratings_record(*, sample: EvaluationSample, ratings: Sequence[str], by) -> int:
    """R-ASM-3: add anonymous ballots (答案 only, no evaluator) to a sample, never more than it drew."""
    values = [parse_rating(v, row=i) for i, v in enumerate(ratings, start=1)]
    with transaction.atomic():
        sample = EvaluationSample.objects.select_for_update(of=("self",)).select_related("unit").get(pk=sample.pk)
        if year_published(unit=sample.unit, year=sample.year):
            raise ValidationError({"ratings": [ERR_YEAR_PUBLISHED.format(year=sample.year)]})
        count = sample.ratings.count() + len(values)
        if count > sample.sample_size:
            raise ValidationError({"ratings": [ERR_TOO_MANY.format(count=count, size=sample.sample_size)]})
        # Shuffled so that the row order in the table says nothing about the order of entry.
        random.shuffle(values)
        EvaluationRating.objects.bulk_create([EvaluationRating(sample=sample, rating=v) for v in values])
    return len(values)


def evaluation_ratings_import(*, sample: EvaluationSample, file, by) -> int:
    """R-ASM-3, R-SEC-3: ballots from an Excel sheet, one rating a row in the first column, all or nothing."""
    import io
    import os

    from openpyxl import load_workbook

    from core.uploads import rows_bounded, upload_read, workbook_check

    # R-SEC-3: the file's size, its unpacked size and its declared rows before openpyxl opens it.
    name = os.path.basename(getattr(file, "name", "") or "") or "?"
    data = upload_read(file)
    workbook_check(data=data, name=name)
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # noqa: BLE001 — any unreadable upload gets the same message
        raise ValidationError({"file": [ERR_BAD_FILE]}) from None
    sheet.reset_dimensions()
    values, errors = [], []
    for n, row in rows_bounded(enumerate(sheet.iter_rows(values_only=True), start=1), name=name, sheet=sheet.title):
        cell = row[0] if row else None
        if cell in (None, "") or (n == 1 and str(cell).strip() in ("评价", "rating", "Rating")):
            continue
        try:
            values.append(parse_rating(cell, row=n))
        except ValidationError as exc:
            errors.extend(exc.message_dict["ratings"])
    if errors:
        raise ValidationError({"file": errors})
    if not values:
        raise ValidationError({"file": [ERR_EMPTY_FILE]})
    return evaluation_ratings_record(sample=sample, ratings=values, by=by)
