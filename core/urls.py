from django.contrib.auth import views as auth_views
from django.urls import path

from core import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("policies/", views.policy_view, name="policy"),
    path("policies/new/", views.PolicyCreateView.as_view(), name="policy_create"),
    path("policies/<int:pk>/edit/", views.PolicyUpdateView.as_view(), name="policy_edit"),
    path("reports/enterprise-coverage/", views.enterprise_coverage_report, name="report_enterprise_coverage"),
    path("reports/enterprise-coverage/export/", views.EnterpriseCoverageExportView.as_view(),
         name="report_enterprise_coverage_export"),
    path("notices/", views.NoticeListView.as_view(), name="notices"),
    path("notices/read-all/", views.notices_read_all, name="notices_read_all"),
    path("notices/<int:pk>/read/", views.notice_read, name="notice_read"),
    path("jobs/", views.JobListView.as_view(), name="jobs"),
    path("jobs/<int:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/download/", views.JobDownloadView.as_view(), name="job_download"),
    *views.export_urlpatterns(),
]
