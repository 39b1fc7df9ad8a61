"""Every status has its colour: one registry of status sets, each value with a tone and its label.

A status set is a model field with choices (``"assessment.DutyReport.state"``) or a status that
is computed rather than stored (``"assessment.evaluation"``: open or closed). Apps register
theirs from ``AppConfig.ready()``; core imports no app::

    register_model_status(DutyReport, "state", {"draft": "grey", "submitted": "blue", ...})
    register_status("assessment.evaluation", [("open", _("Open")), ("closed", _("Closed"))],
                    {"open": "amber", "closed": "green"})

Pages show one with ``{% status_tag obj "state" %}`` or ``{% status_tag "assessment.evaluation" value %}``:
a tag in the value's colour with its Chinese label, never the raw code. Within a set every value
has a tone of its own (tests/core/test_status.py holds every status field of every model to it).
"""
from dataclasses import dataclass, field

# The colours of static/css/app.css (.tag-<tone>).
TONES = ("green", "teal", "blue", "indigo", "violet", "amber", "orange", "red", "crimson", "grey")


@dataclass
class StatusSet:
    key: str
    labels: dict = field(default_factory=dict)  # value → lazy label
    tones: dict = field(default_factory=dict)  # value → tone


_sets: dict[str, StatusSet] = {}


def register_status(key: str, choices, tones: dict[str, str]) -> StatusSet:
    """Add (or replace) a status set; ``choices`` is a TextChoices class or ``(value, label)`` pairs."""
    pairs = choices.choices if hasattr(choices, "choices") else list(choices)
    unknown = set(tones.values()) - set(TONES)
    if unknown:
        raise ValueError(f"{key}: unknown tones {sorted(unknown)}")
    status_set = StatusSet(key=key, labels={str(v): label for v, label in pairs},
                           tones={str(v): tone for v, tone in tones.items()})
    _sets[key] = status_set
    return status_set


def model_status_key(model, field_name: str) -> str:
    return f"{model._meta.label}.{field_name}"


def register_model_status(model, field_name: str, tones: dict[str, str], extra=()) -> StatusSet:
    """The status set of a model field with choices; ``extra`` adds values outside them (such as ``""``)."""
    choices = list(model._meta.get_field(field_name).choices or []) + list(extra)
    return register_status(model_status_key(model, field_name), choices, tones)


def status_sets() -> dict[str, StatusSet]:
    return dict(_sets)


def status_of(key: str, value) -> tuple[str, str] | None:
    """``(label, tone)`` of a value in a set, or None when the set or the value is unknown."""
    status_set = _sets.get(key)
    value = "" if value is None else str(value)
    if status_set is None or value not in status_set.labels:
        return None
    return str(status_set.labels[value]), status_set.tones.get(value, "grey")
