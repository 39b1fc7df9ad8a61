from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdminMixin

from .models import Appointment, Person, ReserveCandidate


@admin.register(Person)
class PersonAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "gender", "birth_date", "unit", "education")
    list_filter = ("gender", "education", "unit__sector")
    search_fields = ("name",)
    raw_id_fields = ("unit", "user")
    exclude = ()


@admin.register(Appointment)
class AppointmentAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("person", "unit", "role", "start_date", "end_date", "selection_method", "is_dual_leader")
    list_filter = ("role", "selection_method", "source_channel", "is_dual_leader", "is_full_time")
    search_fields = ("person__name", "unit__name")
    raw_id_fields = ("person", "unit")


@admin.register(ReserveCandidate)
class ReserveCandidateAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("person", "unit", "status", "added_on")
    list_filter = ("status",)
    raw_id_fields = ("person", "unit")
