"""R-HON-1..3: outstanding secretaries and workers, red-flag branches by differential stages."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.choices import HONOUR_NEXT_STAGE, HonourKind, HonourLevel, HonourStage, ListingKind, Tier
from assessment.models import BranchListing, Classification, Honour, Sanction
from cadres.nominations import person_nomination_blocks
from core.services.policies import policy_effective

ERR_NOT_GOOD = _("Only branches rated good in {year} can be honoured; {unit} is rated {tier} (R-HON-1).")
ERR_SANCTIONED = _("{person} may not be given awards in {year}: their branch did not move up (R-CLS-5).")
ERR_NEGATIVE_LIST = _("{unit} is on the negative list in {year} and cannot be honoured (R-HON-2).")
ERR_PERSON_REQUIRED = _("Name the person to be honoured.")
ERR_PERSON_NOT_IN_BRANCH = _("The person does not belong to this branch.")
ERR_NOT_DIFFERENTIAL = _("Differential selection: pass on fewer than the {pool} candidates at this stage (R-HON-2).")
ERR_QUOTA = _("The red-flag quota of {quota} for {year} would be exceeded: {named} named already (R-HON-2).")
ERR_STAGE = _("Only red-flag candidates of one year and one stage, not withdrawn, can move on together.")
ERR_DUPLICATE = _("This honour is recorded already.")


def _check_good(*, unit, year: int) -> None:
    tier = Classification.objects.filter(unit=unit, year=year).values_list("tier", flat=True).first()
    if tier != Tier.GOOD:
        label = Tier(tier).label if tier else _("not classified")
        raise ValidationError({"unit": [ERR_NOT_GOOD.format(year=year, unit=unit.name, tier=label)]})
    if BranchListing.objects.filter(unit=unit, year=year, kind=ListingKind.NEGATIVE_LIST).exists():
        raise ValidationError({"unit": [ERR_NEGATIVE_LIST.format(unit=unit.name, year=year)]})


def honour_nominate(*, kind: str, year: int, unit, by, person=None, level: str = HonourLevel.DISTRICT) -> Honour:
    """R-HON-1/2/3, R-CLS-5: honours come only from 好 branches and never to a sanctioned person."""
    _check_good(unit=unit, year=year)
    recuperation = None
    stage = HonourStage.NAMED
    if kind == HonourKind.RED_FLAG:
        person, stage = None, HonourStage.BASE
        if Honour.objects.filter(kind=kind, year=year, unit=unit, withdrawn_at__isnull=True).exists():
            raise ValidationError({"unit": [ERR_DUPLICATE]})
    else:
        if person is None:
            raise ValidationError({"person": [ERR_PERSON_REQUIRED]})
        if person.unit_id != unit.pk and not person.appointments.filter(unit=unit).exists():
            raise ValidationError({"person": [ERR_PERSON_NOT_IN_BRANCH]})
        if Sanction.objects.filter(person=person, applies_to_year=year).exists():
            raise ValidationError({"person": [ERR_SANCTIONED.format(person=person.name, year=year)]})
        if kind == HonourKind.OUTSTANDING_SECRETARY:
            # R-MEM-1: the secretary of a village branch without new members is not put forward either.
            blocks = [b for b in person_nomination_blocks(person=person, as_of=timezone.localdate())
                      if b.rule == "R-MEM-1"]
            if blocks:
                raise ValidationError({"person": [b.message for b in blocks]})
        # R-HON-3: an outstanding party worker is granted the policy's recuperation days.
        recuperation = policy_effective(unit=unit, year=year).recuperation_days
    return Honour.objects.create(kind=kind, year=year, unit=unit, person=person, level=level, stage=stage,
                                 recuperation_days=recuperation, created_by=by)


def red_flag_advance(*, honours: list[Honour], by) -> list[Honour]:
    """R-HON-2: move candidates on one stage, keeping more candidates than are passed on (差额),
    and never naming more than the year's quota."""
    ids = [h.pk for h in honours]
    with transaction.atomic():
        rows = list(Honour.objects.select_for_update().filter(pk__in=ids))
        stages = {(h.kind, h.year, h.stage, h.is_withdrawn) for h in rows}
        if not rows or len(stages) != 1:
            raise ValidationError({"honours": [ERR_STAGE]})
        kind, year, stage, withdrawn = stages.pop()
        if kind != HonourKind.RED_FLAG or withdrawn or stage == HonourStage.NAMED:
            raise ValidationError({"honours": [ERR_STAGE]})
        pool = Honour.objects.filter(kind=kind, year=year, stage=stage, withdrawn_at__isnull=True,
                                     unit__path__startswith=by.unit.path if by.unit_id else "").count()
        if len(rows) >= pool:
            raise ValidationError({"honours": [ERR_NOT_DIFFERENTIAL.format(pool=pool)]})
        to_stage = HONOUR_NEXT_STAGE[HonourStage(stage)]
        if to_stage == HonourStage.NAMED:
            quota = policy_effective(unit=by.unit, year=year).red_flag_quota
            named = Honour.objects.filter(kind=kind, year=year, stage=HonourStage.NAMED,
                                          withdrawn_at__isnull=True).count()
            if named + len(rows) > quota:
                raise ValidationError({"honours": [ERR_QUOTA.format(quota=quota, year=year, named=named)]})
        Honour.objects.filter(pk__in=ids).update(stage=to_stage)
    return list(Honour.objects.filter(pk__in=ids))


def honours_withdraw_for_branch(*, unit, year: int, reason: str) -> int:
    """R-HON-2: a branch landing on the negative list loses its honours of the year."""
    return Honour.objects.filter(unit=unit, year=year, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_reason=reason)
