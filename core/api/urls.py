from django.urls import path
from rest_framework.routers import DefaultRouter

from core.api import views

router = DefaultRouter()
router.register("org-units", views.OrgUnitViewSet, basename="org-unit")
router.register("policies", views.PolicyViewSet, basename="policy")
router.register("jobs", views.JobViewSet, basename="job")
router.register("notices", views.NoticeViewSet, basename="notice")

urlpatterns = [
    path("reports/enterprise-coverage/", views.EnterpriseCoverageReport.as_view(), name="report-enterprise-coverage"),
    *router.urls,
]
