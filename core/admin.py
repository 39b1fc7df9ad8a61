from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import AccessLog, Job, Notice, OrgUnit, Policy, User


class ScopedAdminMixin:
    """Admin pages show only the user's subtree, as every other page does (R-ORG-2): the
    change lists and every choice of a related row (a unit, a person) alike."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if "queryset" not in kwargs and hasattr(related.objects, "visible_to"):
            kwargs["queryset"] = related.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedAdminMixin, TreeAdmin, SimpleHistoryAdmin):
    form = movenodeform_factory(OrgUnit)
    list_display = ("name", "code", "level", "sector", "members", "employees")
    list_filter = ("level", "sector")
    search_fields = ("name", "code")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Jurisdiction"), {"fields": ("unit", "role")}),)
    list_display = ("username", "first_name", "unit", "role", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("unit",)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(unit__path__startswith=request.user.unit.path) if request.user.unit_id else qs.none()


@admin.register(Policy)
class PolicyAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("unit", "year")
    list_filter = ("year",)
    raw_id_fields = ("unit",)


@admin.register(Job)
class JobAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("id", "kind", "state", "progress", "created_by", "created_at")
    list_filter = ("kind", "state")


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind",)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(recipient=request.user)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """R-SEC-1: the access log, for superusers only and read-only — nobody can add, change or delete a row."""

    list_display = ("at", "username", "action", "object_type", "object_id", "rows", "fields", "ip", "purpose")
    list_filter = ("action", "object_type")
    search_fields = ("username", "object_id", "purpose")
    date_hierarchy = "at"
    actions = None

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
