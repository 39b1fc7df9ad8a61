"""Reasons a person may not be nominated (R-MEM-1, and R-CLS-5 from assessment) — one registry.

Every place where a person is put forward — a secretary appointment, a reserve entry, an honour,
the person's page — asks ``person_nomination_blocks(person=, as_of=)``. cadres registers its own
R-MEM-1 provider; an app above cadres registers its reasons from its ``AppConfig.ready()``
(assessment adds R-CLS-5's sanctions), so cadres never imports it (STYLE.md import direction).

A provider is ``fn(*, person, as_of) -> list[NominationBlock]``.
"""
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ERR_MEM_BLOCK = _(
    "{person} may not be nominated as secretary of {unit}: the branch developed no new party member "
    "in {years} (R-MEM-1)."
)


@dataclass(frozen=True)
class NominationBlock:
    rule: str
    message: str
    unit_id: int | None = None
    unit_name: str = ""
    years: tuple[int, ...] = ()
    # The branch at which a new secretary appointment of the person is refused (R-MEM-1); None: a warning only.
    refuses_secretary_at: int | None = None
    explanation: dict = field(default_factory=dict, compare=False)


Provider = Callable[..., list[NominationBlock]]
_PROVIDERS: dict[str, Provider] = {}


def register_nomination_block(name: str, provider: Provider) -> None:
    """Add (or replace, by name) a source of nomination blocks."""
    _PROVIDERS[name] = provider


def person_nomination_blocks(*, person, as_of: dt.date) -> list[NominationBlock]:
    """Every reason ``person`` may not be nominated on ``as_of``, from every registered provider."""
    blocks: list[NominationBlock] = []
    for provider in _PROVIDERS.values():
        blocks.extend(provider(person=person, as_of=as_of))
    return blocks


def years_text(years) -> str:
    return "、".join(f"{y}年" for y in years)


def member_development_blocks(*, person, as_of: dt.date) -> list[NominationBlock]:
    """R-MEM-1: the village branches flagged for the last full year (or for this year, once it is
    recorded as 0 too) whose secretary the person was then — they may not be nominated there again."""
    from cadres.choices import AppointmentRole
    from cadres.models import Appointment
    from cadres.selectors_members import member_development_statuses, village_branches
    from core.models import OrgUnit

    years = (as_of.year - 1, as_of.year)
    unit_ids = set(
        Appointment.objects.filter(person=person, role=AppointmentRole.SECRETARY, start_date__lte=as_of)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=dt.date(years[0], 1, 1)))
        .values_list("unit_id", flat=True)
    )
    if not unit_ids:
        return []
    branches = list(village_branches(units=OrgUnit.objects.filter(pk__in=unit_ids)))
    blocks, seen = [], set()
    for year in years:
        for status in member_development_statuses(units=branches, year=year):
            if not status.flagged or status.unit.pk in seen:
                continue
            seen.add(status.unit.pk)
            blocks.append(NominationBlock(
                rule="R-MEM-1",
                message=str(ERR_MEM_BLOCK.format(person=person.name, unit=status.unit.name,
                                                 years=years_text(status.window))),
                unit_id=status.unit.pk, unit_name=status.unit.name, years=tuple(status.window),
                refuses_secretary_at=status.unit.pk, explanation=status.explain(),
            ))
    return blocks
