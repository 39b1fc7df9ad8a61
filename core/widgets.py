"""Pickers at city scale (issue 8 item 3): a ``<select>`` that renders only its selected option(s)
and the data attributes static/js/pickers.js reads to turn it into a Tom Select asking the API.

The form field stays a ModelChoiceField over ``visible_to(user)`` (R-ORG-2): the widget never
lists the queryset, the field still validates against it, so an id outside the user's subtree is
refused as an invalid choice, and only a selected row within it gets its label rendered.
"""
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
MIN_CHARS = 2
PAGE_SIZE = 20
MSG_TYPE_MORE = _("Type at least two characters")
MSG_NO_MATCH = _("No match")
MSG_SEARCHING = _("Searching…")
MSG_SEARCH_PERSON = _("Type a name, its pinyin initials or an ID number")
MSG_SEARCH_PERSON_NO_ID = _("Type a name or its pinyin initials")
MSG_SEARCH_UNIT = _("Type a name, a code or the pinyin initials")


class ApiPicker(forms.Select):
    """A single choice searched through ``url_name`` (an API list answering ``?search=`` and ``?view=picker``).

    ``params`` narrow the search (``{"branch": "1"}``); ``placeholder`` is the hint in the empty box.
    """

    def __init__(self, url_name: str, *, params: dict | None = None, placeholder=None, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name
        self.params = dict(params or {})
        self.placeholder = placeholder

    def __deepcopy__(self, memo):
        obj = super().__deepcopy__(memo)
        obj.params = dict(self.params)
        return obj

    def url(self) -> str:
        return f"{reverse(self.url_name)}?{urlencode({**self.params, 'view': 'picker', 'page_size': PAGE_SIZE}, doseq=True)}"

    def get_context(self, name, value, attrs):
        attrs = {
            **(attrs or {}),
            "data-picker-url": self.url(),
            "data-picker-min": MIN_CHARS,
            "data-picker-type-more": str(MSG_TYPE_MORE),
            "data-picker-no-match": str(MSG_NO_MATCH),
            "data-picker-searching": str(MSG_SEARCHING),
        }
        if self.placeholder:
            attrs["data-picker-placeholder"] = str(self.placeholder)
        return super().get_context(name, value, attrs)

    def _selected_choices(self, value: list) -> list[tuple]:
        """(value, label) of the selected rows that the field's queryset holds — one query, never the whole table."""
        wanted = [v for v in value if v not in (None, "")]
        iterator = self.choices
        queryset = getattr(iterator, "queryset", None)
        if not wanted:
            return []
        if queryset is None:  # plain choices: keep those selected
            return [(v, label) for v, label in iterator if str(v) in {str(w) for w in wanted}]
        key = iterator.field.to_field_name or "pk"
        key_field = queryset.model._meta.pk if key == "pk" else queryset.model._meta.get_field(key)
        keys = []
        for v in wanted:  # a posted value may be anything (R-SEC-3): keep only what can be a key
            try:
                v = key_field.to_python(v)
            except ValidationError:
                continue
            if isinstance(v, int) and not BIGINT_MIN <= v <= BIGINT_MAX:
                continue
            keys.append(v)
        if not keys:
            return []
        return [iterator.choice(obj) for obj in queryset.filter(**{f"{key}__in": keys})]

    def optgroups(self, name, value, attrs=None):
        value = [str(v) for v in value]
        choices = []
        if not self.allow_multiple_selected:
            empty_label = getattr(getattr(self.choices, "field", None), "empty_label", None)
            choices.append(("", empty_label or ""))
        choices.extend(self._selected_choices(value))
        groups = []
        for index, (option_value, option_label) in enumerate(choices):
            option_value = "" if option_value is None else option_value
            selected = str(option_value) in value and str(option_value) != ""
            groups.append((None, [self.create_option(name, option_value, option_label, selected, index,
                                                     attrs=attrs)], index))
        return groups


class ApiMultiPicker(ApiPicker, forms.SelectMultiple):
    """Several choices, each searched as in ApiPicker."""

    allow_multiple_selected = True


def person_picker(user=None, **params) -> ApiPicker:
    """A picker of people; staff are told they may also type an ID number (R-SEC-1: others may not)."""
    staff = user is None or getattr(user, "is_staff_role", False)
    return ApiPicker("person-list", params=params,
                     placeholder=MSG_SEARCH_PERSON if staff else MSG_SEARCH_PERSON_NO_ID)


def unit_picker(*, branch: bool = False, levels=None, **params) -> ApiPicker:
    """A picker of units; ``branch=True`` offers party branches only (evaluation, nomination, listings),
    ``levels`` only units of those levels (the form's queryset must narrow the same way)."""
    if branch:
        params["branch"] = "1"
    if levels:
        params["level"] = [str(level) for level in levels]
    return ApiPicker("org-unit-list", params=params, placeholder=MSG_SEARCH_UNIT)
