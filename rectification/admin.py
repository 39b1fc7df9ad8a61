"""Rectification in the Django admin: read-mostly (the services keep the rules and the history, R-RCT-3),
scoped to the user's subtree like every page (R-ORG-2). Evidence files are not here: they are served only
through the scoped download, never under a public URL."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from rectification import models


# --- cases, tasks and their history (R-RCT-1/3) ---

@admin.register(models.RectificationCase)
class RectificationCaseAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["unit", "year", "state", "opened_at", "closed_at"]
    list_filter = ["year", "state"]
    search_fields = ["unit__name", "unit__code"]


@admin.register(models.RectificationTask)
class RectificationTaskAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "case", "owner_person", "owner_unit", "deadline", "state"]
    list_filter = ["state"]


@admin.register(models.CaseEvent)
class CaseEventAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["case", "kind", "by", "at"]
    list_filter = ["kind"]
