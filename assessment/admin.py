from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessment import models
from core.admin import ScopedAdminMixin


@admin.register(models.AssessmentCycle)
class AssessmentCycleAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["year", "unit", "classification_date", "published_at"]
    list_filter = ["year"]
    raw_id_fields = ["unit"]


@admin.register(models.DutyReport)
class DutyReportAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["year", "unit", "person", "state"]
    list_filter = ["year", "state"]
    raw_id_fields = ["unit", "person"]


@admin.register(models.Classification)
class ClassificationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["year", "unit", "composite_score", "tier", "stars", "movement"]
    list_filter = ["year", "tier"]
    raw_id_fields = ["unit", "cycle"]
    # Tiers change through the services (reason, history, publication lock), not here.
    readonly_fields = [f.name for f in models.Classification._meta.concrete_fields]

    def has_add_permission(self, request):
        return False  # every field is read-only: an "add" saved an empty row and answered 500


@admin.register(models.Sanction)
class SanctionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["person", "unit", "year", "applies_to_year", "reason"]
    list_filter = ["year", "reason"]
    raw_id_fields = ["person", "unit"]


@admin.register(models.Honour)
class HonourAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["kind", "year", "unit", "person", "stage", "withdrawn_at"]
    list_filter = ["kind", "year", "stage"]
    raw_id_fields = ["unit", "person"]


@admin.register(models.IndicatorTemplate)
class IndicatorTemplateAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "unit", "year"]
    raw_id_fields = ["unit"]
# EvaluationSample and EvaluationRating are deliberately not in the admin: ballots stay out of sight (R-ASM-3).
