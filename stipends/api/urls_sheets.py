"""API of stipends: sheets (joined in stipends/api/urls.py)."""

urlpatterns = []
