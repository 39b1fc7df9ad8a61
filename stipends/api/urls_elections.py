"""API of stipends: elections (joined in stipends/api/urls.py)."""
from rest_framework.routers import SimpleRouter

from stipends.api.views_elections import StipendElectionViewSet

router = SimpleRouter()
# R-STP-3 (004 第八条): the form each secretary receives
router.register("stipend-elections", StipendElectionViewSet, basename="stipend-election")

urlpatterns = [*router.urls]
