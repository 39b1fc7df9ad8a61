"""Every URL the project routes, read from the resolver and cross-checked against the OpenAPI schema."""
import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

GROUP_RE = re.compile(r"\((?:\?P<(\w+)>)?[^()]*\)")
CONVERTER_RE = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass(frozen=True)
class Route:
    key: str  # the resolver's joined pattern, as the expectation table names it
    name: str | None

    @property
    def family(self) -> str:
        if self.key.startswith("admin/"):
            return "admin"
        if self.key.startswith("api/v1/"):
            return "api"
        return "page"

    @property
    def params(self) -> list[str]:
        """Parameter names in order; unnamed regex groups are ``_0``, ``_1`` …"""
        out, unnamed = [], 0
        for m in re.finditer(rf"{GROUP_RE.pattern}|{CONVERTER_RE.pattern}", self.key):
            name = m.group(1) or m.group(3)
            if name is None:
                name, unnamed = f"_{unnamed}", unnamed + 1
            out.append(name)
        return out

    def build(self, values: dict) -> str:
        """The path with ``values`` filled in (regex syntax removed)."""
        unnamed = iter(range(100))

        def group(m):
            name = m.group(1) or f"_{next(unnamed)}"
            return str(values[name])

        def converter(m):
            return str(values[m.group(2)])

        path = GROUP_RE.sub(group, self.key)
        path = CONVERTER_RE.sub(converter, path)
        path = path.replace("^", "").replace("$", "").replace("/?", "").replace("\\.", ".")
        return "/" + path


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield Route(key=prefix + str(p.pattern), name=p.name)


def resolver_routes() -> list[Route]:
    seen, out = set(), []
    for route in _walk(get_resolver().url_patterns):
        if route.key not in seen:  # each DefaultRouter adds its own api-root at the same place
            seen.add(route.key)
            out.append(route)
    return out


def normalise(path: str) -> str:
    """``/api/v1/people/{id}/`` and ``api/v1/^people/(?P<pk>[^/.]+)/$`` → ``/api/v1/people/{}/``."""
    path = GROUP_RE.sub("{}", path)
    path = CONVERTER_RE.sub("{}", path)
    path = re.sub(r"\{\w+\}", "{}", path)
    path = path.replace("^", "").replace("$", "").replace("/?", "").replace("\\.", ".")
    return path if path.startswith("/") else "/" + path


def schema_paths() -> list[str]:
    from drf_spectacular.generators import SchemaGenerator
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(schema["paths"])
