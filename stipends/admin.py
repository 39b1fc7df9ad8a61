"""Stipends and care in the Django admin: read-mostly (the services compute, approve and correct sheets and keep
their history, R-STP-4), scoped to the user's subtree like every page (R-ORG-2). An approved sheet is frozen:
nothing here changes, adds or deletes a sheet, a line, a form, an eligibility or a check."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from stipends import models


# --- sheets and their lines (R-STP-2..4) ---

@admin.register(models.StipendSheet)
class StipendSheetAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["unit", "year", "version", "state", "total", "line_count", "flagged_count", "approved_at"]
    list_filter = ["year", "state"]
    list_select_related = ["unit"]
    search_fields = ["unit__name", "unit__code"]


@admin.register(models.StipendLine)
class StipendLineAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["person", "unit", "sheet", "regime", "tier", "months", "amount", "provisional"]
    list_filter = ["regime", "form", "provisional"]
    list_select_related = ["person", "unit", "sheet__unit"]
    search_fields = ["person__name", "unit__name"]


# --- forms received and health checks (R-STP-3, R-STP-5/6) ---

@admin.register(models.StipendElection)
class StipendElectionAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["person", "unit", "year", "form"]
    list_filter = ["year", "form"]
    list_select_related = ["person", "unit"]


@admin.register(models.HealthCheckEntitlement)
class HealthCheckEntitlementAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["person", "unit", "year", "period_start", "qualified_on"]
    list_filter = ["year"]
    list_select_related = ["person", "unit"]


@admin.register(models.HealthCheck)
class HealthCheckAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["person", "unit", "kind", "basis", "decided_on", "done_on"]
    list_filter = ["kind", "basis"]
    list_select_related = ["person", "unit"]
