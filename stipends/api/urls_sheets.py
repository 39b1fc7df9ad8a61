"""API of stipends: sheets (joined in stipends/api/urls.py)."""
from rest_framework.routers import SimpleRouter

from stipends.api import views_sheets

router = SimpleRouter()
# R-STP-2..4: sheets, their lines, approve, correct, preview
router.register("stipend-sheets", views_sheets.StipendSheetViewSet, basename="stipend-sheet")

urlpatterns = [*router.urls]
