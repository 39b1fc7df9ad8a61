from django.urls import path
from rest_framework.routers import DefaultRouter

from assessment.api import views

router = DefaultRouter()
router.register("cycles", views.CycleViewSet, basename="cycle")
router.register("duty-reports", views.DutyReportViewSet, basename="duty-report")
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")
router.register("indicator-templates", views.IndicatorTemplateViewSet, basename="indicator-template")
router.register("scores", views.BranchScoreViewSet, basename="score")
router.register("classifications", views.ClassificationViewSet, basename="classification")
router.register("branch-listings", views.BranchListingViewSet, basename="branch-listing")
router.register("sanctions", views.SanctionViewSet, basename="sanction")
router.register("honours", views.HonourViewSet, basename="honour")

urlpatterns = [
    path("reports/upgrade-targets/", views.UpgradeTargetReport.as_view(), name="report-upgrade-targets"),
    path("reports/calibration/", views.CalibrationReport.as_view(), name="report-calibration"),
    *router.urls,
]
