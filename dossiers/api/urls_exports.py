from django.urls import path

from dossiers.api import views_exports

urlpatterns = [
    path("dossier-exports/", views_exports.DossierExportListView.as_view(), name="api-dossier-exports"),
    path("dossier-exports/<int:pk>/", views_exports.DossierExportDetailView.as_view(), name="api-dossier-export"),
    path("dossier-exports/<int:pk>/download/", views_exports.DossierExportDownloadView.as_view(),
         name="api-dossier-export-download"),
]
