from django.urls import path  # noqa: F401
from rest_framework.routers import SimpleRouter

router = SimpleRouter()
# Each part registers its viewsets here: rectification-cases, rectification-tasks, talks …

urlpatterns = [
    *router.urls,
]
