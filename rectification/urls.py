from django.urls import path  # noqa: F401

from rectification import views_ranking

app_name = "rectification"

urlpatterns = [
    # R-RCT-1: ranking
    path("ranking/", views_ranking.ranking_page, name="ranking"),
]
