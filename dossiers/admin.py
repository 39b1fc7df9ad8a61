"""Printed files in the Django admin: read only (a print row is written once, by the print, and signs what it
printed: changing one would break its code, R-DOS-1), scoped to the user's subtree like every page (R-ORG-2)."""
from django.contrib import admin

from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from dossiers import models


@admin.register(models.DossierPrint)
class DossierPrintAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["printed_at", "kind", "unit", "year", "person", "pages", "printed_by"]
    list_filter = ["kind", "year"]
    list_select_related = ["unit", "person", "printed_by"]
    search_fields = ["unit__name", "unit__code", "person__name"]
