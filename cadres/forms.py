"""Page forms of the cadre registry. They collect input; the services validate and save (R-SEC-3).

Each form's choices of units and people are limited to the user's subtree (R-ORG-2), and the
service's ``ValidationError`` (keyed by field) is shown beside the field it names.
"""
import datetime as dt

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _

from cadres.api.serializers import person_label
from cadres.choices import EndReason, Education, Specialty, TalkKind
from cadres.models import Appointment, Person, ReserveCandidate
from cadres.services.appointments import APPOINTMENT_FIELDS
from cadres.services.id_numbers import validate_id_consistency, validate_id_number
from cadres.services.people import PERSON_FIELDS
from cadres.services.reserves import RESERVE_FIELDS
from core.choices import Sector
from core.forms import UnitChoiceField
from core.models import OrgUnit
from core.widgets import person_picker

ERR_AGE_BAND = _("The upper age must not be below the lower age.")
ERR_PERSON_NOT_VISIBLE = _("No such person in your jurisdiction.")
MSG_KEEP_VALUE = _("Stored: {value}. Leave empty to keep it.")

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    """A person of the user's subtree, chosen with a search-as-you-type picker (issue 8 item 3)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", person_picker())
        kwargs.setdefault("error_messages", {"invalid_choice": ERR_PERSON_NOT_VISIBLE})
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return person_label(obj)

    def for_user(self, user) -> None:
        """Scope the choices to ``user`` and tell only staff that an ID number may be typed (R-SEC-1)."""
        self.queryset = visible_people(user)
        self.widget.placeholder = person_picker(user).placeholder


def visible_units(user):
    return OrgUnit.objects.visible_to(user).order_by("path").only("id", "name", "code", "path")


def visible_people(user):
    return Person.objects.visible_to(user).select_related("unit").only("id", "name", "unit__name").order_by("name")


def apply_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's errors beside the fields they name; others go above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        if field in form.fields:
            form.add_error(field, errors)
        elif field == NON_FIELD_ERRORS:
            form.add_error(None, errors)
        else:
            form.add_error(None, [f"{_field_label(form, field)}: {e}" for e in errors])


def _field_label(form: forms.BaseForm, name: str) -> str:
    try:
        return str(form._meta.model._meta.get_field(name).verbose_name)
    except (AttributeError, FieldDoesNotExist):
        return name


class ServiceModelForm(forms.ModelForm):
    """A ModelForm for its fields and widgets only: the service it saves through does all the
    model validation (the ID number rules, the one-current-secretary constraint), so the
    form does not run ``full_clean`` itself and cannot report the same problem twice or worse."""

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class PersonForm(ServiceModelForm):
    """R-SEL-1: a person's profile; saved through person_create / person_update."""

    field_order = ["unit", "name"]

    unit = UnitChoiceField(label=_("organisation"), queryset=OrgUnit.objects.none())

    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        widgets = {
            "birth_date": DATE, "party_join_date": DATE,
            "notes": forms.Textarea(attrs={"rows": 3, "wide": True}),
            "id_number": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "maxlength": 24,
                                                "class": "mono"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = visible_units(user)
        self.fields["unit"].help_text = Person._meta.get_field("unit").help_text
        # The service normalises full-width digits and spaces; let them through to it.
        self.fields["id_number"].max_length = 24
        self.fields["id_number"].validators = []
        if self.instance.pk:
            # R-SEC-1: the edit page never prints the stored number or phone; empty keeps them.
            for name, masked in (("id_number", self.instance.masked_id_number),
                                 ("phone", self.instance.masked_phone)):
                self.initial[name] = ""
                self.fields[name].required = False
                self.fields[name].widget.attrs["placeholder"] = masked
                self.fields[name].help_text = MSG_KEEP_VALUE.format(value=masked) if masked else ""

    def clean_id_number(self):
        """The ID rules run here too, so a bad number is reported with the other missing
        fields at once instead of only after they are fixed (the service checks again on save)."""
        if self.instance.pk and not (self.cleaned_data["id_number"] or "").strip():
            return self.instance.id_number
        return validate_id_number(self.cleaned_data["id_number"])

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        return phone or (self.instance.phone if self.instance.pk else "")

    def clean(self):
        data = super().clean()
        if data.get("id_number") and "id_number" not in self.errors:
            for field, exc in validate_id_consistency(id_number=data["id_number"], birth_date=data.get("birth_date"),
                                                      gender=data.get("gender")):
                if field in self.fields and field not in self.errors:
                    self.add_error(field, exc)
        return data


class AppointmentForm(ServiceModelForm):
    """R-SEL-2..5: a post at a unit and how the person was chosen; saved through the appointment services."""

    person = PersonChoiceField(label=_("person"), queryset=Person.objects.none())
    unit = UnitChoiceField(label=_("unit"), queryset=OrgUnit.objects.none())

    class Meta:
        model = Appointment
        fields = [f for f in APPOINTMENT_FIELDS]
        widgets = {
            "start_date": DATE, "planned_end_date": DATE, "end_date": DATE,
            "notes": forms.Textarea(attrs={"rows": 3, "wide": True}),
        }

    def __init__(self, *args, user, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].for_user(user)
        self.fields["unit"].queryset = visible_units(user)
        if creating:
            # An appointment is ended with its own confirmed step, not typed in when created.
            del self.fields["end_date"], self.fields["end_reason"]
            # R-MEM-1: a refused nomination may be recorded all the same, with the reason kept.
            self.fields["override_reason"] = forms.CharField(
                label=_("Reason for the exception"), required=False, max_length=200,
                help_text=_("Only when the person may not be nominated (R-MEM-1) and is appointed all the same."))

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("override_reason", None)
        return data


class AppointmentEndForm(forms.Form):
    end_date = forms.DateField(label=_("actual end date"), widget=DATE, initial=dt.date.today)
    end_reason = forms.ChoiceField(label=_("end reason"), choices=[("", "---------"), *EndReason.choices])


class ReserveCandidateForm(ServiceModelForm):
    """R-RES-1: mark a person for a unit or a sector; saved through reserve_candidate_add."""

    person = PersonChoiceField(label=_("person"), queryset=Person.objects.none())
    unit = UnitChoiceField(label=_("unit"), queryset=OrgUnit.objects.none(),
                           help_text=ReserveCandidate._meta.get_field("unit").help_text)

    class Meta:
        model = ReserveCandidate
        fields = [f for f in RESERVE_FIELDS if f not in ("status", "closed_on")]
        widgets = {
            "added_on": DATE,
            "cultivation_plan": forms.Textarea(attrs={"rows": 3, "wide": True}),
            "assigned_training": forms.Textarea(attrs={"rows": 2, "wide": True}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].for_user(user)
        self.fields["unit"].queryset = visible_units(user)


class ReserveWithdrawForm(forms.Form):
    on = forms.DateField(label=_("withdrawn on"), widget=DATE, initial=dt.date.today)


class Under35Form(forms.Form):
    on_date = forms.DateField(label=_("on date"), widget=DATE, required=False)


class TalentPoolForm(forms.Form):
    """R-RES-4: sector, age band, education and specialty."""

    sector = forms.ChoiceField(label=_("sector"), choices=[("", _("any")), *Sector.choices], required=False)
    age_min = forms.IntegerField(label=_("age from"), min_value=0, max_value=120, required=False)
    age_max = forms.IntegerField(label=_("age to"), min_value=0, max_value=120, required=False)
    education = forms.ChoiceField(label=_("education"), choices=[("", _("any")), *Education.choices], required=False)
    specialty = forms.ChoiceField(label=_("specialty category"), choices=[("", _("any")), *Specialty.choices],
                                  required=False)

    def clean(self):
        data = super().clean()
        if data.get("age_min") is not None and data.get("age_max") is not None and data["age_min"] > data["age_max"]:
            self.add_error("age_max", ERR_AGE_BAND)
        return data


class TalkForm(forms.Form):
    """R-TLK-1: a talk that took place; saved through talk_record / talk_update, which check the rules."""

    person = PersonChoiceField(label=_("person"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("kind of talk"), choices=TalkKind.choices, initial=TalkKind.REGULAR)
    date = forms.DateField(label=_("talk date"), widget=DATE, initial=dt.date.today)
    talker_name = forms.CharField(label=_("talked by"), max_length=50)
    talker_position = forms.CharField(label=_("position of the talker"), max_length=100, required=False)
    unit = UnitChoiceField(label=_("branch"), queryset=OrgUnit.objects.none(), required=False,
                           help_text=_("Leave empty for the person's current secretary post."))
    notes = forms.CharField(label=_("notes of the talk"), required=False,
                            widget=forms.Textarea(attrs={"rows": 5, "wide": True}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].for_user(user)
        self.fields["unit"].queryset = visible_units(user)
