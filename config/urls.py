from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("", include("core.urls")),
    path("cadres/", include("cadres.urls")),
    path("training/", include("training.urls")),
    path("assessment/", include("assessment.urls")),
    path("rectification/", include("rectification.urls")),
    path("stipends/", include("stipends.urls")),
    path("dossiers/", include("dossiers.urls")),
    path("verify/", include("dossiers.urls_verify")),  # R-DOS-1: public, what a printout's QR code opens
]

# Chinese error pages in the site's layout; JSON under /api/ (core.errors).
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
