from django.urls import path

from dossiers.api import views_assessment

urlpatterns = [
    path("org-units/<int:pk>/assessment-file.pdf", views_assessment.AssessmentFileView.as_view(),
         name="api-assessment-file"),
]
