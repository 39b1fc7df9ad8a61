"""Pages of stipends: elections (each part keeps its own URL list, joined in stipends/urls.py)."""

urlpatterns = []
