"""Forms of the stipend sheet pages: compute a sheet, filter its lines, correct it, and the what-if policy."""
import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.choices import Tier
from core.choices import BRANCH_LEVELS, Level
from core.forms import UnitChoiceField
from core.models import OrgUnit, Policy
from core.services.policies import policy_inherited
from stipends.choices import Regime
from stipends.services.compute import STIPEND_POLICY_FIELDS

#: The levels a sheet is made for: a jurisdiction (a committee), never a branch (R-STP-4).
JURISDICTION_LEVELS = tuple(v for v in Level.values if v not in (*BRANCH_LEVELS, Level.ENTERPRISE))
MSG_NOT_A_JURISDICTION = _("Choose a committee (city, county, township or system), not a branch.")


def jurisdictions_of(user):
    return OrgUnit.objects.visible_to(user).filter(level__in=JURISDICTION_LEVELS).order_by("path")


class JurisdictionYearForm(forms.Form):
    """A jurisdiction of the user's subtree (the unit picker) and a year."""

    unit = UnitChoiceField(label=_("Jurisdiction"), queryset=OrgUnit.objects.none(), levels=JURISDICTION_LEVELS)
    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=2200)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"year": dt.date.today().year - 1, "unit": user.unit_id})
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = jurisdictions_of(user)


class SheetBuildForm(JurisdictionYearForm):
    """R-STP-4: staff compute the draft sheet of their unit or a committee below it."""


class LineFilterForm(forms.Form):
    """The filters of a sheet's lines (GET)."""

    township = forms.TypedChoiceField(label=_("Township (street)"), required=False, coerce=int, empty_value=None)
    tier = forms.ChoiceField(label=_("Tier"), required=False,
                             choices=[("", _("All tiers")), *Tier.choices, ("none", _("Not classified"))])
    regime = forms.ChoiceField(label=_("Regime"), required=False,
                               choices=[("", _("Both regimes")), (Regime.BASE, _("Base × coefficient")),
                                        (Regime.POOL, _("Township pool shared by coefficient"))])
    flagged = forms.BooleanField(label=_("Floors not met only"), required=False)
    provisional = forms.BooleanField(label=_("Provisional only"), required=False)
    q = forms.CharField(label=_("Name"), required=False, max_length=50)

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = [("", _("All townships")), *townships]

    def values(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        d = self.cleaned_data
        return {"township": d.get("township"), "tier": d.get("tier") or None, "regime": d.get("regime") or None,
                "flagged": d.get("flagged", False), "provisional": d.get("provisional", False),
                "search": d.get("q") or ""}


class CorrectForm(forms.Form):
    correction_reason = forms.CharField(label=_("Reason for the correction"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class StipendPolicyForm(forms.ModelForm):
    """R-STP-1/2, R-POL-1: the stipend fields of a jurisdiction's OWN policy for a year; empty = inherit.

    Saving runs the model's ``clean()`` — ``policy_validate``, the validation of the policy edit page — on
    the whole policy (its other fields as saved)."""

    class Meta:
        model = Policy
        fields = list(STIPEND_POLICY_FIELDS)

    def __init__(self, *args, unit: OrgUnit, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        inherited = policy_inherited(unit=unit, year=year)
        for name in STIPEND_POLICY_FIELDS:
            field = self.fields[name]
            field.required = False
            model_field = Policy._meta.get_field(name)
            value = inherited.values[name]
            source = inherited.sources[name]
            shown = _choice_label(model_field, value)
            whose = _("default") if source.is_default else source.unit_name
            field.help_text = _("{rule} · empty inherits {value} ({whose})").format(
                rule=model_field.policy_rule, value=shown, whose=whose)
            if isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
                field.choices = [("", _("Inherit: {value}").format(value=shown)),
                                 *[c for c in field.choices if c[0] != ""]]
            else:
                field.widget.attrs["placeholder"] = shown

    def draft_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in STIPEND_POLICY_FIELDS}


def _choice_label(model_field, value) -> str:
    if value is None:
        return str(_("not set"))
    for code, label in model_field.choices or []:
        if code == value:
            return str(label)
    return str(value)
