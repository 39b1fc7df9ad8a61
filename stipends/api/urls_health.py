"""API of stipends: health (joined in stipends/api/urls.py). R-STP-5/6."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from stipends.api import views_health

router = SimpleRouter()
router.register("health-checks", views_health.HealthCheckViewSet, basename="health-check")

urlpatterns = [
    path("reports/health-check-eligible/", views_health.HealthCheckEligibleReport.as_view(),
         name="report-health-check-eligible"),
    *router.urls,
]
