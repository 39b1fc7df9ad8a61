"""Search-as-you-type for the pickers (issue 8 item 3): ``?search=`` (or ``?q=``) on a viewset that
names its selector, and ``?view=picker`` for the light rows a picker shows.

The search runs on the viewset's queryset, which ``ScopedViewMixin`` has already restricted to
the caller's subtree (R-ORG-2); it only narrows and orders.
"""
from rest_framework.filters import BaseFilterBackend

SEARCH_PARAMS = ("search", "q")
VIEW_PARAM = "view"
PICKER_VIEW = "picker"


def search_param(request) -> str:
    for name in SEARCH_PARAMS:
        value = request.query_params.get(name)
        if value:
            return value
    return ""


def wants_picker(request) -> bool:
    return request is not None and request.query_params.get(VIEW_PARAM) == PICKER_VIEW


class PickerSearchFilter(BaseFilterBackend):
    """Calls the viewset's ``search_rows(queryset=…, q=…, user=…)`` with the typed text."""

    def filter_queryset(self, request, queryset, view):
        q = search_param(request).strip()
        if not q:
            return queryset
        return view.search_rows(queryset=queryset, q=q, user=request.user)

    def get_schema_operation_parameters(self, view):
        help_text = getattr(view, "search_help", "A search term.")
        def param(name, description, **schema):
            return {"name": name, "required": False, "in": "query", "description": description,
                    "schema": {"type": "string", **schema}}

        return [
            param("search", help_text),
            param("q", "The same as search."),
            param(VIEW_PARAM, "picker: only the id and a display label of each row (for pickers).", enum=[PICKER_VIEW]),
        ]
