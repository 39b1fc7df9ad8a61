"""Sections of a person's page that apps above cadres add (rectification's help links, R-RCT-2).

An app registers from its ``AppConfig.ready()``::

    from cadres.person_sections import register_person_section
    register_person_section("rectification.help", template_name="rectification/person_help.html",
                            context_func=person_help_section, order=50)

``context_func(*, request, person)`` returns the section's context, or ``None`` to leave it out; every
query it makes must go through ``visible_to(request.user)`` (R-ORG-2).
"""
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonSection:
    name: str
    template_name: str
    context_func: Callable[..., dict | None]
    order: int = 100


_sections: dict[str, PersonSection] = {}


def register_person_section(name: str, *, template_name: str, context_func, order: int = 100) -> None:
    """Add (or replace: registering twice is harmless) a section of the person page."""
    _sections[name] = PersonSection(name=name, template_name=template_name, context_func=context_func, order=order)


def person_sections(*, request, person) -> list[dict]:
    """The sections to show on ``person``'s page for this request: template and context each."""
    out = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.name)):
        context = section.context_func(request=request, person=person)
        if context is not None:
            out.append({"template_name": section.template_name, "context": context})
    return out
