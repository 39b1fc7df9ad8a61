from django.urls import path

from assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.CycleListView.as_view(), name="cycles"),
    path("cycles/<int:pk>/review/", views.cycle_review, name="cycle_review"),
    path("duty-reports/", views.DutyReportListView.as_view(), name="duty_reports"),
    path("duty-reports/new/", views.duty_report_new, name="duty_report_new"),
    path("duty-reports/<int:pk>/", views.duty_report_detail, name="duty_report"),
    path("calibration/", views.calibration_page, name="calibration"),
    path("upgrade-targets/", views.upgrade_targets_page, name="upgrade_targets"),
    path("upgrade-targets/behind/", views.upgrade_targets_behind, name="upgrade_targets_behind"),
    path("people/<int:pk>/", views.person_page, name="person"),
    # R-ASM-3 democratic evaluation
    path("evaluations/", views.EvaluationListView.as_view(), name="evaluations"),
    path("evaluations/draw/", views.EvaluationDrawView.as_view(), name="evaluation_draw"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path("evaluations/<int:pk>/close/", views.EvaluationCloseView.as_view(), name="evaluation_close"),
    path("evaluations/<int:pk>/ballots/", views.EvaluationBallotsView.as_view(), name="evaluation_ballots"),
    path("evaluations/<int:pk>/import/", views.EvaluationImportView.as_view(), name="evaluation_import"),
    # R-ASM-4 indicators and the superior's scoring
    path("indicator-templates/", views.IndicatorTemplateListView.as_view(), name="templates"),
    path("indicator-templates/new/", views.IndicatorTemplateFormView.as_view(), name="template_new"),
    path("indicator-templates/<int:pk>/edit/", views.IndicatorTemplateFormView.as_view(), name="template_edit"),
    path("scores/", views.ScoreListView.as_view(), name="scores"),
    path("scores/<int:unit_pk>/", views.ScoreFormView.as_view(), name="score"),
    # R-CLS-2 lists, R-CLS-1/3 classifications and stars
    path("listings/", views.ListingListView.as_view(), name="listings"),
    path("listings/add/", views.ListingAddView.as_view(), name="listing_add"),
    path("listings/<int:pk>/remove/", views.ListingRemoveView.as_view(), name="listing_remove"),
    path("classifications/", views.ClassificationListView.as_view(), name="classifications"),
    path("classifications/<int:pk>/stars/", views.ClassificationStarsView.as_view(), name="classification_stars"),
    # R-HON-1..3 honours
    path("honours/", views.honour_list, name="honours"),
    path("honours/nominate/", views.HonourNominateView.as_view(), name="honour_nominate"),
    path("honours/advance/", views.RedFlagAdvanceView.as_view(), name="red_flag_advance"),
    # R-ASM-5 the published assessment report
    path("reports/<int:pk>/", views.assessment_report_page, name="report"),
]
