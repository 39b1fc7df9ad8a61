"""Pages of stipends: health (each part keeps its own URL list, joined in stipends/urls.py)."""

urlpatterns = []
