"""All REST endpoints under /api/v1/; each app contributes its routes."""
from django.urls import include, path

urlpatterns = [
    path("", include("core.api.urls")),
    path("", include("cadres.api.urls")),
    path("", include("training.api.urls")),
    path("", include("assessment.api.urls")),
    path("", include("rectification.api.urls")),
    path("", include("stipends.api.urls")),
    path("", include("dossiers.api.urls")),
]
