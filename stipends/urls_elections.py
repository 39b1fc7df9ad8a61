"""Pages of stipends: elections (each part keeps its own URL list, joined in stipends/urls.py)."""
from django.urls import path

from stipends import views_elections

urlpatterns = [
    # R-STP-3 (004 第八条): the form each secretary receives (stipend or workload credit), per year
    path("forms/", views_elections.elections_page, name="elections"),
]
