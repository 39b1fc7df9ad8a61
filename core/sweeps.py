"""R-JOB-2: the one daily deadline sweep, made of parts that apps register.

core runs the sweep without importing a domain app; each app adds its part in ``AppConfig.ready()``::

    from core.sweeps import register_sweep
    register_sweep("training.initial", initial_training_sweep, label=_("Initial training"), order=10)

A part is ``fn(*, as_of: datetime.date) -> int`` (the number of new notices). It must be safe to
run twice the same day and by two workers at once: every notice is keyed, and the unique
(recipient, key) constraint on ``core.Notice`` keeps each one stored and mailed once.
"""
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Sweep:
    name: str
    func: Callable[..., int]
    label: str | Promise
    order: int = 100


_sweeps: dict[str, Sweep] = {}


def register_sweep(name: str, func: Callable[..., int], *, label, order: int = 100) -> Sweep:
    """Add (or replace: registering twice is harmless) a part of the daily sweep."""
    sweep = Sweep(name=name, func=func, label=label, order=order)
    _sweeps[name] = sweep
    return sweep


def registered_sweeps() -> list[Sweep]:
    return sorted(_sweeps.values(), key=lambda s: (s.order, s.name))


def daily_sweep_run(*, as_of: dt.date, only: list[str] | None = None) -> dict[str, int]:
    """R-JOB-2: run every registered part (or those in ``only``) for ``as_of``; new notices per part."""
    return {s.name: s.func(as_of=as_of) for s in registered_sweeps() if only is None or s.name in only}
