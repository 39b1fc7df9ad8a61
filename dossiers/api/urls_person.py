from django.urls import path

from dossiers.api import views_person

urlpatterns = [
    path("people/<int:pk>/dossier.pdf", views_person.PersonDossierView.as_view(), name="api-person-dossier"),
]
