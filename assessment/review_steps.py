"""R-JOB-1: steps the annual review runs after it has classified, registered by the apps above assessment.

Rectification and stipends register their steps in ``AppConfig.ready()``::

    from assessment.review_steps import register_review_step
    register_review_step("rectification.cases", cases_open_for_cycle, label=_("Opening rectification cases"),
                         order=10)

A step is ``fn(*, cycle, scope_path: str, stamp) -> dict``: it reads what it needs from the
database (the review's classifications and listings are saved by then, in the same
transaction), must be idempotent (unique constraints, upserts), and returns a small JSON-able
summary kept in the review's result under ``steps[name]``. No step receives row dicts: the
review may move into SQL. A step that raises rolls the whole review back (R-JOB-3).
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class ReviewStep:
    name: str
    func: Callable[..., dict]
    label: str | Promise
    order: int = 100


_steps: dict[str, ReviewStep] = {}


def register_review_step(name: str, func: Callable[..., dict], *, label, order: int = 100) -> ReviewStep:
    """Add (or replace: registering twice is harmless) a step of the annual review."""
    step = ReviewStep(name=name, func=func, label=label, order=order)
    _steps[name] = step
    return step


def registered_review_steps() -> list[ReviewStep]:
    return sorted(_steps.values(), key=lambda s: (s.order, s.name))


# R-CLS-5: the people linked to a branch besides its own posts (驻联干部), from the apps above assessment.
# A provider is ``fn(*, scope_path: str, year: int, unit_ids: set[int]) -> iterable of
# (unit_id, person_id, role_label, start_date, end_date)`` for links that were in force during ``year``.
_linked_people: dict[str, Callable] = {}


def register_linked_people(name: str, func: Callable) -> None:
    _linked_people[name] = func


def linked_people(*, scope_path: str, year: int, unit_ids: set[int]):
    for func in _linked_people.values():
        yield from func(scope_path=scope_path, year=year, unit_ids=unit_ids)
