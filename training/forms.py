from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.forms import PersonChoiceField, UnitChoiceField
from core.choices import Level, Sector
from core.models import OrgUnit
from core.uploads import upload_check_size
from core.widgets import person_picker, unit_picker

from .choices import ComplianceRule, ComplianceStatus, ContentCategory
from .models import Attendance, Course


# Courses are organised, and compliance reported, by units above the branches.
ORGANISER_LEVELS = [level for level in Level.values if level != Level.BRANCH]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CourseForm(forms.ModelForm):
    content_categories = forms.MultipleChoiceField(
        label=_("content categories"), choices=ContentCategory.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Course
        fields = ["code", "name", "kind", "organiser", "organiser_level", "start_date", "end_date", "hours",
                  "content_categories", "capacity", "location", "notes"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3}),
                   "organiser": unit_picker(levels=ORGANISER_LEVELS)}
        field_classes = {"organiser": UnitChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff organise courses only within their own subtree; the picker asks for the same levels.
        self.fields["organiser"].queryset = OrgUnit.objects.visible_to(user).exclude(level=Level.BRANCH)


class AttendanceForm(forms.ModelForm):
    class Meta:
        model = Attendance
        fields = ["person", "course", "hours", "days", "completed", "completed_on", "certificate_number", "notes"]
        widgets = {"completed_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2}), "person": person_picker()}
        field_classes = {"person": PersonChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].for_user(user)
        self.fields["course"].queryset = Course.objects.visible_to(user)

    def validate_unique(self):
        # The service reports a duplicate person and course with its own message.
        pass


class AttendanceImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            upload_check_size(name=upload.name, size=upload.size)  # R-SEC-3
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["file"]) from None
        return upload


class ComplianceFilterForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=1949, max_value=2200, required=False)
    unit = UnitChoiceField(label=_("unit"), queryset=OrgUnit.objects.none(), required=False,
                           widget=unit_picker(levels=ORGANISER_LEVELS))
    sector = forms.ChoiceField(label=_("sector"), choices=[("", "---------"), *Sector.choices], required=False)
    rule = forms.ChoiceField(label=_("rule"), choices=[("", "---------"), *ComplianceRule.choices], required=False)
    status = forms.ChoiceField(label=_("status"), choices=[("", "---------"), *ComplianceStatus.choices],
                               required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user).exclude(level=Level.BRANCH)
        # The page shows this year's report when no year is asked for; say so in the field.
        self.fields["year"].initial = timezone.localdate().year

    def params(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "year": data.get("year") or timezone.localdate().year,
            "unit": data.get("unit"),
            "sector": data.get("sector") or None,
            "rule": data.get("rule") or None,
            "status": data.get("status") or None,
        }
