from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdminMixin
from core.uploads import ERR_TOO_MANY_ROWS, import_max_rows, upload_check_size, workbook_check

from .models import Appointment, Person, ReserveCandidate, Talk
from .resources import AppointmentResource, PersonResource


class UserResourceMixin(ImportExportMixin):
    """django-import-export in the admin: dry-run preview, errors by row, nothing written unless
    every row is valid; the resources are built for the requesting user, so imports and exports
    stay inside their subtree and pass the services' validation."""

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**kwargs, "user": request.user}

    def get_import_formats(self):
        return [_capped(f) for f in super().get_import_formats()]


def _capped(format_class):
    """An import-export format that applies the upload caps of R-SEC-3 before it reads the file."""

    class Capped(format_class):
        def create_dataset(self, in_stream, **kwargs):
            data = in_stream.encode("utf-8") if isinstance(in_stream, str) else bytes(in_stream)
            name = str(_("the uploaded file"))
            try:
                upload_check_size(name=name, size=len(data))
                workbook_check(data=data, name=name)
            except ValidationError as exc:
                raise ValueError(" ".join(exc.messages)) from None
            dataset = super().create_dataset(in_stream, **kwargs)
            if len(dataset) > import_max_rows():
                raise ValueError(str(ERR_TOO_MANY_ROWS.format(name=name, rows=import_max_rows(), sheet="1")))
            return dataset

    Capped.__name__ = Capped.__qualname__ = format_class.__name__
    return Capped


@admin.register(Person)
class PersonAdmin(ScopedAdminMixin, UserResourceMixin, SimpleHistoryAdmin):
    resource_classes = [PersonResource]
    list_display = ("name", "gender", "birth_date", "unit", "education")
    list_filter = ("gender", "education", "unit__sector")
    search_fields = ("name",)  # never the encrypted ID number: found only through its keyed hash (R-SEC-1)
    raw_id_fields = ("unit", "user")
    exclude = ()

    # R-SEC-1: an existing record (and each of its history versions) shows the ID number and phone
    # masked and read-only; they are changed on the record's edit page. A new record types them in.
    def get_exclude(self, request, obj=None):
        return ("id_number", "phone") if obj is not None else ()

    def get_readonly_fields(self, request, obj=None):
        return ("masked_id_number", "masked_phone") if obj is not None else ()

    @admin.display(description=_("resident ID number"))
    def masked_id_number(self, obj):
        return obj.masked_id_number

    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return obj.masked_phone


@admin.register(Appointment)
class AppointmentAdmin(ScopedAdminMixin, UserResourceMixin, SimpleHistoryAdmin):
    resource_classes = [AppointmentResource]
    list_display = ("person", "unit", "role", "start_date", "end_date", "selection_method", "is_dual_leader")
    list_filter = ("role", "selection_method", "source_channel", "is_dual_leader", "is_full_time")
    search_fields = ("person__name", "unit__name")
    raw_id_fields = ("person", "unit")


@admin.register(ReserveCandidate)
class ReserveCandidateAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("person", "unit", "status", "added_on")
    list_filter = ("status",)
    raw_id_fields = ("person", "unit")


@admin.register(Talk)
class TalkAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("person", "unit", "kind", "date", "talker_name")
    list_filter = ("kind",)
    search_fields = ("person__name", "talker_name")
    raw_id_fields = ("person", "unit", "appointment", "talker_user")
    date_hierarchy = "date"
