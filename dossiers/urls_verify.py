from django.urls import path

from dossiers import views_verify

urlpatterns = [
    path("<str:code>/", views_verify.verify_page, name="verify"),
]
