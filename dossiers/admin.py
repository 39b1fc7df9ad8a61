"""Printed files in the Django admin: read only (a print row is written once, by the print, and signs what it
printed: changing one would break its code, R-DOS-1), scoped to the user's subtree like every page (R-ORG-2)."""
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from dossiers import models


@admin.register(models.DossierPrint)
class DossierPrintAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["printed_at", "kind", "unit", "year", "person", "pages", "printed_by", "verification"]
    list_filter = ["kind", "year"]
    list_select_related = ["unit", "person", "printed_by"]
    search_fields = ["unit__name", "unit__code", "person__name"]

    @admin.display(description=_("verification page"))
    def verification(self, obj):
        from dossiers.services.verification import code_display, verify_path

        return format_html('<a href="{}">{}</a>', verify_path(obj.code), code_display(obj.code))
