from django.urls import path

from dossiers import views_exports

urlpatterns = [
    path("exports/", views_exports.ExportListView.as_view(), name="exports"),
    path("exports/units/<int:unit_pk>/", views_exports.ExportStartView.as_view(), name="export_start"),
]
