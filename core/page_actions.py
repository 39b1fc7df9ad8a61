"""Buttons that apps above a page add to it (the dossier PDFs on the person, unit and report pages).

A lower app's page cannot name a higher app's URLs (imports run one way); the higher app registers
from its ``AppConfig.ready()``::

    from core.page_actions import register_page_action
    register_page_action("cadres.person", "dossiers.person_pdf", person_dossier_action, order=10)

``func(*, request, obj)`` returns ``None`` (no button for this reader) or a dict with ``label``,
``url`` and optionally ``method`` ("get", or "post" for a form with the CSRF token), ``primary``,
``title`` and ``fields`` (extra form fields, a list of ``{"name", "label", "choices", "value"}``).
The page renders them with ``{% page_actions "cadres.person" person %}``. Every function must
check the reader's right itself (R-ORG-2): a button shown is a promise that the link answers.
"""
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PageAction:
    page: str
    name: str
    func: Callable[..., dict | None]
    order: int = 100


_actions: dict[tuple[str, str], PageAction] = {}


def register_page_action(page: str, name: str, func, *, order: int = 100) -> None:
    """Add (or replace: registering twice is harmless) a button of ``page``."""
    _actions[(page, name)] = PageAction(page=page, name=name, func=func, order=order)


def page_actions(*, page: str, request, obj) -> list[dict]:
    """The buttons of ``page`` for this reader and object, in order."""
    out = []
    for action in sorted((a for a in _actions.values() if a.page == page), key=lambda a: (a.order, a.name)):
        button = action.func(request=request, obj=obj)
        if button:
            out.append({"method": "get", **button, "name": action.name})
    return out
