"""Filtersets of the core app, and the one base every filterset of the project inherits.

``ScopedFilterSet`` builds the choices of every model-choice filter from the rows the
requesting user may see (R-ORG-2): the browsable API's and the pages' dropdowns list only
the user's subtree, and an id outside it is refused with the very answer an unknown id gets
(400 naming the field), so a filter cannot tell whether a unit of another county exists.
"""
import django_filters
from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework import FilterSet as DRFFilterSet
from django_filters.utils import label_for_filter
from django_filters.widgets import BooleanWidget

from core.choices import BRANCH_LEVELS, Level, Sector
from core.models import OrgUnit, Policy
from core.scoping import visible_rows
from core.widgets import ApiMultiPicker, person_picker, unit_picker

MODEL_CHOICE_FILTERS = (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)


def _generated_label(model, field_name, lookup_expr, exclude):
    return label_for_filter(model, field_name, lookup_expr, exclude)


lazy_label = lazy(_generated_label, str)


class ScopedFilterSet(django_filters.FilterSet):
    """Every ModelChoiceFilter / ModelMultipleChoiceFilter chooses among ``Model.objects.visible_to(user)``;
    without a request (hence without a user) there is nothing to choose.

    Labels stay lazy (issue 8 item 2): django-filter derives a missing label only once a filter knows its model
    and caches the form field it builds. The API schema asks the class's own filters for their fields, which
    then carried no label (the form fell back to the English field name, "Education") and were copied into
    every later filterset. Labels are therefore given lazily when the class is made, and each instance builds
    its own form fields (also so that a cached field can never carry a queryset that was not scoped)."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        model = cls._meta.model
        if model is not None:
            for f in filters.values():
                if f._label is None:
                    f.label = lazy_label(model, f.field_name, f.lookup_expr, f.exclude)
        return filters

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        for f in self.filters.values():
            f.__dict__.pop("_field", None)
            if isinstance(f, MODEL_CHOICE_FILTERS):
                declared = f.get_queryset(request)  # a callable queryset is resolved, then scoped too
                if declared is None:
                    declared = f.model._meta.get_field(f.field_name.split("__")[0]).related_model.objects.none()
                visible = visible_rows(declared.model, user)
                # A filterset's own narrowing of its choices is kept; a placeholder none() is not.
                narrowed = bool(declared.query.where) and not declared.query.is_empty()
                f.queryset = declared & visible if narrowed else visible
                picker = picker_widget(declared.model, user=user,
                                       multiple=isinstance(f, django_filters.ModelMultipleChoiceFilter))
                if picker is not None and "widget" not in f.extra:
                    f.extra["widget"] = picker  # a city's 10,000 people are searched, never listed


def picker_widget(model, *, user=None, multiple: bool = False):
    """The search-as-you-type widget for a choice among people or units (issue 8 item 3), else None."""
    from django.apps import apps

    if model is OrgUnit:
        widget = unit_picker()
    elif model is apps.get_model("cadres", "Person"):  # core imports no domain app (STYLE.md)
        widget = person_picker(user)
    else:
        return None
    if multiple:
        widget = ApiMultiPicker(widget.url_name, params=widget.params, placeholder=widget.placeholder)
    return widget


class ScopedAPIFilterSet(ScopedFilterSet, DRFFilterSet):
    """The base of the filtersets DRF builds from a viewset's ``filterset_fields``."""


class ScopedFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend whose generated filtersets are scoped too."""

    filterset_base = ScopedAPIFilterSet


class WithinUnitFilter(django_filters.ModelChoiceFilter):
    """Rows whose unit lies in the given unit's subtree (tree filters widen to descendants)."""

    def __init__(self, *args, path_lookup="unit__path", **kwargs):
        self.path_lookup = path_lookup
        kwargs.setdefault("queryset", OrgUnit.objects.none())
        kwargs.setdefault("label", _("within unit"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.path_lookup}__startswith": value.path})


class ChildrenOfUnitFilter(django_filters.ModelChoiceFilter):
    """Units directly below the given one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", OrgUnit.objects.none())
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(path__startswith=value.path, depth=value.depth + 1)



YEAR_MIN, YEAR_MAX = 1949, 2200
ERR_FILTER_YEAR = _("Enter a year between {min} and {max}.")


class YearFilter(django_filters.NumberFilter):
    """A calendar year, 1949–2200: ``?year=0`` on a date's ``__year`` lookup is a 400 naming the
    field, not the ``ValueError`` of a date before year 1 (R-SEC-3)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        message = format_lazy(ERR_FILTER_YEAR, min=YEAR_MIN, max=YEAR_MAX)
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        kwargs.setdefault("error_messages", {"min_value": message, "max_value": message, "invalid": message})
        super().__init__(*args, **kwargs)



class OrgUnitFilterSet(ScopedFilterSet):
    """``within`` widens to a unit's whole subtree (NetBox-style tree filter)."""

    level = django_filters.MultipleChoiceFilter(choices=Level.choices)
    sector = django_filters.MultipleChoiceFilter(choices=Sector.choices)
    within = WithinUnitFilter(field_name="id", path_lookup="path", label=_("within (unit id, whole subtree)"))
    parent = ChildrenOfUnitFilter(field_name="id", label=_("parent (direct children of unit id)"))
    branch = django_filters.BooleanFilter(method="filter_branch", widget=BooleanWidget,
                                          label=_("branch (party branches and general branches)"))

    class Meta:
        model = OrgUnit
        fields = ["level", "sector", "code", "is_active"]

    def filter_branch(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(level__in=BRANCH_LEVELS) if value else qs.exclude(level__in=BRANCH_LEVELS)


class PolicyFilterSet(ScopedFilterSet):
    class Meta:
        model = Policy
        fields = ["year", "unit"]
