from django.urls import path
from rest_framework.routers import DefaultRouter

from core.api import auth, views

router = DefaultRouter()
router.register("org-units", views.OrgUnitViewSet, basename="org-unit")
router.register("policies", views.PolicyViewSet, basename="policy")
router.register("jobs", views.JobViewSet, basename="job")
router.register("notices", views.NoticeViewSet, basename="notice")

urlpatterns = [
    # Other systems trade a username and password for a token, then send
    # "Authorization: Token <key>" (SPEC "Users": other systems) until it expires or is revoked.
    path("auth/token/", auth.TokenObtainView.as_view(), name="api-token"),
    path("auth/token/revoke/", auth.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("auth/users/<int:pk>/tokens/revoke/", auth.UserTokensRevokeView.as_view(), name="api-user-tokens-revoke"),
    path("reports/enterprise-coverage/", views.EnterpriseCoverageReport.as_view(), name="report-enterprise-coverage"),
    *router.urls,
]
