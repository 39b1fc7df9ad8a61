"""R-JOB-2: the kinds of notice, with the label the notices page shows (never a raw code).

Each app names its kinds in ``AppConfig.ready()``::

    from core.notice_kinds import register_notice_kind
    register_notice_kind("training.initial_due", _("Initial training due"))

A kind nobody registered shows as a plain "Notice".
"""
from django.utils.translation import gettext_lazy as _

MSG_NOTICE_KIND_OTHER = _("Notice")

_kinds: dict[str, object] = {}


def register_notice_kind(kind: str, label) -> None:
    """Add (or rename: registering twice is harmless) a kind of notice."""
    _kinds[kind] = label


def notice_kind_label(kind: str):
    return _kinds.get(kind, MSG_NOTICE_KIND_OTHER)


def notice_kind_choices() -> list[tuple[str, object]]:
    """The registered kinds, in the order of their codes (apps' kinds sit together)."""
    return sorted(_kinds.items())
