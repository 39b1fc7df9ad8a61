"""django-import-export resources of the registry: exports with Chinese headers, and a plain round-trip import.

Every resource is built for one user (``PersonResource(user=...)``): its queryset is the
user's subtree (R-ORG-2), so an export holds nothing the user may not see; ID numbers and
phones are masked unless the resource is built with ``reveal=`` naming them, which the export
view allows staff only and writes to the access log (R-SEC-1); every text cell that a
spreadsheet would run as a formula is neutralised (core.services.exports.safe_cell); units and people named in an imported row are
looked up only inside the subtree; imported rows pass the same services' validation as a
form (``person_validate``, ``appointment_validate``), and are saved with the importing user
in the history (R-SEC-2).

The 花名册 (``RosterResource``) is export-only: its rows go back in through
``cadres.imports.roster``, which reads the title and notes rows around the table.
"""
import io

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cadres.imports import normalise as n
from cadres.imports.roster import ERR_UNKNOWN_UNIT
from cadres.models import Appointment, Person
from cadres.selectors import person_find_by_id_number
from cadres.services.appointments import appointment_validate
from cadres.services.people import person_validate
from core.models import OrgUnit
from core.services.exports import safe_row

ERR_UNKNOWN_PERSON = _("No person with this ID number in your jurisdiction.")

ROSTER_TITLE = "党支部书记花名册"
TEXT_HEADERS = {"公民身份号码", "组织代码", "联系电话"}


def _id_number(resource, person) -> str:
    """R-SEC-1: in full only when the export was asked to reveal it (staff, logged); masked otherwise."""
    return person.id_number if "id_number" in resource.reveal else person.masked_id_number


def _phone(resource, person) -> str:
    return person.phone if "phone" in resource.reveal else person.masked_phone


class ParsedWidget(widgets.Widget):
    """A cell read by one of cadres.imports.normalise's parsers and written back in the roster's words."""

    def __init__(self, parse, render=None, *, default=None):
        super().__init__(coerce_to_string=True)
        self.parse, self._render, self.default = parse, render, default

    def clean(self, value, row=None, **kwargs):
        try:
            cleaned = self.parse(value)
        except ValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from None
        if isinstance(cleaned, n.ParsedDate):
            cleaned = cleaned.date
        return self.default if cleaned is None else cleaned

    def render(self, value, obj=None, **kwargs):
        if self._render is not None:
            return self._render(value)
        return "" if value is None else str(value)


def _choice_widget(parse, words: dict, default=""):
    return ParsedWidget(parse, lambda v: words.get(v, v or ""), default=default)


def _date_widget():
    return ParsedWidget(n.parse_date, n.date_text)


def _text_widget():
    return ParsedWidget(n.clean_text, default="")


def _yes_no_widget():
    return ParsedWidget(n.parse_yes_no, n.yes_no_text, default=False)


def _int_widget():
    return ParsedWidget(n.parse_int)


class UnitByCodeWidget(widgets.Widget):
    """组织代码 → a unit of the user's subtree; any other code is unknown (R-ORG-2)."""

    user = None

    def clean(self, value, row=None, **kwargs):
        try:
            code = n.parse_code(value)
        except ValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from None
        if not code:
            return None
        unit = OrgUnit.objects.visible_to(self.user).filter(code=code).first()
        if unit is None:
            raise ValueError(str(ERR_UNKNOWN_UNIT.format(code=code)))
        return unit

    def render(self, value, obj=None, **kwargs):
        return value.code if value is not None else ""


class PersonByIdNumberWidget(widgets.Widget):
    """公民身份号码 → a person of the user's subtree, found through the selector (never a filter on the column)."""

    user = None

    def clean(self, value, row=None, **kwargs):
        if n.is_blank(value):
            return None
        try:
            id_number = n.parse_id_number(value)
        except ValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from None
        person = person_find_by_id_number(id_number=id_number, queryset=Person.objects.visible_to(self.user))
        if person is None:
            raise ValueError(str(ERR_UNKNOWN_PERSON))
        return person

    def render(self, value, obj=None, **kwargs):
        return value.id_number if value is not None else ""


class SafeExportMixin:
    """R-SEC-1: every exported row is neutralised against formula injection, whatever format the rows
    are written in afterwards (the pages' xlsx and CSV, the admin's export action)."""

    def export_resource(self, instance, selected_fields=None, **kwargs):
        return safe_row(super().export_resource(instance, selected_fields, **kwargs))


