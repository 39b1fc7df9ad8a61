from stipends import urls_elections, urls_health, urls_sheets

app_name = "stipends"

urlpatterns = [
    *urls_sheets.urlpatterns,      # R-STP-2..4: sheets, lines, what-if, export
    *urls_health.urlpatterns,      # R-STP-5/6: eligibility and health checks
    *urls_elections.urlpatterns,   # R-STP-3: the form each secretary receives
]
