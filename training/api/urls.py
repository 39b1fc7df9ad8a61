from django.urls import path
from rest_framework.routers import DefaultRouter

from training.api import views

router = DefaultRouter()
router.register("courses", views.CourseViewSet, basename="course")
router.register("attendances", views.AttendanceViewSet, basename="attendance")

urlpatterns = [
    path("reports/training-compliance/", views.TrainingComplianceReport.as_view(),
         name="report-training-compliance"),
    *router.urls,
]
