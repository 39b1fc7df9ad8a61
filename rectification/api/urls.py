from django.urls import path
from rest_framework.routers import SimpleRouter

from rectification.api import views, views_ranking

router = SimpleRouter()
# cases, tasks and the ledger (R-RCT-1/3)
router.register("rectification-cases", views.RectificationCaseViewSet, basename="rectification-case")
router.register("rectification-tasks", views.RectificationTaskViewSet, basename="rectification-task")
# R-RCT-1/4: ranking and corrections
router.register("weak-candidates", views_ranking.WeakCandidateViewSet, basename="weak-candidate")
router.register("correction-orders", views_ranking.CorrectionOrderViewSet, basename="correction-order")

urlpatterns = [
    path("reports/rectification-ledger/", views.RectificationLedgerReport.as_view(),
         name="report-rectification-ledger"),
    path("reports/bottom-ranking/", views_ranking.BottomRankingReport.as_view(), name="report-bottom-ranking"),
    *router.urls,
]
