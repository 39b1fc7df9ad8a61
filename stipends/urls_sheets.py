"""Pages of stipends: sheets (each part keeps its own URL list, joined in stipends/urls.py)."""

urlpatterns = []
