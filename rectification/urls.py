from django.urls import path

from rectification import views, views_corrections, views_help, views_ranking

app_name = "rectification"

urlpatterns = [
    # cases, tasks and the ledger (R-RCT-1/3)
    path("", views.LedgerView.as_view(), name="ledger"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/close/", views.case_close_view, name="case_close"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    # R-RCT-1: ranking
    path("ranking/", views_ranking.ranking_page, name="ranking"),
    # R-RCT-4: corrections; R-RCT-2: help (reached from a case page)
    path("corrections/", views_corrections.CorrectionListView.as_view(), name="corrections"),
    path("corrections/new/", views_corrections.correction_new, name="correction_new"),
    path("corrections/<int:pk>/", views_corrections.correction_detail, name="correction"),
    path("cases/<int:pk>/corrections/new/", views_corrections.correction_new, name="case_correction_new"),
    path("cases/<int:pk>/help/", views_help.help_page, name="case_help"),
    path("help/<int:pk>/end/", views_help.help_end_page, name="help_end"),
]
