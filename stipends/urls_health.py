"""Pages of stipends: health (each part keeps its own URL list, joined in stipends/urls.py). R-STP-5/6."""
from django.urls import path

from stipends import views_health

urlpatterns = [
    path("health/eligible/", views_health.EligibleListView.as_view(), name="health_eligible"),
    path("health/eligible/refresh/", views_health.eligible_refresh, name="health_refresh"),
    path("health/checks/", views_health.CheckListView.as_view(), name="health_checks"),
    path("health/checks/new/", views_health.check_new, name="health_check_new"),
    path("health/checks/<int:pk>/", views_health.check_detail, name="health_check"),
]
