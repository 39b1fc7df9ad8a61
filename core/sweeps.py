"""R-JOB-2: the one daily deadline sweep, made of parts that apps register.

core runs the sweep without importing a domain app; each app adds its part in ``AppConfig.ready()``::

    from core.sweeps import register_sweep
    register_sweep("training.initial", initial_training_sweep, label=_("Initial training"), order=10)

A part is ``fn(*, as_of: datetime.date) -> int`` (the number of new notices). It must be safe to
run twice the same day and by two workers at once: every notice is keyed, and the unique
(recipient, key) constraint on ``core.Notice`` keeps each one stored and mailed once.
"""
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


logger = logging.getLogger(__name__)


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


class SweepFailed(Exception):
    """Some parts failed; the others ran. The task fails (and is retried: every part is idempotent)."""

    def __init__(self, counts: dict, errors: dict):
        self.counts, self.errors = counts, errors
        super().__init__("; ".join(f"{name}: {err!r}" for name, err in errors.items()))


def daily_sweep_run(*, as_of: dt.date, only: list[str] | None = None) -> dict[str, int]:
    """R-JOB-2: run every registered part (or those in ``only``) for ``as_of``; new notices per part.

    A part that raises does not keep the later parts from running: each runs in its own
    transaction (a failed part writes nothing), and the failures are raised together at the end.
    """
    from django.db import transaction

    counts, errors = {}, {}
    for sweep in registered_sweeps():
        if only is not None and sweep.name not in only:
            continue
        try:
            with transaction.atomic():
                counts[sweep.name] = sweep.func(as_of=as_of)
        except Exception as exc:  # noqa: BLE001 — reported together below
            logger.exception("daily sweep part %s failed", sweep.name)
            errors[sweep.name] = exc
    if errors:
        raise SweepFailed(counts, errors)
    return counts
