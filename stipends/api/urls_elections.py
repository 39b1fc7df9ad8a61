"""API of stipends: elections (joined in stipends/api/urls.py)."""

urlpatterns = []