class ScopedResource(SafeExportMixin, resources.ModelResource):
    """A resource for one user: rows, lookups and history all belong to that user's subtree."""

    def __init__(self, *, user=None, reveal=(), **kwargs):
        # user=None sees nothing: django-import-export builds a bare resource only to list its fields.
        super().__init__(**kwargs)
        self.user = user
        self.reveal = frozenset(reveal)
        for field in self.fields.values():
            if isinstance(field.widget, (UnitByCodeWidget, PersonByIdNumberWidget)):
                field.widget.user = user

    def get_queryset(self):
        return self._meta.model.objects.visible_to(self.user)

    def before_save_instance(self, instance, row, **kwargs):
        if getattr(self.user, "pk", None):
            instance._history_user = self.user  # R-SEC-2: who made the change

    def _validate_with(self, service, instance, import_validation_errors):
        errors = dict(import_validation_errors or {})
        try:
            service(instance)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, messages)
        if errors:
            raise ValidationError(errors)


class PersonResource(ScopedResource):
    """R-SEL-1: people, keyed by ID number."""

    name = fields.Field("name", "姓名", widget=ParsedWidget(n.clean_name))
    gender = fields.Field("gender", "性别", widget=_choice_widget(n.parse_gender, n.GENDER_WORDS))
    ethnicity = fields.Field("ethnicity", "民族", widget=ParsedWidget(n.clean_text, default="汉族"))
    birth_date = fields.Field("birth_date", "出生日期", widget=_date_widget())
    id_number = fields.Field("id_number", "公民身份号码", widget=ParsedWidget(n.parse_id_number))
    phone = fields.Field("phone", "联系电话", widget=ParsedWidget(n.parse_code, default=""))
    education = fields.Field("education", "学历", widget=_choice_widget(n.parse_education, n.EDUCATION_WORDS))
    party_join_date = fields.Field("party_join_date", "入党时间", widget=_date_widget())
    employer = fields.Field("employer", "工作单位", widget=_text_widget())
    job_title = fields.Field("job_title", "工作职务", widget=_text_widget())
    is_retired = fields.Field("is_retired", "是否退休", widget=_yes_no_widget())
    specialty = fields.Field("specialty", "专业类型", widget=_choice_widget(n.parse_specialty, n.SPECIALTY_WORDS))
    unit_name = fields.Field("unit__name", "所在党组织", readonly=True)
    unit = fields.Field("unit", "组织代码", widget=UnitByCodeWidget())
    notes = fields.Field("notes", "备注", widget=_text_widget())

    class Meta:
        model = Person
        fields = ("name", "gender", "ethnicity", "birth_date", "id_number", "phone", "education", "party_join_date",
                  "employer", "job_title", "is_retired", "specialty", "unit_name", "unit", "notes")
        import_id_fields = ("id_number",)
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().select_related("unit")

    def get_instance(self, instance_loader, row):
        """R-SEC-1: a person is found by ID number only through the selector, inside the user's subtree."""
        value = row.get(self.fields["id_number"].column_name)
        if n.is_blank(value):
            return None
        return person_find_by_id_number(id_number=value, queryset=self.get_queryset())

    def dehydrate_id_number(self, person):
        return _id_number(self, person)

    def dehydrate_phone(self, person):
        return _phone(self, person)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        self._validate_with(person_validate, instance, import_validation_errors)


class AppointmentResource(ScopedResource):
    """R-SEL-2..5: appointments, keyed by person, unit, post and start date."""

    person_name = fields.Field("person__name", "姓名", readonly=True)
    person = fields.Field("person", "公民身份号码", widget=PersonByIdNumberWidget())
    unit_name = fields.Field("unit__name", "所在党组织", readonly=True)
    unit = fields.Field("unit", "组织代码", widget=UnitByCodeWidget())
    role = fields.Field("role", "职务", widget=_choice_widget(n.parse_role, n.ROLE_WORDS))
    start_date = fields.Field("start_date", "任职时间", widget=_date_widget())
    planned_end_date = fields.Field("planned_end_date", "任期届满时间", widget=_date_widget())
    end_date = fields.Field("end_date", "离任时间", widget=_date_widget())
    end_reason = fields.Field("end_reason", "离任原因", widget=_choice_widget(n.parse_end_reason, n.END_REASON_WORDS))
    selection_method = fields.Field("selection_method", "产生方式",
                                    widget=_choice_widget(n.parse_selection, n.SELECTION_WORDS))
    source_channel = fields.Field("source_channel", "来源", widget=_choice_widget(n.parse_source, n.SOURCE_WORDS))
    eligible_voters = fields.Field("eligible_voters", "应到选举人数", widget=_int_widget())
    votes_cast = fields.Field("votes_cast", "实到选举人数", widget=_int_widget())
    votes_for = fields.Field("votes_for", "得票数", widget=_int_widget())
    is_full_time = fields.Field("is_full_time", "是否专职", widget=_yes_no_widget())
    is_dual_leader = fields.Field("is_dual_leader", "是否双带头人", widget=_yes_no_widget())
    concurrent_posts = fields.Field("concurrent_posts", "兼任行政职务", widget=_text_widget())
    notes = fields.Field("notes", "备注", widget=_text_widget())

    class Meta:
        model = Appointment
        fields = ("person_name", "person", "unit_name", "unit", "role", "start_date", "planned_end_date", "end_date",
                  "end_reason", "selection_method", "source_channel", "eligible_voters", "votes_cast", "votes_for",
                  "is_full_time", "is_dual_leader", "concurrent_posts", "notes")
        import_id_fields = ("person", "unit", "role", "start_date")
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().select_related("person", "unit")

    def dehydrate_person(self, appointment):
        return _id_number(self, appointment.person)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        self._validate_with(appointment_validate, instance, import_validation_errors)


