from django.urls import path

from cadres import views, views_import, views_members, views_talks

app_name = "cadres"
urlpatterns: list = [
    path("units/", views.units, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("people/", views.PersonListView.as_view(), name="people"),
    path("people/new/", views.PersonCreateView.as_view(), name="person_create"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_edit"),
    path("appointments/", views.AppointmentListView.as_view(), name="appointments"),
    path("appointments/new/", views.AppointmentCreateView.as_view(), name="appointment_create"),
    path("appointments/<int:pk>/edit/", views.AppointmentUpdateView.as_view(), name="appointment_edit"),
    path("appointments/<int:pk>/end/", views.AppointmentEndView.as_view(), name="appointment_end"),
    path("reserves/", views.ReserveListView.as_view(), name="reserves"),
    path("reserves/new/", views.ReserveAddView.as_view(), name="reserve_add"),
    path("reserves/<int:pk>/withdraw/", views.ReserveWithdrawView.as_view(), name="reserve_withdraw"),
    path("talks/", views_talks.TalkListView.as_view(), name="talks"),
    path("talks/new/", views_talks.TalkCreateView.as_view(), name="talk_create"),
    path("talks/due/", views_talks.talks_due, name="talks_due"),
    path("talks/<int:pk>/edit/", views_talks.TalkUpdateView.as_view(), name="talk_edit"),
    path("reports/reserve-coverage/", views.reserve_coverage_report, name="report_reserve_coverage"),
    path("reports/under-35/", views.under_35_report, name="report_under_35"),
    path("reports/talent-pool/", views.talent_pool_report, name="report_talent_pool"),
    path("member-development/", views_members.member_development_page, name="member_development"),
    path("member-development/import/", views_members.MemberDevelopmentImportView.as_view(),
         name="member_development_import"),
    path("import/", views_import.ImportUploadView.as_view(), name="import-upload"),
    path("import/<int:pk>/", views_import.ImportPreviewView.as_view(), name="import-preview"),
    path("import/<int:pk>/confirm/", views_import.ImportConfirmView.as_view(), name="import-confirm"),
    path("import/<int:pk>/rejected.xlsx", views_import.ImportErrorsFileView.as_view(), name="import-errors-file"),
    path("export/people/", views_import.PeopleExportView.as_view(), name="export-people"),
    path("export/appointments/", views_import.AppointmentsExportView.as_view(), name="export-appointments"),
    path("export/roster/", views_import.RosterExportView.as_view(), name="export-roster"),
]
