from django.urls import path  # noqa: F401

from rectification import views

app_name = "rectification"

urlpatterns = [
    # cases, tasks and the ledger (R-RCT-1/3)
    path("", views.LedgerView.as_view(), name="ledger"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/close/", views.case_close_view, name="case_close"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
