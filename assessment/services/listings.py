"""R-CLS-2: the negative list and the weak-and-lax list of a year."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assessment.choices import ListingKind
from assessment.models import BranchListing
from assessment.services.evaluations import year_published
from assessment.services.honours import honours_withdraw_for_branch

ERR_LISTING_REASON = _("Say why the branch is listed.")
ERR_LISTING_EXISTS = _("The branch is on this list for the year already.")
ERR_LISTING_PUBLISHED = _("The {year} assessment is published; its lists can no longer change.")


def branch_listing_add(*, unit, year: int, kind: str, reason: str, by) -> BranchListing:
    """R-CLS-2, R-HON-2: list a branch; on the negative list its honours of the year are withdrawn."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [ERR_LISTING_REASON]})
    if year_published(unit=unit, year=year):
        raise ValidationError({"year": [ERR_LISTING_PUBLISHED.format(year=year)]})
    with transaction.atomic():
        if BranchListing.objects.filter(unit=unit, year=year, kind=kind).exists():
            raise ValidationError({"kind": [ERR_LISTING_EXISTS]})
        listing = BranchListing.objects.create(unit=unit, year=year, kind=kind, reason=reason, created_by=by)
        if kind == ListingKind.NEGATIVE_LIST:
            honours_withdraw_for_branch(unit=unit, year=year, reason=reason)
    return listing


ERR_REMOVAL_REASON = _("Say why the branch is taken off the list.")


def branch_listing_remove(*, listing: BranchListing, reason: str, by) -> None:
    """R-CLS-2, R-CLS-6: take a branch off a list with a reason, kept in the branch's tier history when it has one.

    Honours withdrawn because of the listing stay withdrawn: they are nominated again deliberately.
    """
    from assessment.models import Classification, ClassificationChange

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [ERR_REMOVAL_REASON]})
    if year_published(unit=listing.unit, year=listing.year):
        raise ValidationError({"year": [ERR_LISTING_PUBLISHED.format(year=listing.year)]})
    with transaction.atomic():
        row = Classification.objects.filter(unit_id=listing.unit_id, year=listing.year).first()
        if row is not None:
            ClassificationChange.objects.create(classification=row, field="listing", old_value=listing.kind,
                                                new_value="", reason=reason, by=by)
        listing.delete()
