"""R-ASM-3: democratic evaluation — a reproducible random sample and anonymous ballots."""
import math
import random
import secrets
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
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
ERR_CLOSED = _("The evaluation is closed; no more ballots can be entered.")
ERR_ALREADY_CLOSED = _("The evaluation is closed already.")
ERR_CLOSE_STAFF_ONLY = _("Only staff close an evaluation.")
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


def evaluation_is_closed(*, sample: EvaluationSample) -> bool:
    """R-ASM-3: closed by staff, or past the evaluations-due date (or published) of a cycle over the branch."""
    return EvaluationSample.objects.filter(pk=sample.pk).closed().exists()


def evaluation_close(*, evaluation: EvaluationSample, user) -> EvaluationSample:
    """R-ASM-3: staff close a sample before its due date; one way — its aggregate shows, no ballot is added."""
    if not (user.is_superuser or user.is_staff_role):
        raise PermissionDenied(ERR_CLOSE_STAFF_ONLY)
    with transaction.atomic():
        sample = EvaluationSample.objects.select_for_update(of=("self",)).get(pk=evaluation.pk)
        if evaluation_is_closed(sample=sample):
            raise ValidationError({"closed_at": [ERR_ALREADY_CLOSED]})
        sample.closed_at, sample.closed_by = timezone.now(), user
        sample.save(update_fields=["closed_at", "closed_by"])
    return sample


def evaluation_samples_keep_closed(*, cycle: AssessmentCycle) -> int:
    """R-ASM-3: before a cycle's dates, unit or year change or the cycle goes, stamp the samples
    it closes (past its evaluations-due date, or published) so that they stay closed: an
    aggregate once readable must never again take a ballot. Runs from pre_save and pre_delete."""
    stored = AssessmentCycle.objects.filter(pk=cycle.pk).select_related("unit").first() if cycle.pk else None
    if stored is None or not (stored.published_at or stored.evaluations_due < timezone.localdate()):
        return 0
    return EvaluationSample.objects.filter(unit__path__startswith=stored.unit.path, year=stored.year,
                                           closed_at__isnull=True).update(closed_at=timezone.now())


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
        if evaluation_is_closed(sample=sample):
            # Once the aggregate can be read, a further ballot would show by differencing.
            raise ValidationError({"ratings": [ERR_CLOSED]})
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

    if evaluation_is_closed(sample=sample):
        raise ValidationError({"file": [ERR_CLOSED]})
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