class RosterResource(SafeExportMixin, resources.ModelResource):
    """R-SEL-1..5: the current secretaries as a 花名册 — the header row of the roster files counties keep."""

    seq = fields.Field(column_name="序号")
    name = fields.Field("person__name", "姓名")
    gender = fields.Field("person__gender", "性别", widget=_choice_widget(n.parse_gender, n.GENDER_WORDS))
    ethnicity = fields.Field("person__ethnicity", "民族")
    birth_month = fields.Field("person__birth_date", "出生年月", widget=ParsedWidget(n.parse_date, n.month_text))
    id_number = fields.Field(column_name="公民身份号码")
    education = fields.Field("person__education", "学历", widget=_choice_widget(n.parse_education, n.EDUCATION_WORDS))
    party_join_month = fields.Field("person__party_join_date", "入党时间",
                                    widget=ParsedWidget(n.parse_date, n.month_text))
    unit_name = fields.Field("unit__name", "所在党组织")
    unit_code = fields.Field("unit__code", "组织代码")
    role = fields.Field("role", "职务", widget=_choice_widget(n.parse_role, n.ROLE_WORDS))
    start_month = fields.Field("start_date", "任职时间", widget=ParsedWidget(n.parse_date, n.month_text))
    selection_method = fields.Field("selection_method", "产生方式",
                                    widget=_choice_widget(n.parse_selection, n.SELECTION_WORDS))
    is_full_time = fields.Field("is_full_time", "是否专职", widget=_yes_no_widget())
    is_dual_leader = fields.Field("is_dual_leader", "是否双带头人", widget=_yes_no_widget())
    phone = fields.Field(column_name="联系电话")
    notes = fields.Field("person__notes", "备注")

    class Meta:
        model = Appointment
        fields = ("seq", "name", "gender", "ethnicity", "birth_month", "id_number", "education", "party_join_month",
                  "unit_name", "unit_code", "role", "start_month", "selection_method", "is_full_time",
                  "is_dual_leader", "phone", "notes")

    def __init__(self, *, user, reveal=(), **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.reveal = frozenset(reveal)
        self._seq = 0

    def get_queryset(self):
        return (Appointment.objects.visible_to(self.user).current().secretaries()
                .select_related("person", "unit").order_by("unit__path"))

    def dehydrate_seq(self, appointment):
        self._seq += 1
        return self._seq

    def dehydrate_id_number(self, appointment):
        return _id_number(self, appointment.person)

    def dehydrate_phone(self, appointment):
        return _phone(self, appointment.person)


# --- files ---------------------------------------------------------------------------------

def dataset_xlsx(dataset, *, title: str | None = None) -> bytes:
    """An .xlsx of a dataset: an optional merged title row, bold headers, ID numbers and codes as text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (title or "导出")[:31]
    headers = list(dataset.headers or [])
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(headers), 1))
        sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
        sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    sheet.append(headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    text_columns = [i for i, h in enumerate(headers, start=1) if h in TEXT_HEADERS]
    for values in dataset:
        sheet.append(safe_row(values))
        for col in text_columns:
            sheet.cell(row=sheet.max_row, column=col).number_format = "@"
    for col, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = 20 if header in TEXT_HEADERS else 12
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dataset_csv(dataset) -> bytes:
    """CSV in UTF-8 with a BOM, which Chinese Excel opens without garbling; formula-like cells neutralised."""
    safe = tablib.Dataset(*(safe_row(values) for values in dataset), headers=dataset.headers)
    return base_formats.CSV().export_data(safe).encode("utf-8-sig")


def dataset_from_file(data: bytes, *, filename: str):
    """A plain round-trip import file (header on the first row) read with import-export's formats."""
    if filename.lower().endswith(".csv"):
        from cadres.imports.readers import decode_csv

        text, _encoding = decode_csv(data)
        return base_formats.CSV().create_dataset(text)
    return base_formats.XLSX().create_dataset(data)
