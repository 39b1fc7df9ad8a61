"""Enumerations of the annual assessment (R-ASM, R-CLS, R-HON)."""
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    """R-CLS-1: the four tiers of a branch's year."""

    GOOD = "good", _("Good")
    FAIRLY_GOOD = "fairly_good", _("Fairly good")
    AVERAGE = "average", _("Average")
    POOR = "poor", _("Poor")


# Higher is better; "moved up" and "moved down" compare these ranks (R-CLS-4, R-CLS-5).
TIER_RANK = {Tier.POOR: 0, Tier.AVERAGE: 1, Tier.FAIRLY_GOOD: 2, Tier.GOOD: 3}


class Rating(models.TextChoices):
    """R-ASM-3: what one member answers about the secretary (好/较好/一般/差)."""

    GOOD = "good", _("Good")
    FAIRLY_GOOD = "fairly_good", _("Fairly good")
    AVERAGE = "average", _("Average")
    POOR = "poor", _("Poor")


DEFAULT_RATING_POINTS = {
    Rating.GOOD: Decimal("100"),
    Rating.FAIRLY_GOOD: Decimal("80"),
    Rating.AVERAGE: Decimal("60"),
    Rating.POOR: Decimal("0"),
}
"""Points of each member rating in the member score (R-ASM-4).

None of the seed documents fixes these numbers, so they are a default kept here, not a
policy field yet. When a jurisdiction needs other points they become four Policy fields
(``rating_points_good`` …) resolved like every other number (R-POL-1); the services take
the mapping as an argument so that change touches only the caller.
"""

# Ratings that count as satisfied in the satisfaction share (R-ASM-3: 满意率 = 好 + 较好).
SATISFIED_RATINGS = (Rating.GOOD, Rating.FAIRLY_GOOD)

RATING_ALIASES = {
    "好": Rating.GOOD, "较好": Rating.FAIRLY_GOOD, "一般": Rating.AVERAGE, "差": Rating.POOR, "较差": Rating.POOR,
}


class DutyReportState(models.TextChoices):
    """R-ASM-2: draft → submitted → returned (with a reason) → accepted."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class Movement(models.TextChoices):
    """R-CLS-4: a branch's tier against last year's."""

    UP = "up", _("Moved up")
    SAME = "same", _("Unchanged")
    DOWN = "down", _("Moved down")
    NEW = "new", _("No tier last year")


class UnclassifiedReason(models.TextChoices):
    """R-CLS-1, R-ASM-4: why the annual review left a branch without a tier (a composite needs the
    superior score; the member evaluation alone gives none), with the state of its evaluation."""

    NO_SCORE_NO_SAMPLE = "no_score_no_sample", _("No superior score, and no evaluation sample drawn")
    NO_SCORE_SAMPLE_OPEN = "no_score_sample_open", _("No superior score, and the evaluation sample is not closed")
    NO_SCORE_FEW_ANSWERS = "no_score_few_answers", _("No superior score, and the evaluation has too few answers")
    NO_SCORE = "no_score", _("No superior score (the member evaluation alone gives no tier)")


class ListingKind(models.TextChoices):
    """R-CLS-2: the lists that override the score."""

    NEGATIVE_LIST = "negative_list", _("Negative list")
    WEAK_AND_LAX = "weak_and_lax", _("Weak and lax")


class SanctionReason(models.TextChoices):
    """R-CLS-5."""

    NOT_MOVED_UP = "not_moved_up", _("Average or poor branch did not move up")
    MOVED_DOWN = "moved_down", _("Good or fairly good branch moved down")


class HonourKind(models.TextChoices):
    """R-HON-1..3."""

    OUTSTANDING_SECRETARY = "outstanding_secretary", _("Outstanding secretary")
    OUTSTANDING_WORKER = "outstanding_worker", _("Outstanding party worker")
    RED_FLAG = "red_flag", _("Red-flag branch")


class HonourLevel(models.TextChoices):
    """The level of the committee conferring an honour (R-HON-3 counts district level and above)."""

    TOWNSHIP = "township", _("Township")
    DISTRICT = "district", _("District/county")
    CITY = "city", _("City")
    PROVINCE = "province", _("Province or above")


DISTRICT_OR_ABOVE = (HonourLevel.DISTRICT, HonourLevel.CITY, HonourLevel.PROVINCE)


class HonourStage(models.TextChoices):
    """R-HON-2: the differential (差额) stages of the red-flag selection, then named."""

    BASE = "base", _("Recommended by the base committee")
    CITY_MANAGED = "city_managed", _("Selected by the city-managed committee")
    CITY = "city", _("Reviewed by the city committee")
    NAMED = "named", _("Named")


HONOUR_NEXT_STAGE = {
    HonourStage.BASE: HonourStage.CITY_MANAGED,
    HonourStage.CITY_MANAGED: HonourStage.CITY,
    HonourStage.CITY: HonourStage.NAMED,
}
