"""R-TLK-1: talks that a higher app requires, without cadres importing it (STYLE.md import direction).

cadres knows when a secretary is appointed, reappointed and leaves; the annual assessment is the
assessment app's. That app registers a provider from its ``AppConfig.ready()``::

    from cadres.talk_requirements import register_talk_requirement
    register_talk_requirement("assessment.annual", annual_assessment_talks_missing)

A provider is ``fn(*, scope_path: str, as_of: datetime.date)`` and yields the talks that are
*missing* as tuples ``(person_id, unit_id, kind, due_date, reason_text)``; it must be set-based
(a few queries whatever the number of rows). ``cadres.selectors_talks.talks_due`` adds them to its list.
"""
import datetime as dt
from collections.abc import Callable, Iterable

TalkRequirementRow = tuple[int, int, str, dt.date, str]
TalkRequirementProvider = Callable[..., Iterable[TalkRequirementRow]]

_providers: dict[str, TalkRequirementProvider] = {}


def register_talk_requirement(name: str, fn: TalkRequirementProvider) -> None:
    """Add (or replace: registering twice is harmless) a provider of required talks."""
    _providers[name] = fn


def registered_talk_requirements() -> list[tuple[str, TalkRequirementProvider]]:
    return sorted(_providers.items())
