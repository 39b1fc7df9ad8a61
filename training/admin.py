from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdminMixin

from .models import Attendance, Course


@admin.register(Course)
class CourseAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "organiser", "start_date", "end_date", "hours")
    list_filter = ("kind", "organiser_level")
    search_fields = ("code", "name")
    raw_id_fields = ("organiser",)


@admin.register(Attendance)
class AttendanceAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("person", "course", "hours", "days", "completed", "completed_on", "certificate_number")
    list_filter = ("completed", "course__kind")
    search_fields = ("person__name", "course__name", "certificate_number")
    raw_id_fields = ("person", "course")
