from django.urls import path  # noqa: F401
from rest_framework.routers import SimpleRouter

from rectification.api import views

router = SimpleRouter()
# Each part registers its viewsets here: rectification-cases, rectification-tasks, talks …
# cases, tasks and the ledger (R-RCT-1/3)
router.register("rectification-cases", views.RectificationCaseViewSet, basename="rectification-case")
router.register("rectification-tasks", views.RectificationTaskViewSet, basename="rectification-task")

urlpatterns = [
    # cases, tasks and the ledger (R-RCT-1/3)
    path("reports/rectification-ledger/", views.RectificationLedgerReport.as_view(),
         name="report-rectification-ledger"),
    *router.urls,
]
