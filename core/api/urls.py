from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from core.api import views

router = DefaultRouter()
router.register("org-units", views.OrgUnitViewSet, basename="org-unit")
router.register("policies", views.PolicyViewSet, basename="policy")
router.register("jobs", views.JobViewSet, basename="job")
router.register("notices", views.NoticeViewSet, basename="notice")

urlpatterns = [
    # Other systems trade a username and password for a token once, then send
    # "Authorization: Token <key>" (SPEC "Users": other systems).
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("reports/enterprise-coverage/", views.EnterpriseCoverageReport.as_view(), name="report-enterprise-coverage"),
    *router.urls,
]
