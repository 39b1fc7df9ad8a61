"""Pages of stipends: sheets (each part keeps its own URL list, joined in stipends/urls.py)."""
from django.urls import path

from stipends import views_sheets

urlpatterns = [
    # R-STP-2..4: the sheets, one sheet and its actions, its Excel file
    path("", views_sheets.SheetListView.as_view(), name="sheets"),
    path("sheets/<int:pk>/", views_sheets.sheet_detail, name="sheet"),
    path("sheets/<int:pk>/export.xlsx", views_sheets.sheet_export, name="sheet_export"),
    # R-STP-2, R-POL-1: what-if of a draft policy
    path("preview/", views_sheets.sheet_preview_page, name="preview"),
    # issue 10 item 6: a secretary's own lines
    path("mine/", views_sheets.my_stipend, name="mine"),
]
