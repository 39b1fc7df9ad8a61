from django.urls import path
from rest_framework.routers import DefaultRouter

from cadres.api import views

router = DefaultRouter()
router.register("people", views.PersonViewSet, basename="person")
router.register("appointments", views.AppointmentViewSet, basename="appointment")
router.register("member-development", views.MemberDevelopmentViewSet, basename="member-development")
router.register("reserve-candidates", views.ReserveCandidateViewSet, basename="reserve-candidate")
router.register("talks", views.TalkViewSet, basename="talk")

urlpatterns = [
    path("reports/reserve-coverage/", views.ReserveCoverageReport.as_view(), name="report-reserve-coverage"),
    path("reports/under-35/", views.Under35Report.as_view(), name="report-under-35"),
    path("reports/talent-pool/", views.TalentPoolReport.as_view(), name="report-talent-pool"),
    path("reports/dual-leaders/", views.DualLeaderReport.as_view(), name="report-dual-leaders"),
    path("reports/member-development/", views.MemberDevelopmentReport.as_view(), name="report-member-development"),
    path("reports/units-by-sector/", views.UnitsBySectorReport.as_view(), name="report-units-by-sector"),
    path("reports/talks-due/", views.TalksDueReport.as_view(), name="report-talks-due"),
    *router.urls,
]
