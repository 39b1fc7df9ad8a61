"""API of stipends: health (joined in stipends/api/urls.py)."""

urlpatterns = []
