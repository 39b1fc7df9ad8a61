from stipends.api import urls_elections, urls_health, urls_sheets

urlpatterns = [
    *urls_sheets.urlpatterns,      # stipend-sheets/, their lines, approve, preview
    *urls_health.urlpatterns,      # health-checks/, reports/health-check-eligible/
    *urls_elections.urlpatterns,   # stipend-elections/
]
