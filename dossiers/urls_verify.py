from django.urls import path

from dossiers import views_verify

urlpatterns = [
    path("", views_verify.verify_form, name="verify-form"),  # type a code from paper
    path("<str:code>/", views_verify.verify_page, name="verify"),
]
