"""Dashboard panels contributed by apps, so core shows domain data without importing a domain app.

An app registers its panels in ``AppConfig.ready()``::

    from core.panels import register_panel
    register_panel(template_name="training/panels/deadlines.html", context_func=deadlines_panel,
                   roles=("secretary",), order=30)

``context_func(request, dashboard)`` returns the panel's context (a dict), or ``None`` to hide
the panel for this request; ``dashboard`` is the context the dashboard computed so far
(``counts`` from ``core.selectors.unit_counts``), so panels need not repeat its queries.
Every query a panel makes must go through ``visible_to`` or a selector that calls it (R-ORG-2).
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from core.choices import Role


@dataclass(frozen=True)
class Panel:
    template_name: str
    context_func: Callable[[HttpRequest, dict], dict | None] | None = None
    roles: tuple[str, ...] | None = None  # None: every role
    order: int = 100


_panels: dict[str, Panel] = {}


def register_panel(*, template_name: str, context_func=None, roles=None, order: int = 100) -> Panel:
    """Add (or replace: registering twice is harmless) a dashboard panel."""
    panel = Panel(template_name=template_name, context_func=context_func,
                  roles=tuple(roles) if roles is not None else None, order=order)
    _panels[template_name] = panel
    return panel


def unregister_panel(template_name: str) -> None:
    _panels.pop(template_name, None)


def panels_for(request: HttpRequest, dashboard: dict) -> list[dict]:
    """The panels this user sees, in order, each as ``{"template_name", "context"}``."""
    user = request.user
    # A superuser sees what staff see, not a secretary's own-record panels.
    role = Role.STAFF if user.is_superuser else user.role
    result = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.template_name)):
        if panel.roles is not None and role not in panel.roles:
            continue
        context = panel.context_func(request, dashboard) if panel.context_func else {}
        if context is None:
            continue
        result.append({"template_name": panel.template_name, "context": context})
    return result


# ---------------------------------------------------------------- navigation entries

@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy translation
    url_name: str
    roles: tuple[str, ...] | None = None
    order: int = 100
    active_prefix: str = ""  # the path prefix that marks the entry as the current page


_nav: dict[str, NavItem] = {}


def register_nav_item(*, label, url_name: str, roles=None, order: int = 100, active_prefix: str = "") -> NavItem:
    """Add an app's entry to the main navigation (from its ``AppConfig.ready()``), e.g.
    ``register_nav_item(label=_("Training"), url_name="training:compliance", roles=("staff", "supervisor"),
    order=50, active_prefix="/training/")``. Entries whose URL does not resolve are skipped."""
    item = NavItem(label=label, url_name=url_name, roles=tuple(roles) if roles is not None else None,
                   order=order, active_prefix=active_prefix)
    _nav[url_name] = item
    return item


def unregister_nav_item(url_name: str) -> None:
    _nav.pop(url_name, None)


def nav_items_for(user) -> list[NavItem]:
    role = Role.STAFF if user.is_superuser else getattr(user, "role", None)
    return [item for item in sorted(_nav.values(), key=lambda i: (i.order, i.url_name))
            if item.roles is None or role in item.roles]
