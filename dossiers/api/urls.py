from dossiers.api import urls_assessment, urls_exports, urls_person

urlpatterns = [
    *urls_person.urlpatterns,      # R-DOS-1: people/<id>/dossier.pdf
    *urls_assessment.urlpatterns,  # R-ASM-5: org-units/<id>/assessment-file.pdf?year=
    *urls_exports.urlpatterns,     # R-DOS-2: dossier-exports/
]
