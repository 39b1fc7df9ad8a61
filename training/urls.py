from django.urls import path

from core.views import TableExportView

from . import views

app_name = "training"
urlpatterns = [
    path("courses/", views.CourseListView.as_view(), name="course-list"),
    path("courses/new/", views.CourseCreateView.as_view(), name="course-create"),
    path("courses/<int:pk>/", views.CourseDetailView.as_view(), name="course-detail"),
    path("attendances/new/", views.AttendanceCreateView.as_view(), name="attendance-create"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    # The old address of the compliance export: the same file as /exports/compliance.xlsx (core.exports).
    path("compliance/export.xlsx", TableExportView.as_view(export_name="compliance", fmt="xlsx"),
         name="compliance-export"),
    path("due/", views.DueSoonView.as_view(), name="due-soon"),
    path("me/", views.MyTrainingView.as_view(), name="my-training"),
    path("import/", views.ImportUploadView.as_view(), name="import"),
    path("import/template.xlsx", views.ImportTemplateView.as_view(), name="import-template"),
    path("import/<int:pk>/", views.ImportPreviewView.as_view(), name="import-preview"),
    path("import/<int:pk>/errors.xlsx", views.ImportRejectedView.as_view(), name="import-rejected"),
]
