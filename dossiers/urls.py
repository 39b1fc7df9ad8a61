from dossiers import urls_assessment, urls_exports

app_name = "dossiers"

urlpatterns = [
    *urls_assessment.urlpatterns,  # R-ASM-5: pages of the branch assessment file, if any
    *urls_exports.urlpatterns,     # R-DOS-2: the jurisdiction exports and their progress
]
