from django.urls import path  # noqa: F401
from rest_framework.routers import SimpleRouter

from rectification.api import views_ranking

router = SimpleRouter()
# Each part registers its viewsets here: rectification-cases, rectification-tasks, talks …
# R-RCT-1/4: ranking and corrections
router.register("weak-candidates", views_ranking.WeakCandidateViewSet, basename="weak-candidate")
router.register("correction-orders", views_ranking.CorrectionOrderViewSet, basename="correction-order")

urlpatterns = [
    # R-RCT-1: ranking
    path("reports/bottom-ranking/", views_ranking.BottomRankingReport.as_view(), name="report-bottom-ranking"),
    *router.urls,
]
