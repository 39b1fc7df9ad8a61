"""What every role gets from every URL and method (R-ORG-2). Read by tests/security/test_permission_matrix.py.

Roles: ``anon`` nobody logged in · ``sec`` the secretary of village A1 · ``sec2`` the secretary of village A2 (same
township) · ``sup`` the township's supervisor · ``staff`` county A's staff · ``sib`` staff of sibling county B ·
``nounit`` a staff login without a unit · ``adm_out`` a Django-admin user (is_staff, not superuser) of county B ·
``adm_in`` one of county A. Path parameters are county A's objects (``OBJECTS``).

A row maps methods to statuses: ``"GET": "anon=302 sec,sec2=403 *=200"`` reads "anonymous users are sent to the
login, the two secretaries get 403, everyone else 200". Several methods may share an entry (``"PUT PATCH"``). A
method the row leaves out takes the family's default (``DEFAULTS``: pages, API, admin). ``HTML`` is a GET with
``Accept: text/html`` (the browsable API).

Adding a URL: add its row (and its object to ``OBJECTS`` when it has a parameter); to draft it, run the module
with ``MATRIX_RECORD=/tmp/observed.json`` and read what each role gets — then decide what each role *should* get.
"""

METHODS = {
    "page": ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"),
    "api": ("GET", "HTML", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"),
    "admin": ("GET", "POST"),
}

# Path parameters: the longest matching route prefix names the world's object (county A's).
OBJECTS = {
    "api/v1/^org-units/": "village_a1",
    "api/v1/^policies/": "policy_a",
    "api/v1/^jobs/": "job_export",
    "api/v1/^notices/": "notice_a",
    "api/v1/^people/": "person_a1",
    "api/v1/^appointments/": "appointment_a1",
    "api/v1/^reserve-candidates/": "reserve_a",
    "api/v1/^member-development/": "member_development_a",
    "api/v1/^talks/": "talk_a",
    "api/v1/^courses/": "course_a",
    "api/v1/^attendances/": "attendance_a",
    "api/v1/^cycles/": "cycle_a",
    "api/v1/^duty-reports/": "duty_report_a",
    "api/v1/^evaluations/": "sample_a",
    "api/v1/^indicator-templates/": "template_a",
    "api/v1/^scores/": "score_a",
    "api/v1/^classifications/": "classification_a",
    "api/v1/^branch-listings/": "listing_a",
    "api/v1/^sanctions/": "sanction_a",
    "api/v1/^honours/": "honour_a",
    "api/v1/auth/users/": "user_sec",
    "api/v1/^weak-candidates/": "candidate_a",
    "api/v1/^correction-orders/": "correction_a",
    "rectification/corrections/": "correction_a",
    "rectification/cases/": "case_a",
    "rectification/help/": "help_a",
    "policies/": "policy_a",
    "notices/": "notice_a",
    "jobs/": "job_export",
    "cadres/units/": "village_a1",
    "cadres/people/": "person_a1",
    "cadres/appointments/": "appointment_a1",
    "cadres/reserves/": "reserve_a",
    "cadres/talks/": "talk_a",
    "cadres/import/": "job_roster",
    "training/courses/": "course_a",
    "training/import/": "job_training",
    "assessment/cycles/": "cycle_a",
    "assessment/duty-reports/": "duty_report_a",
    "assessment/people/": "person_a1",
    "assessment/evaluations/": "sample_a",
    "assessment/indicator-templates/": "template_a",
    "assessment/scores/": "village_a1",
    "assessment/listings/": "listing_a",
    "assessment/classifications/": "classification_a",
    "assessment/reports/": "classification_a",
    # rectification: cases, tasks and the ledger (R-RCT-1/3)
    "api/v1/^rectification-cases/": "case_a",
    "api/v1/^rectification-tasks/": "task_a",
    "rectification/evidence/": "evidence_a",
    # stipends: forms received (issue 10, R-STP-3)
    "api/v1/^stipend-elections/": "election_a",
    # stipends: sheets and their lines (issue 10, R-STP-2..4)
    "api/v1/^stipend-sheets/": "sheet_a",
    # stipends: sheet pages (issue 10)
    "stipends/sheets/": "sheet_a",
    # stipends: health checks (issue 10, R-STP-5)
    "api/v1/^health-checks/": "health_check_a",
    "stipends/health/checks/": "health_check_a",
    # dossiers (issue 11): person A1's term file, village A1's assessment file
    "api/v1/people/": "person_a1",
    "api/v1/org-units/": "village_a1",
    # dossiers: jurisdiction export (issue 11, R-DOS-2): county A's staff's finished export; an export of village A1
    "api/v1/dossier-exports/": "dossier_export_a",
    "dossiers/exports/units/": "village_a1",
}
# Query strings: reports that take a unit are asked about county A (outsiders must be refused, not answered).
QUERIES = {
    "api/v1/^policies/effective/$": "unit={unit}&year=2025",
    "api/v1/^policies/effective\\.(?P<format>[a-z0-9]+)/?$": "unit={unit}&year=2025",
    "api/v1/^evaluations/satisfaction/$": "unit={unit}&year=2025",
    "api/v1/reports/health-check-eligible/": "unit={unit}&year=2024",
    "api/v1/^evaluations/satisfaction\\.(?P<format>[a-z0-9]+)/?$": "unit={unit}&year=2025",
    "api/v1/reports/training-compliance/": "unit={unit}&year=2026",
    "api/v1/reports/upgrade-targets/": "unit={unit}&year=2025",
    "api/v1/reports/calibration/": "unit={unit}&year=2025",
    "api/v1/reports/bottom-ranking/": "unit={unit}&year=2025",
    "rectification/ranking/": "unit={unit}&year=2025",
    "api/v1/reports/reserve-coverage/": "year=2025",
    "api/v1/reports/member-development/": "unit={unit}&year=2025",
    "cadres/member-development/": "year=2025",
    "api/v1/reports/talks-due/": "unit={unit}&as_of=2026-06-01",
    "cadres/talks/due/": "unit={unit}&as_of=2026-06-01",
    "cadres/reports/reserve-coverage/": "year=2025",
    "assessment/upgrade-targets/behind/": "year=2025&tier=poor",
    "cadres/export/people/": "format=csv",  # the other exports are .xlsx, scanned unzipped
    "stipends/preview/": "unit={unit}&year=2025",  # stipends: sheet pages (issue 10): county A's what-if
    # dossiers: assessment file (issue 11, R-ASM-5): village A1's 2025 (classified, not yet published)
    "api/v1/org-units/<int:pk>/assessment-file.pdf": "year=2025",
}
ADMIN_OBJECTS = {
    "core/orgunit": "village_a1", "core/user": "user_sec", "core/policy": "policy_a", "core/job": "job_export",
    "core/notice": "notice_a", "cadres/person": "person_a1", "cadres/appointment": "appointment_a1",
    "cadres/reservecandidate": "reserve_a", "cadres/talk": "talk_a", "training/course": "course_a",
    "training/attendance": "attendance_a",
    "assessment/assessmentcycle": "cycle_a", "assessment/dutyreport": "duty_report_a",
    "assessment/classification": "classification_a", "assessment/sanction": "sanction_a",
    "assessment/honour": "honour_a", "assessment/indicatortemplate": "template_a",
    "auth/group": "group", "knox/authtoken": "token", "axes/accessattempt": "attempt",
    "axes/accesslog": "axes_log", "axes/accessfailurelog": "axes_failure", "core/accesslog": "access_log",
    "django_celery_beat/periodictask": "periodic_task", "django_celery_beat/clockedschedule": "clocked",
    "django_celery_beat/crontabschedule": "crontab", "django_celery_beat/solarschedule": "solar",
    "django_celery_beat/intervalschedule": "interval",
    # rectification: cases, tasks and their history (R-RCT-1/3)
    "rectification/rectificationcase": "case_a", "rectification/rectificationtask": "task_a",
    "rectification/caseevent": "case_event_a",
    # stipends: sheets, lines, forms, eligibilities and checks (issue 10, R-STP-2..6)
    "stipends/stipendsheet": "sheet_a", "stipends/stipendline": "line_a", "stipends/stipendelection": "election_a",
    "stipends/healthcheckentitlement": "entitlement_a", "stipends/healthcheck": "health_check_a",
    # dossiers: printed files (issue 11, R-DOS-1): person A1's printed term file
    "dossiers/dossierprint": "print_a",
}

# (route, role, method) whose marker or status check is skipped while the leak is being fixed; ``"*"`` matches
# any role or method. Empty it as the fixes land (issue 7 items 1–10).
KNOWN_LEAKS: set[tuple[str, str, str]] = set()

# Anonymous 302s must lead to a login page, except these, which send everyone back where they came from.
ANON_REDIRECTS_ELSEWHERE = {"i18n/setlang/", "admin/logout/"}

# (route, role, method) answering 500 — not a leak — skipped by name until fixed (issue 7 item 5). Empty: keep it so.
KNOWN_ERRORS: set[tuple[str, str, str]] = set()

# Statuses worth knowing: Django's admin answers a missing (or out-of-scope) object with 302 to its index; pages
# send anonymous users to the login (302), the API answers them 401 with ``WWW-Authenticate``; a method a
# page does not offer is 405, an API representation it does not offer (HTML on a detail) 406.
DEFAULTS = {
    'page': {
        'DELETE PATCH': 'anon=302 sec,sec2,sup=403 *=405',
        'GET HEAD': 'anon=302 *=200',
        'POST PUT': 'anon=302 *=405',
    },
    'api': {
        'DELETE PATCH POST PUT': 'anon=401 sec,sec2,sup=403 *=405',
        'GET HEAD OPTIONS': 'anon=401 *=200',
        'HTML': '*=406',
    },
    'admin': {
        'GET POST': 'adm_out,adm_in=200 *=302',
    },
}

ROWS: dict[str, dict[str, str]] = {
    '': {'DELETE PATCH POST PUT': 'anon=302 *=200'},
    'admin/': {},
    'admin/(?P<url>.*)$': {'GET POST': 'adm_out,adm_in=404 *=302'},
    'admin/^(?P<app_label>auth|django_celery_beat|core|axes|knox|cadres|training|assessment|rectification|stipends|dossiers)/$': {},
    'admin/assessment/assessmentcycle/': {},
    'admin/assessment/assessmentcycle/<path:object_id>/': {'GET POST': '*=302'},
    'admin/assessment/assessmentcycle/<path:object_id>/change/': {'GET POST': 'adm_in=200 *=302'},
    'admin/assessment/assessmentcycle/<path:object_id>/delete/': {'GET POST': 'adm_in=200 *=302'},
    'admin/assessment/assessmentcycle/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/assessment/assessmentcycle/^([^/]+)/history/([^/]+)/$': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/assessment/assessmentcycle/add/': {},
    'admin/assessment/classification/': {},
    'admin/assessment/classification/<path:object_id>/': {'GET POST': '*=302'},
    'admin/assessment/classification/<path:object_id>/change/': {'GET': 'adm_in=200 *=302', 'POST': '*=302'},
    'admin/assessment/classification/<path:object_id>/delete/': {'GET POST': 'adm_in=200 *=302'},
    'admin/assessment/classification/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/assessment/classification/^([^/]+)/history/([^/]+)/$': {
        'GET': 'adm_out=404 adm_in=200 *=302',
        'POST': 'adm_out=404 *=302',
    },
    'admin/assessment/classification/add/': {'GET POST': 'adm_out,adm_in=403 *=302'},  # tiers change in services
    'admin/assessment/dutyreport/': {},
    'admin/assessment/dutyreport/<path:object_id>/': {'GET POST': '*=302'},
    'admin/assessment/dutyreport/<path:object_id>/change/': {'GET POST': 'adm_in=200 *=302'},
    'admin/assessment/dutyreport/<path:object_id>/delete/': {'GET POST': 'adm_in=200 *=302'},
    'admin/assessment/dutyreport/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/assessment/dutyreport/^([^/]+)/history/([^/]+)/$': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/assessment/dutyreport/add/': {},
    'admin/assessment/honour/': {},
    'admin/assessment/honour/<path:object_id>/': {'GET POST': '*=302'},
    'admin/assessment/honour/<path:object_id>/change/': {'GET POST': 'adm_in=200 *=302'},
    'admin/assessment/honour/<path:object_id>/delete/': {'GET POST': 'adm_in=200 *=302'},
    'admin/assessment/honour/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/assessment/honour/^([^/]+)/history/([^/]+)/$': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/assessment/honour/add/': {},
    'admin/assessment/indicatortemplate/': {},
    'admin/assessment/indicatortemplate/<path:object_id>/': {'GET POST': '*=302'},
    'admin/assessment/indicatortemplate/<path:object_id>/change/': {'GET POST': 'adm_in=200 *=302'},
    'admin/assessment/indicatortemplate/<path:object_id>/delete/': {'GET POST': 'adm_in=200 *=302'},
    'admin/assessment/indicatortemplate/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/assessment/indicatortemplate/^([^/]+)/history/([^/]+)/$': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/assessment/indicatortemplate/add/': {},
    'admin/assessment/sanction/': {},
    'admin/assessment/sanction/<path:object_id>/': {'GET POST': '*=302'},
    'admin/assessment/sanction/<path:object_id>/change/': {'GET POST': 'adm_in=200 *=302'},
    'admin/assessment/sanction/<path:object_id>/delete/': {'GET POST': 'adm_in=200 *=302'},
    'admin/assessment/sanction/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/assessment/sanction/^([^/]+)/history/([^/]+)/$': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/assessment/sanction/add/': {},
    'admin/auth/group/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/auth/group/<path:object_id>/': {'GET POST': '*=302'},
    'admin/auth/group/<path:object_id>/change/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/auth/group/<path:object_id>/delete/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/auth/group/<path:object_id>/history/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/auth/group/add/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/autocomplete/': {'GET': 'adm_out,adm_in=403 *=302', 'POST': 'adm_out,adm_in=405 *=302'},
    'admin/axes/accessattempt/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/axes/accessattempt/<path:object_id>/': {'GET POST': '*=302'},
    'admin/axes/accessattempt/<path:object_id>/change/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/axes/accessattempt/<path:object_id>/delete/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/axes/accessattempt/<path:object_id>/history/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/axes/accessattempt/add/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/axes/accessfailurelog/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/axes/accessfailurelog/<path:object_id>/': {'GET POST': '*=302'},
    'admin/axes/accessfailurelog/<path:object_id>/change/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/axes/accessfailurelog/<path:object_id>/delete/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/axes/accessfailurelog/<path:object_id>/history/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/axes/accessfailurelog/add/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/axes/accesslog/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/axes/accesslog/<path:object_id>/': {'GET POST': '*=302'},
    'admin/axes/accesslog/<path:object_id>/change/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/axes/accesslog/<path:object_id>/delete/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/axes/accesslog/<path:object_id>/history/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/axes/accesslog/add/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/cadres/appointment/': {},
    'admin/cadres/appointment/<path:object_id>/': {'GET POST': '*=302'},
    'admin/cadres/appointment/<path:object_id>/change/': {'GET POST': 'adm_in=200 *=302'},
    'admin/cadres/appointment/<path:object_id>/delete/': {'GET POST': 'adm_in=200 *=302'},
    'admin/cadres/appointment/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/cadres/appointment/^([^/]+)/history/([^/]+)/$': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/cadres/appointment/add/': {},
    'admin/cadres/appointment/export/': {},
    'admin/cadres/appointment/import/': {},
    'admin/cadres/appointment/process_import/': {'GET': 'adm_out,adm_in=405 *=302'},
    'admin/cadres/person/': {},
    'admin/cadres/person/<path:object_id>/': {'GET POST': '*=302'},
    'admin/cadres/person/<path:object_id>/change/': {'GET POST': 'adm_in=200 *=302'},
    'admin/cadres/person/<path:object_id>/delete/': {'GET POST': 'adm_in=200 *=302'},
    'admin/cadres/person/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/cadres/person/^([^/]+)/history/([^/]+)/$': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/cadres/person/add/': {},
    'admin/cadres/person/export/': {},
    'admin/cadres/person/import/': {},
    'admin/cadres/person/process_import/': {'GET': 'adm_out,adm_in=405 *=302'},
    'admin/cadres/reservecandidate/': {},
    'admin/cadres/reservecandidate/<path:object_id>/': {'GET POST': '*=302'},
    'admin/cadres/reservecandidate/<path:object_id>/change/': {'GET POST': 'adm_in=200 *=302'},
    'admin/cadres/reservecandidate/<path:object_id>/delete/': {'GET POST': 'adm_in=200 *=302'},
    'admin/cadres/reservecandidate/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/cadres/reservecandidate/^([^/]+)/history/([^/]+)/$': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/cadres/reservecandidate/add/': {},
    'admin/cadres/talk/': {},
    'admin/cadres/talk/<path:object_id>/': {'GET POST': '*=302'},
    'admin/cadres/talk/<path:object_id>/change/': {'GET POST': 'adm_in=200 *=302'},
    'admin/cadres/talk/<path:object_id>/delete/': {'GET POST': 'adm_in=200 *=302'},
    'admin/cadres/talk/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/cadres/talk/^([^/]+)/history/([^/]+)/$': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/cadres/talk/add/': {},
    'admin/core/accesslog/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/core/accesslog/<path:object_id>/': {'GET POST': '*=302'},
    'admin/core/accesslog/<path:object_id>/change/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/core/accesslog/<path:object_id>/delete/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/core/accesslog/<path:object_id>/history/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/core/accesslog/add/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/core/job/': {},
    'admin/core/job/<path:object_id>/': {'GET POST': '*=302'},
    'admin/core/job/<path:object_id>/change/': {'GET POST': '*=302'},
    'admin/core/job/<path:object_id>/delete/': {'GET POST': '*=302'},
    'admin/core/job/<path:object_id>/history/': {'GET POST': 'adm_out,adm_in=404 *=302'},
    'admin/core/job/add/': {},
    'admin/core/notice/': {},
    'admin/core/notice/<path:object_id>/': {'GET POST': '*=302'},
    'admin/core/notice/<path:object_id>/change/': {'GET POST': '*=302'},
    'admin/core/notice/<path:object_id>/delete/': {'GET POST': '*=302'},
    'admin/core/notice/<path:object_id>/history/': {'GET POST': '*=302'},
    'admin/core/notice/add/': {},
    'admin/core/orgunit/': {},
    'admin/core/orgunit/<path:object_id>/': {'GET POST': '*=302'},
    'admin/core/orgunit/<path:object_id>/change/': {'GET POST': 'adm_in=200 *=302'},
    'admin/core/orgunit/<path:object_id>/delete/': {'GET POST': 'adm_in=200 *=302'},
    'admin/core/orgunit/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/core/orgunit/^([^/]+)/history/([^/]+)/$': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/core/orgunit/add/': {},
    'admin/core/orgunit/children/<str:parent_id>/': {},
    'admin/core/orgunit/jsi18n/': {'GET': '*=200', 'POST': '*=405'},
    'admin/core/orgunit/move/': {'GET POST': 'adm_out,adm_in=400 *=302'},
    'admin/core/policy/': {},
    'admin/core/policy/<path:object_id>/': {'GET POST': '*=302'},
    'admin/core/policy/<path:object_id>/change/': {'GET POST': 'adm_in=200 *=302'},
    'admin/core/policy/<path:object_id>/delete/': {'GET POST': 'adm_in=200 *=302'},
    'admin/core/policy/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/core/policy/^([^/]+)/history/([^/]+)/$': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/core/policy/add/': {},
    'admin/core/user/': {},
    'admin/core/user/<id>/password/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/core/user/<path:object_id>/': {'GET POST': '*=302'},
    'admin/core/user/<path:object_id>/change/': {'GET POST': 'adm_in=200 *=302'},
    'admin/core/user/<path:object_id>/delete/': {'GET POST': 'adm_in=200 *=302'},
    'admin/core/user/<path:object_id>/history/': {'GET POST': 'adm_in=200 *=302'},
    'admin/core/user/add/': {},
    'admin/django_celery_beat/clockedschedule/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/clockedschedule/<path:object_id>/': {'GET POST': '*=302'},
    'admin/django_celery_beat/clockedschedule/<path:object_id>/change/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/clockedschedule/<path:object_id>/delete/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/clockedschedule/<path:object_id>/history/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/clockedschedule/add/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/crontabschedule/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/crontabschedule/<path:object_id>/': {'GET POST': '*=302'},
    'admin/django_celery_beat/crontabschedule/<path:object_id>/change/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/crontabschedule/<path:object_id>/delete/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/crontabschedule/<path:object_id>/history/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/crontabschedule/add/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/intervalschedule/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/intervalschedule/<path:object_id>/': {'GET POST': '*=302'},
    'admin/django_celery_beat/intervalschedule/<path:object_id>/change/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/intervalschedule/<path:object_id>/delete/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/intervalschedule/<path:object_id>/history/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/intervalschedule/add/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/periodictask/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/periodictask/<path:object_id>/': {'GET POST': '*=302'},
    'admin/django_celery_beat/periodictask/<path:object_id>/change/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/periodictask/<path:object_id>/delete/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/periodictask/<path:object_id>/history/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/periodictask/add/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/solarschedule/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/solarschedule/<path:object_id>/': {'GET POST': '*=302'},
    'admin/django_celery_beat/solarschedule/<path:object_id>/change/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/solarschedule/<path:object_id>/delete/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/solarschedule/<path:object_id>/history/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/django_celery_beat/solarschedule/add/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/jsi18n/': {'POST': 'adm_out,adm_in=405 *=302'},
    'admin/knox/authtoken/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/knox/authtoken/<path:object_id>/': {'GET POST': '*=302'},
    'admin/knox/authtoken/<path:object_id>/change/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/knox/authtoken/<path:object_id>/delete/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/knox/authtoken/<path:object_id>/history/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/knox/authtoken/add/': {'GET POST': 'adm_in,adm_out=403 *=302'},
    'admin/login/': {'GET': 'adm_out,adm_in=302 *=200', 'POST': '*=200'},
    'admin/logout/': {'GET': 'adm_out,adm_in=405 *=302', 'POST': '*=302'},
    'admin/password_change/': {},
    'admin/password_change/done/': {'POST': 'adm_out,adm_in=405 *=302'},
    'admin/r/<path:content_type_id>/<path:object_id>/': {'GET POST': 'adm_out,adm_in=404 *=302'},
    'admin/training/attendance/': {},
    'admin/training/attendance/<path:object_id>/': {'GET POST': '*=302'},
    'admin/training/attendance/<path:object_id>/change/': {'GET POST': 'adm_in=200 *=302'},
    'admin/training/attendance/<path:object_id>/delete/': {'GET POST': 'adm_in=200 *=302'},
    'admin/training/attendance/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/training/attendance/^([^/]+)/history/([^/]+)/$': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/training/attendance/add/': {},
    'admin/training/course/': {},
    'admin/training/course/<path:object_id>/': {'GET POST': '*=302'},
    'admin/training/course/<path:object_id>/change/': {'GET POST': 'adm_in=200 *=302'},
    'admin/training/course/<path:object_id>/delete/': {'GET POST': 'adm_in=200 *=302'},
    'admin/training/course/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/training/course/^([^/]+)/history/([^/]+)/$': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/training/course/add/': {},
    'api/docs/': {'DELETE PATCH POST PUT': '*=405', 'GET HEAD': '*=200'},
    'api/schema/': {'DELETE PATCH POST PUT': '*=405', 'GET HEAD': '*=200'},
    'api/v1/': {'HTML': 'anon=401 *=200'},
    'api/v1/<drf_format_suffix:format>': {},
    'api/v1/^appointments/$': {'HTML': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^appointments/(?P<pk>[^/.]+)/$': {
        'GET HEAD HTML': 'anon=401 sec2,sib,nounit,adm_out=404 *=200',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^appointments/(?P<pk>[^/.]+)/end/$': {
        'GET HEAD HTML': 'anon=401 *=405',
        'POST': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^appointments/(?P<pk>[^/.]+)/end\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 *=405',
        'POST': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^appointments/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 sec2,sib,nounit,adm_out=404 *=200',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^appointments\\.(?P<format>[a-z0-9]+)/?$': {'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^attendances/$': {'HTML': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^attendances/(?P<pk>[^/.]+)/$': {
        'GET HEAD HTML': 'anon=401 sec2,sib,nounit,adm_out=404 *=200',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^attendances/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 sec2,sib,nounit,adm_out=404 *=200',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^attendances\\.(?P<format>[a-z0-9]+)/?$': {'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^branch-listings/$': {'HTML': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^branch-listings/(?P<pk>[^/.]+)/$': {'GET HEAD HTML': 'anon=401 sec,sib,nounit,adm_out=404 *=200'},
    'api/v1/^branch-listings/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 sec,sib,nounit,adm_out=404 *=200',
    },
    'api/v1/^branch-listings\\.(?P<format>[a-z0-9]+)/?$': {'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^classifications/$': {'HTML': 'anon=401 *=200'},
    'api/v1/^classifications/(?P<pk>[^/.]+)/$': {'GET HEAD HTML': 'anon=401 sup,staff,adm_in=200 *=404'},
    'api/v1/^classifications/(?P<pk>[^/.]+)/changes/$': {'GET HEAD HTML': 'anon=401 sup,staff,adm_in=200 *=404'},
    'api/v1/^classifications/(?P<pk>[^/.]+)/changes\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 sup,staff,adm_in=200 *=404',
    },
    'api/v1/^classifications/(?P<pk>[^/.]+)/override/$': {
        'GET HEAD HTML': 'anon=401 *=405',
        'POST': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^classifications/(?P<pk>[^/.]+)/override\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 *=405',
        'POST': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^classifications/(?P<pk>[^/.]+)/stars/$': {
        'GET HEAD HTML': 'anon=401 *=405',
        'POST': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^classifications/(?P<pk>[^/.]+)/stars\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 *=405',
        'POST': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^classifications/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 sup,staff,adm_in=200 *=404',
    },
    'api/v1/^classifications\\.(?P<format>[a-z0-9]+)/?$': {},
    'api/v1/^courses/$': {'HTML': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^courses/(?P<pk>[^/.]+)/$': {
        'GET HEAD HTML': 'anon=401 sib,nounit,adm_out=404 *=200',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^courses/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 sib,nounit,adm_out=404 *=200',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^courses\\.(?P<format>[a-z0-9]+)/?$': {'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^cycles/$': {'HTML': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^cycles/(?P<pk>[^/.]+)/$': {
        'GET HEAD HTML': 'anon=401 sup,sib,nounit,adm_out=404 *=200',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^cycles/(?P<pk>[^/.]+)/publish/$': {
        'GET HEAD HTML': 'anon=401 *=405',
        'POST': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^cycles/(?P<pk>[^/.]+)/publish\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 *=405',
        'POST': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^cycles/(?P<pk>[^/.]+)/review/$': {
        'GET HEAD HTML': 'anon=401 *=405',
        'POST': 'adm_in,staff=202 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^cycles/(?P<pk>[^/.]+)/review\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 *=405',
        'POST': 'adm_in,staff=202 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^cycles/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 sup,sib,nounit,adm_out=404 *=200',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^cycles\\.(?P<format>[a-z0-9]+)/?$': {'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^duty-reports/$': {
        'DELETE PATCH PUT': 'anon=401 *=405',
        'HTML': 'anon=401 *=200',
        'POST': 'anon=401 *=400',
    },
    'api/v1/^duty-reports/(?P<pk>[^/.]+)/$': {
        'DELETE POST': 'anon=401 *=405',
        'GET HEAD HTML': 'anon=401 sec2,sib,nounit,adm_out=404 *=200',
        'PATCH PUT': 'anon=401 sec2,sib,nounit,adm_out=404 *=400',
    },
    'api/v1/^duty-reports/(?P<pk>[^/.]+)/accept/$': {
        'DELETE GET HEAD HTML PATCH PUT': 'anon=401 *=405',
        'POST': 'anon=401 sec=400 sup,staff,adm_in=200 *=404',
    },
    'api/v1/^duty-reports/(?P<pk>[^/.]+)/accept\\.(?P<format>[a-z0-9]+)/?$': {
        'DELETE GET HEAD PATCH PUT': 'anon=401 *=405',
        'POST': 'anon=401 sec=400 sup,staff,adm_in=200 *=404',
    },
    'api/v1/^duty-reports/(?P<pk>[^/.]+)/return/$': {
        'DELETE GET HEAD HTML PATCH PUT': 'anon=401 *=405',
        'POST': 'anon=401 sec2,sib,nounit,adm_out=404 *=400',
    },
    'api/v1/^duty-reports/(?P<pk>[^/.]+)/return\\.(?P<format>[a-z0-9]+)/?$': {
        'DELETE GET HEAD PATCH PUT': 'anon=401 *=405',
        'POST': 'anon=401 sec2,sib,nounit,adm_out=404 *=400',
    },
    'api/v1/^duty-reports/(?P<pk>[^/.]+)/submit/$': {
        'DELETE GET HEAD HTML PATCH PUT': 'anon=401 *=405',
        'POST': 'anon=401 sec2,sib,nounit,adm_out=404 *=400',
    },
    'api/v1/^duty-reports/(?P<pk>[^/.]+)/submit\\.(?P<format>[a-z0-9]+)/?$': {
        'DELETE GET HEAD PATCH PUT': 'anon=401 *=405',
        'POST': 'anon=401 sec2,sib,nounit,adm_out=404 *=400',
    },
    'api/v1/^duty-reports/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'DELETE POST': 'anon=401 *=405',
        'GET HEAD': 'anon=401 sec2,sib,nounit,adm_out=404 *=200',
        'PATCH PUT': 'anon=401 sec2,sib,nounit,adm_out=404 *=400',
    },
    'api/v1/^duty-reports\\.(?P<format>[a-z0-9]+)/?$': {'DELETE PATCH PUT': 'anon=401 *=405', 'POST': 'anon=401 *=400'},
    'api/v1/^evaluations/$': {
        'DELETE PATCH PUT': 'anon=401 sec,sec2=403 *=405',
        'HTML': 'anon=401 *=200',
        'POST': 'anon=401 sec,sec2,sup=403 *=400',
    },
    'api/v1/^evaluations/(?P<pk>[^/.]+)/$': {
        'DELETE PATCH POST PUT': 'anon=401 sec,sec2=403 *=405',
        'GET HEAD HTML': 'anon=401 sec2,sib,nounit,adm_out=404 *=200',
    },
    'api/v1/^evaluations/(?P<pk>[^/.]+)/close/$': {
        'DELETE PATCH PUT': 'anon=401 sec,sec2=403 *=405',
        'GET HEAD HTML': 'anon=401 *=405',
        'POST': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^evaluations/(?P<pk>[^/.]+)/close\\.(?P<format>[a-z0-9]+)/?$': {
        'DELETE PATCH PUT': 'anon=401 sec,sec2=403 *=405',
        'GET HEAD': 'anon=401 *=405',
        'POST': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^evaluations/(?P<pk>[^/.]+)/import/$': {
        'DELETE PATCH PUT': 'anon=401 sec,sec2=403 *=405',
        'GET HEAD HTML': 'anon=401 *=405',
        'POST': 'anon=401 sec,sec2=403 *=400',
    },
    'api/v1/^evaluations/(?P<pk>[^/.]+)/import\\.(?P<format>[a-z0-9]+)/?$': {
        'DELETE PATCH PUT': 'anon=401 sec,sec2=403 *=405',
        'GET HEAD': 'anon=401 *=405',
        'POST': 'anon=401 sec,sec2=403 *=400',
    },
    'api/v1/^evaluations/(?P<pk>[^/.]+)/ratings/$': {
        'DELETE PATCH PUT': 'anon=401 sec,sec2=403 *=405',
        'GET HEAD HTML': 'anon=401 *=405',
        'POST': 'anon=401 sec,sec2=403 sib,nounit,adm_out=404 *=400',
    },
    'api/v1/^evaluations/(?P<pk>[^/.]+)/ratings\\.(?P<format>[a-z0-9]+)/?$': {
        'DELETE PATCH PUT': 'anon=401 sec,sec2=403 *=405',
        'GET HEAD': 'anon=401 *=405',
        'POST': 'anon=401 sec,sec2=403 sib,nounit,adm_out=404 *=400',
    },
    'api/v1/^evaluations/(?P<pk>[^/.]+)/verify/$': {
        'DELETE PATCH POST PUT': 'anon=401 sec,sec2=403 *=405',
        'GET HEAD HTML': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^evaluations/(?P<pk>[^/.]+)/verify\\.(?P<format>[a-z0-9]+)/?$': {
        'DELETE PATCH POST PUT': 'anon=401 sec,sec2=403 *=405',
        'GET HEAD': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^evaluations/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'DELETE PATCH POST PUT': 'anon=401 sec,sec2=403 *=405',
        'GET HEAD': 'anon=401 sec2,sib,nounit,adm_out=404 *=200',
    },
    'api/v1/^evaluations/satisfaction/$': {
        'DELETE PATCH POST PUT': 'anon=401 sec,sec2=403 *=405',
        'GET HEAD HTML': 'anon=401 staff,adm_in=200 *=400',
    },
    'api/v1/^evaluations/satisfaction\\.(?P<format>[a-z0-9]+)/?$': {
        'DELETE PATCH POST PUT': 'anon=401 sec,sec2=403 *=405',
        'GET HEAD': 'anon=401 staff,adm_in=200 *=400',
    },
    'api/v1/^evaluations\\.(?P<format>[a-z0-9]+)/?$': {
        'DELETE PATCH PUT': 'anon=401 sec,sec2=403 *=405',
        'POST': 'anon=401 sec,sec2,sup=403 *=400',
    },
    'api/v1/^honours/$': {'HTML': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^honours/(?P<pk>[^/.]+)/$': {'GET HEAD HTML': 'anon=401 sup,staff,adm_in=200 *=404'},
    'api/v1/^honours/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {'GET HEAD': 'anon=401 sup,staff,adm_in=200 *=404'},
    'api/v1/^honours/advance/$': {'GET HEAD HTML': 'anon=401 *=405', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^honours/advance\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 *=405',
        'POST': 'anon=401 sec,sec2,sup=403 *=400',
    },
    'api/v1/^honours\\.(?P<format>[a-z0-9]+)/?$': {'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^indicator-templates/$': {'HTML': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^indicator-templates/(?P<pk>[^/.]+)/$': {
        'GET HEAD HTML': 'anon=401 sup,sib,nounit,adm_out=404 *=200',
        'PATCH PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^indicator-templates/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 sup,sib,nounit,adm_out=404 *=200',
        'PATCH PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^indicator-templates\\.(?P<format>[a-z0-9]+)/?$': {'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^jobs/$': {'HTML': 'anon=401 *=200'},
    'api/v1/^jobs/(?P<pk>[^/.]+)/$': {'GET HEAD HTML': 'anon=401 staff=200 *=404'},
    'api/v1/^jobs/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {'GET HEAD': 'anon=401 staff=200 *=404'},
    'api/v1/^jobs\\.(?P<format>[a-z0-9]+)/?$': {},
    'api/v1/^notices/$': {'DELETE PATCH POST PUT': 'anon=401 *=405', 'HTML': 'anon=401 *=200'},
    'api/v1/^notices/(?P<pk>[^/.]+)/$': {
        'DELETE PATCH POST PUT': 'anon=401 *=405',
        'GET HEAD HTML': 'anon=401 staff=200 *=404',
    },
    'api/v1/^notices/(?P<pk>[^/.]+)/read/$': {
        'DELETE GET HEAD HTML PATCH PUT': 'anon=401 *=405',
        'POST': 'anon=401 staff=204 *=404',
    },
    'api/v1/^notices/(?P<pk>[^/.]+)/read\\.(?P<format>[a-z0-9]+)/?$': {
        'DELETE GET HEAD PATCH PUT': 'anon=401 *=405',
        'POST': 'anon=401 staff=204 *=404',
    },
    'api/v1/^notices/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'DELETE PATCH POST PUT': 'anon=401 *=405',
        'GET HEAD': 'anon=401 staff=200 *=404',
    },
    'api/v1/^notices\\.(?P<format>[a-z0-9]+)/?$': {'DELETE PATCH POST PUT': 'anon=401 *=405'},
    'api/v1/^org-units/$': {'HTML': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^org-units/(?P<pk>[^/.]+)/$': {
        'GET HEAD HTML': 'anon=401 sec2,sib,nounit,adm_out=404 *=200',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^org-units/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 sec2,sib,nounit,adm_out=404 *=200',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^org-units\\.(?P<format>[a-z0-9]+)/?$': {'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^people/$': {'HTML': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^people/(?P<pk>[^/.]+)/$': {
        'GET HEAD HTML': 'anon=401 sec2,sib,nounit,adm_out=404 *=200',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^people/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 sec2,sib,nounit,adm_out=404 *=200',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^people\\.(?P<format>[a-z0-9]+)/?$': {'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^policies/$': {'HTML': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^policies/(?P<pk>[^/.]+)/$': {
        'GET HEAD HTML': 'anon=401 sup,sib,nounit,adm_out=404 *=200',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^policies/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 sup,sib,nounit,adm_out=404 *=200',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^policies/effective/$': {'GET HEAD HTML': 'anon=401 staff,adm_in=200 *=400'},
    'api/v1/^policies/effective\\.(?P<format>[a-z0-9]+)/?$': {'GET HEAD': 'anon=401 staff,adm_in=200 *=400'},
    'api/v1/^policies\\.(?P<format>[a-z0-9]+)/?$': {'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    # R-MEM-1: staff record new members; a secretary reads their own branch's rows
    'api/v1/^member-development/$': {'HTML': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^member-development/(?P<pk>[^/.]+)/$': {
        'GET HEAD HTML': 'anon=401 sec,sup,staff,adm_in=200 *=404',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^member-development/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 sec,sup,staff,adm_in=200 *=404',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^member-development\\.(?P<format>[a-z0-9]+)/?$': {'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/reports/member-development/': {'GET HEAD HTML': 'anon=401 staff,adm_in=200 *=400'},
    'api/v1/^reserve-candidates/$': {'HTML': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^reserve-candidates/(?P<pk>[^/.]+)/$': {
        'GET HEAD HTML': 'anon=401 sup,staff,adm_in=200 *=404',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^reserve-candidates/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 sup,staff,adm_in=200 *=404',
        'PATCH': 'adm_in,staff=200 anon=401 sec,sec2,sup=403 *=404',
        'PUT': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404',
    },
    'api/v1/^reserve-candidates\\.(?P<format>[a-z0-9]+)/?$': {'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^sanctions/$': {'HTML': 'anon=401 *=200'},
    'api/v1/^sanctions/(?P<pk>[^/.]+)/$': {'GET HEAD HTML': 'anon=401 sec,sib,nounit,adm_out=404 *=200'},
    'api/v1/^sanctions/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 sec,sib,nounit,adm_out=404 *=200',
    },
    'api/v1/^sanctions\\.(?P<format>[a-z0-9]+)/?$': {},
    'api/v1/^scores/$': {
        'DELETE PATCH PUT': 'anon=401 sec,sec2=403 *=405',
        'HTML': 'anon=401 *=200',
        'POST': 'anon=401 sec,sec2=403 *=400',
    },
    'api/v1/^scores/(?P<pk>[^/.]+)/$': {
        'DELETE POST': 'anon=401 sec,sec2=403 *=405',
        'GET HEAD HTML': 'anon=401 sec2,sib,nounit,adm_out=404 *=200',
        'PATCH PUT': 'anon=401 sec,sec2=403 sib,nounit,adm_out=404 *=400',
    },
    'api/v1/^scores/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'DELETE POST': 'anon=401 sec,sec2=403 *=405',
        'GET HEAD': 'anon=401 sec2,sib,nounit,adm_out=404 *=200',
        'PATCH PUT': 'anon=401 sec,sec2=403 sib,nounit,adm_out=404 *=400',
    },
    'api/v1/^scores\\.(?P<format>[a-z0-9]+)/?$': {
        'DELETE PATCH PUT': 'anon=401 sec,sec2=403 *=405',
        'POST': 'anon=401 sec,sec2=403 *=400',
    },
    'api/v1/^talks/$': {'HTML': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2=403 *=400',
                        'DELETE PATCH PUT': 'anon=401 sec,sec2=403 *=405'},
    'api/v1/^talks/(?P<pk>[^/.]+)/$': {
        'GET HEAD HTML': 'anon=401 sec,sib,nounit,adm_out=404 *=200',
        'PATCH': 'adm_in,staff,sup=200 anon=401 sec,sec2=403 *=404',
        'PUT': 'adm_in,staff,sup=400 anon=401 sec,sec2=403 *=404',
        'DELETE POST': 'anon=401 sec,sec2=403 *=405',
    },
    'api/v1/^talks/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$': {
        'GET HEAD': 'anon=401 sec,sib,nounit,adm_out=404 *=200',
        'PATCH': 'adm_in,staff,sup=200 anon=401 sec,sec2=403 *=404',
        'PUT': 'adm_in,staff,sup=400 anon=401 sec,sec2=403 *=404',
        'DELETE POST': 'anon=401 sec,sec2=403 *=405',
    },
    'api/v1/^talks\\.(?P<format>[a-z0-9]+)/?$': {'POST': 'anon=401 sec,sec2=403 *=400',
                                                'DELETE PATCH PUT': 'anon=401 sec,sec2=403 *=405'},
    'api/v1/auth/token/': {'DELETE GET HEAD HTML PATCH PUT': '*=405', 'OPTIONS': '*=200', 'POST': '*=400'},
    'api/v1/auth/token/revoke/': {'DELETE GET HEAD HTML OPTIONS PATCH POST PUT': '*=401'},
    'api/v1/auth/users/<int:pk>/tokens/revoke/': {'DELETE GET HEAD HTML OPTIONS PATCH POST PUT': 'anon=401 *=403'},
    'api/v1/reports/calibration/': {'GET HEAD HTML': 'anon=401 staff,adm_in=200 *=400'},
    'api/v1/reports/dual-leaders/': {'HTML': 'anon=401 *=200'},
    'api/v1/reports/enterprise-coverage/': {'HTML': 'anon=401 *=200'},
    'api/v1/reports/reserve-coverage/': {'HTML': 'anon=401 *=200'},
    'api/v1/reports/talent-pool/': {'HTML': 'anon=401 *=200'},
    'api/v1/reports/talks-due/': {'GET HEAD HTML': 'anon=401 staff,adm_in=200 *=400'},
    'api/v1/reports/training-compliance/': {'GET HEAD HTML': 'anon=401 staff,adm_in=200 *=400'},
    'api/v1/reports/under-35/': {'HTML': 'anon=401 *=200'},
    'api/v1/reports/units-by-sector/': {'HTML': 'anon=401 *=200'},
    'api/v1/reports/upgrade-targets/': {'GET HEAD HTML': 'anon=401 staff,adm_in=200 *=400'},
    'assessment/': {'DELETE PATCH': 'anon=302 *=405'},
    'assessment/calibration/': {'DELETE GET HEAD PATCH POST PUT': 'anon=302 sec,sec2=403 *=200'},
    'assessment/classifications/': {'DELETE PATCH': 'anon=302 *=405'},
    # Issue 8 item 10: the stars of one row on a page of their own; a POST without a reason is shown again (400).
    'assessment/classifications/<int:pk>/stars/': {
        'GET HEAD': 'anon=302 sec,sec2,sup=403 sib,nounit,adm_out=404 *=200',
        'PUT': 'anon=302 sec,sec2,sup=403 *=405',
        'POST': 'anon=302 sec,sec2,sup=403 sib,nounit,adm_out=404 *=400',
    },
    # Issue 8 item 4: GET asks for confirmation; a POST without confirm=yes is refused (400) and runs nothing.
    'assessment/cycles/<int:pk>/review/': {
        'GET HEAD': 'anon=302 sec,sec2,sup=403 sib,nounit,adm_out=404 *=200',
        'POST': 'anon=302 sec,sec2,sup=403 sib,nounit,adm_out=404 *=400',
        'DELETE PATCH PUT': 'anon=302 *=405',
    },
    'assessment/duty-reports/': {'DELETE PATCH': 'anon=302 *=405'},
    'assessment/duty-reports/<int:pk>/': {
        'DELETE GET HEAD PATCH PUT': 'anon=302 sec2,sib,nounit,adm_out=404 *=200',
        'POST': 'anon=302 sec2,sib,nounit,adm_out=404 *=403',
    },
    'assessment/duty-reports/new/': {'DELETE GET HEAD PATCH POST PUT': '*=302'},
    'assessment/evaluations/': {'DELETE PATCH': 'anon=302 *=405'},
    'assessment/evaluations/<int:pk>/': {
        'DELETE GET HEAD PATCH POST PUT': 'anon=302 sec2,sib,nounit,adm_out=404 *=200',
    },
    'assessment/evaluations/<int:pk>/ballots/': {
        'DELETE GET HEAD PATCH PUT': 'anon=302 sec,sec2=403 *=405',
        'POST': 'sec,sec2=403 sib,nounit,adm_out=404 *=302',
    },
    'assessment/evaluations/<int:pk>/close/': {
        'GET HEAD PUT': 'anon=302 sec,sec2,sup=403 *=405',
        'POST': 'sec,sec2,sup=403 adm_out,nounit,sib=404 *=302',
    },
    'assessment/evaluations/<int:pk>/import/': {
        'DELETE GET HEAD PATCH PUT': 'anon=302 sec,sec2=403 *=405',
        'POST': 'sec,sec2=403 sib,nounit,adm_out=404 *=302',
    },
    'assessment/evaluations/draw/': {
        'GET HEAD PUT': 'anon=302 sec,sec2,sup=403 *=405',
        'POST': 'sec,sec2,sup=403 *=302',
    },
    'assessment/honours/': {'DELETE PATCH POST PUT': 'anon=302 *=200'},
    'assessment/honours/advance/': {
        'GET HEAD PUT': 'anon=302 sec,sec2,sup=403 *=405',
        'POST': 'sec,sec2,sup=403 *=302',
    },
    'assessment/honours/nominate/': {
        'GET HEAD PUT': 'anon=302 sec,sec2,sup=403 *=405',
        'POST': 'anon=302 sec,sec2,sup=403 *=400',
    },
    'assessment/indicator-templates/': {'DELETE PATCH': 'anon=302 *=405'},
    'assessment/indicator-templates/<int:pk>/edit/': {
        'GET HEAD': 'anon=302 sec,sec2,sup=403 staff,adm_in=200 *=404',
        'POST': 'anon=302 sec,sec2,sup=403 staff,adm_in=400 *=404',
        'PUT': 'anon=302 sec,sec2,sup=403 *=405',
    },
    'assessment/indicator-templates/new/': {
        'GET HEAD': 'anon=302 sec,sec2,sup=403 *=200',
        'POST': 'anon=302 sec,sec2,sup=403 *=400',
        'PUT': 'anon=302 sec,sec2,sup=403 *=405',
    },
    'assessment/listings/': {'DELETE PATCH': 'anon=302 *=405'},
    'assessment/listings/<int:pk>/remove/': {
        'GET HEAD': 'anon=302 sec,sec2,sup=403 staff,adm_in=200 *=404',
        'POST': 'anon=302 sec,sec2,sup=403 staff,adm_in=400 *=404',
        'PUT': 'anon=302 sec,sec2,sup=403 *=405',
    },
    'assessment/listings/add/': {'GET HEAD PUT': 'anon=302 sec,sec2,sup=403 *=405', 'POST': 'sec,sec2,sup=403 *=302'},
    'assessment/people/<int:pk>/': {'DELETE GET HEAD PATCH POST PUT': 'anon=302 sec2,sib,nounit,adm_out=404 *=200'},
    'assessment/reports/<int:pk>/': {'DELETE GET HEAD PATCH POST PUT': 'anon=302 sup,staff,adm_in=200 *=404'},
    'assessment/scores/': {
        'DELETE PATCH POST PUT': 'anon=302 sec,sec2=403 *=405',
        'GET HEAD': 'anon=302 sec,sec2=403 *=200',
    },
    'assessment/scores/<int:unit_pk>/': {
        'DELETE PATCH PUT': 'anon=302 sec,sec2=403 *=405',
        'GET HEAD': 'anon=302 sec,sec2=403 sib,nounit,adm_out=404 *=200',
        'POST': 'anon=302 sec,sec2=403 sib,nounit,adm_out=404 *=400',
    },
    'assessment/upgrade-targets/': {'DELETE GET HEAD PATCH POST PUT': 'anon=302 sec,sec2=403 *=200'},
    'assessment/upgrade-targets/behind/': {'GET HEAD': 'anon=302 sec,sec2=403 *=200', 'DELETE PATCH POST PUT': 'anon=302 *=405'},
    'cadres/appointments/': {'DELETE PATCH': 'anon=302 *=405'},
    'cadres/appointments/<int:pk>/edit/': {
        'GET HEAD POST': 'anon=302 sec,sec2,sup=403 staff,adm_in=200 *=404',
        'PUT': 'anon=302 sec,sec2,sup=403 *=405',
    },
    'cadres/appointments/<int:pk>/end/': {
        'GET HEAD POST': 'anon=302 sec,sec2,sup=403 staff,adm_in=200 *=404',
        'PUT': 'anon=302 sec,sec2,sup=403 *=405',
    },
    'cadres/appointments/new/': {
        'GET HEAD POST': 'anon=302 sec,sec2,sup=403 *=200',
        'PUT': 'anon=302 sec,sec2,sup=403 *=405',
    },
    'cadres/export/appointments/': {
        'DELETE PATCH POST PUT': 'anon=302 sec,sec2=403 *=405',
        'GET HEAD': 'anon=302 sec,sec2=403 *=200',
    },
    'cadres/export/people/': {
        'DELETE PATCH POST PUT': 'anon=302 sec,sec2=403 *=405',
        'GET HEAD': 'anon=302 sec,sec2=403 *=200',
    },
    'cadres/export/roster/': {
        'DELETE PATCH POST PUT': 'anon=302 sec,sec2=403 *=405',
        'GET HEAD': 'anon=302 sec,sec2=403 *=200',
    },
    # R-MEM-1: the page answers everyone who logs in (a secretary sees their branch); staff write in place
    'cadres/member-development/': {'DELETE PATCH PUT': 'anon=302 *=405', 'POST': 'anon=302 sec,sec2,sup=403 *=302'},
    'cadres/member-development/import/': {'GET HEAD POST PUT': 'anon=302 sec,sec2,sup=403 *=200'},
    'cadres/import/': {'GET HEAD POST PUT': 'anon=302 sec,sec2,sup=403 *=200'},
    'cadres/import/<int:pk>/': {
        'GET HEAD': 'anon=302 sec,sec2,sup=403 staff=200 *=404',
        'POST PUT': 'anon=302 sec,sec2,sup=403 *=405',
    },
    'cadres/import/<int:pk>/confirm/': {
        'GET HEAD PUT': 'anon=302 sec,sec2,sup=403 *=405',
        'POST': 'anon,staff=302 sec,sec2,sup=403 *=404',
    },
    'cadres/import/<int:pk>/rejected.xlsx': {
        'GET HEAD': 'anon=302 sec,sec2,sup=403 staff=200 *=404',
        'POST PUT': 'anon=302 sec,sec2,sup=403 *=405',
    },
    'cadres/people/': {'DELETE PATCH': 'anon=302 *=405'},
    'cadres/people/<int:pk>/': {
        'DELETE PATCH': 'anon=302 *=405',
        'GET HEAD': 'anon=302 sec2,sib,nounit,adm_out=404 *=200',
    },
    'cadres/people/<int:pk>/edit/': {
        'GET HEAD POST': 'anon=302 sec,sec2,sup=403 staff,adm_in=200 *=404',
        'PUT': 'anon=302 sec,sec2,sup=403 *=405',
    },
    'cadres/people/new/': {
        'GET HEAD POST': 'anon=302 sec,sec2,sup=403 *=200',
        'PUT': 'anon=302 sec,sec2,sup=403 *=405',
    },
    'cadres/reports/reserve-coverage/': {'DELETE PATCH POST PUT': 'anon=302 *=200'},
    'cadres/reports/talent-pool/': {'DELETE PATCH POST PUT': 'anon=302 *=200'},
    'cadres/reports/under-35/': {'DELETE PATCH POST PUT': 'anon=302 *=200'},
    'cadres/reserves/': {'DELETE PATCH': 'anon=302 *=405'},
    'cadres/reserves/<int:pk>/withdraw/': {
        'GET HEAD POST': 'anon=302 sec,sec2,sup=403 staff,adm_in=200 *=404',
        'PUT': 'anon=302 sec,sec2,sup=403 *=405',
    },
    'cadres/reserves/new/': {
        'GET HEAD POST': 'anon=302 sec,sec2,sup=403 *=200',
        'PUT': 'anon=302 sec,sec2,sup=403 *=405',
    },
    'cadres/talks/': {'DELETE PATCH': 'anon=302 *=405'},
    'cadres/talks/<int:pk>/edit/': {
        'GET HEAD POST': 'anon=302 sec,sec2=403 staff,sup,adm_in=200 *=404',
        'DELETE PATCH PUT': 'anon=302 sec,sec2=403 *=405',
    },
    'cadres/talks/due/': {'DELETE PATCH': 'anon=302 *=405'},
    'cadres/talks/new/': {
        'GET HEAD POST': 'anon=302 sec,sec2=403 *=200',
        'DELETE PATCH PUT': 'anon=302 sec,sec2=403 *=405',
    },
    'cadres/units/': {'DELETE GET HEAD PATCH POST PUT': 'nounit=200 *=302'},
    'cadres/units/<int:pk>/': {'DELETE GET HEAD PATCH POST PUT': 'anon=302 sec2,sib,nounit,adm_out=404 *=200'},
    # issue 8 item 4: a page's table export answers the roles that see the page (core.exports)
    'exports/appointments.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/appointments.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/calibration.csv': {'DELETE PATCH': 'anon=302 *=405', 'GET HEAD': 'anon=302 sec,sec2=403 *=200'},
    'exports/calibration.xlsx': {'DELETE PATCH': 'anon=302 *=405', 'GET HEAD': 'anon=302 sec,sec2=403 *=200'},
    'exports/classifications.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/classifications.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/compliance.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/compliance.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/courses.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/courses.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/due-soon.csv': {'DELETE PATCH': 'anon=302 *=405', 'GET HEAD': 'anon=302 sec,sec2=403 *=200'},
    'exports/due-soon.xlsx': {'DELETE PATCH': 'anon=302 *=405', 'GET HEAD': 'anon=302 sec,sec2=403 *=200'},
    'exports/duty-reports.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/duty-reports.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/enterprise-coverage.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/enterprise-coverage.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/evaluations.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/evaluations.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/honours.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/honours.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/indicator-templates.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/indicator-templates.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/listings.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/listings.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/people.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/people.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/reserve-coverage.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/reserve-coverage.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/member-development.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/member-development.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/reserves.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/reserves.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/scores.csv': {'DELETE PATCH': 'anon=302 *=405', 'GET HEAD': 'anon=302 sec,sec2=403 *=200'},
    'exports/scores.xlsx': {'DELETE PATCH': 'anon=302 *=405', 'GET HEAD': 'anon=302 sec,sec2=403 *=200'},
    'exports/talent-pool.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/talent-pool.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/talks-due.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/talks-due.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/talks.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/talks.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/under-35.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/under-35.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/units.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/units.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/upgrade-targets.csv': {
        'DELETE PATCH': 'anon=302 *=405',
        'GET HEAD': 'anon=302 sec,sec2=403 *=200',
    },
    'exports/upgrade-targets.xlsx': {
        'DELETE PATCH': 'anon=302 *=405',
        'GET HEAD': 'anon=302 sec,sec2=403 *=200',
    },
    'i18n/setlang/': {'DELETE GET HEAD PATCH POST PUT': '*=302'},
    'jobs/': {'DELETE PATCH': 'anon=302 *=405'},
    'jobs/<int:pk>/': {'DELETE PATCH': 'anon=302 *=405', 'GET HEAD': 'anon=302 staff=200 *=404'},
    'jobs/<int:pk>/download/': {'DELETE PATCH': 'anon=302 *=405', 'GET HEAD': 'anon=302 staff=200 *=404'},
    'login/': {'DELETE PATCH': 'anon=405 *=302', 'GET HEAD POST PUT': 'anon=200 *=302'},
    'logout/': {'DELETE GET HEAD PATCH PUT': '*=405', 'POST': '*=302'},
    'notices/': {'DELETE PATCH': 'anon=302 *=405'},
    'notices/<int:pk>/read/': {'DELETE GET HEAD PATCH': 'anon=302 *=405', 'POST': 'anon,staff=302 *=404'},
    'notices/read-all/': {'DELETE GET HEAD PATCH': 'anon=302 *=405', 'POST': '*=302'},
    'policies/': {'DELETE PATCH POST PUT': 'anon=302 *=200'},
    'policies/<int:pk>/edit/': {
        'GET HEAD POST': 'anon=302 sec,sec2,sup=403 staff,adm_in=200 *=404',
        'PUT': 'anon=302 sec,sec2,sup=403 *=405',
    },
    'policies/new/': {'GET HEAD POST': 'anon=302 sec,sec2,sup=403 *=200', 'PUT': 'anon=302 sec,sec2,sup=403 *=405'},
    'reports/enterprise-coverage/': {'DELETE PATCH POST PUT': 'anon=302 *=200'},
    'reports/enterprise-coverage/export/': {
        'DELETE GET HEAD PATCH PUT': 'anon=302 sec,sec2=403 *=405',
        'POST': 'sec,sec2=403 *=302',
    },
    'training/attendances/new/': {'GET HEAD POST PUT': 'anon=302 sec,sec2,sup=403 *=200'},
    'training/compliance/': {'DELETE PATCH': 'anon=302 *=405'},
    'training/compliance/export.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'training/courses/': {'DELETE PATCH': 'anon=302 *=405'},
    'training/courses/<int:pk>/': {
        'DELETE PATCH': 'anon=302 *=405',
        'GET HEAD': 'anon=302 sib,nounit,adm_out=404 *=200',
    },
    'training/courses/new/': {'GET HEAD POST PUT': 'anon=302 sec,sec2,sup=403 *=200'},
    'training/due/': {
        'DELETE PATCH POST PUT': 'anon=302 sec,sec2=403 *=405',
        'GET HEAD': 'anon=302 sec,sec2=403 *=200',
    },
    'training/import/': {'GET HEAD POST PUT': 'anon=302 sec,sec2,sup=403 *=200'},
    'training/import/<int:pk>/': {
        'GET HEAD': 'anon=302 sec,sec2,sup=403 staff=200 *=404',
        'POST': 'anon,staff=302 sec,sec2,sup=403 *=404',
        'PUT': 'anon=302 sec,sec2,sup=403 *=405',
    },
    'training/import/<int:pk>/errors.xlsx': {
        'GET HEAD': 'anon=302 sec,sec2,sup=403 staff=200 *=404',
        'POST PUT': 'anon=302 sec,sec2,sup=403 *=405',
    },
    'training/import/template.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'training/me/': {'DELETE PATCH': 'anon=302 *=405'},
    # issue 9, R-RCT-1/2/4: the ranking, candidates, help and corrections (rank helper)
    'api/v1/^correction-orders/$': {'DELETE PATCH POST PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML OPTIONS': 'anon=401 *=200'},
    'api/v1/^correction-orders/(?P<pk>[^/.]+)/$': {'DELETE PATCH POST PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML': 'adm_out,nounit,sec,sib=404 anon=401 *=200', 'OPTIONS': 'anon=401 *=200'},
    'api/v1/^correction-orders/(?P<pk>[^/.]+)/accept/$': {'DELETE PATCH PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML': 'anon=401 *=405', 'OPTIONS': 'anon=401 *=200', 'POST': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404'},
    'api/v1/^correction-orders/(?P<pk>[^/.]+)/decline/$': {'DELETE PATCH PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML': 'anon=401 *=405', 'OPTIONS': 'anon=401 *=200', 'POST': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404'},
    'api/v1/^correction-orders/(?P<pk>[^/.]+)/met/$': {'DELETE PATCH PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML': 'anon=401 *=405', 'OPTIONS': 'anon=401 *=200', 'POST': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404'},
    'api/v1/^weak-candidates/$': {'DELETE PATCH POST PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML OPTIONS': 'anon=401 *=200'},
    'api/v1/^weak-candidates/(?P<pk>[^/.]+)/$': {'DELETE PATCH POST PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML': 'adm_in,staff,sup=200 anon=401 *=404', 'OPTIONS': 'anon=401 *=200'},
    'api/v1/^weak-candidates/(?P<pk>[^/.]+)/confirm/$': {'DELETE PATCH PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML': 'anon=401 *=405', 'OPTIONS': 'anon=401 *=200', 'POST': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404'},
    'api/v1/^weak-candidates/(?P<pk>[^/.]+)/reject/$': {'DELETE PATCH PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML': 'anon=401 *=405', 'OPTIONS': 'anon=401 *=200', 'POST': 'adm_in,staff=400 anon=401 sec,sec2,sup=403 *=404'},
    'api/v1/^weak-candidates/propose/$': {'DELETE PATCH PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML': 'anon=401 *=405', 'OPTIONS': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/reports/bottom-ranking/': {'DELETE PATCH POST PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML': 'adm_in,staff=200 anon=401 sec,sec2=403 *=400', 'OPTIONS': 'anon=401 *=200'},
    'exports/bottom-ranking.csv': {'DELETE PATCH POST PUT': 'anon=302 *=405', 'GET HEAD': 'anon=302 sec,sec2=403 *=200'},
    'exports/bottom-ranking.xlsx': {'DELETE PATCH POST PUT': 'anon=302 *=405', 'GET HEAD': 'anon=302 sec,sec2=403 *=200'},
    'exports/corrections.csv': {'DELETE PATCH POST PUT': 'anon=302 *=405', 'GET HEAD': 'anon=302 *=200'},
    'exports/corrections.xlsx': {'DELETE PATCH POST PUT': 'anon=302 *=405', 'GET HEAD': 'anon=302 *=200'},
    'rectification/cases/<int:pk>/corrections/new/': {'DELETE PATCH PUT': 'anon=302 *=405', 'GET HEAD': 'adm_in,staff=200 anon=302 sec,sec2,sup=403 *=404', 'POST': 'adm_in,staff=400 anon=302 sec,sec2,sup=403 *=404'},
    'rectification/cases/<int:pk>/help/': {'DELETE PATCH PUT': 'anon=302 *=405', 'GET HEAD': 'adm_out,nounit,sec,sib=404 anon=302 *=200', 'POST': 'adm_in,staff=400 anon=302 sec2,sup=403 *=404'},
    'rectification/corrections/': {'DELETE PATCH POST PUT': 'anon=302 *=405', 'GET HEAD': 'anon=302 *=200'},
    'rectification/corrections/<int:pk>/': {'DELETE PATCH PUT': 'anon=302 *=405', 'GET HEAD': 'adm_out,nounit,sec,sib=404 anon=302 *=200', 'POST': 'adm_in,anon,staff=302 sec2,sup=403 *=404'},
    'rectification/corrections/new/': {'DELETE PATCH PUT': 'anon=302 *=405', 'GET HEAD': 'anon=302 sec,sec2,sup=403 *=200', 'POST': 'anon=302 sec,sec2,sup=403 *=400'},
    'rectification/help/<int:pk>/end/': {'DELETE PATCH PUT': 'anon=302 *=405', 'GET HEAD': 'adm_in,staff=200 anon=302 sec,sec2,sup=403 *=404', 'POST': 'adm_out,nounit,sib=404 sec,sec2,sup=403 *=302'},
    'rectification/ranking/': {'DELETE PATCH PUT': 'anon=302 sec,sec2=403 *=405', 'GET HEAD': 'anon=302 sec,sec2=403 *=200', 'POST': 'sec,sec2,sup=403 *=302'},
    # --- rectification: cases, tasks, the ledger, evidence and their admin (issue 9, R-RCT-1/3) ---
    'admin/rectification/caseevent/': {},
    'admin/rectification/caseevent/<path:object_id>/': {'GET POST': '*=302'},
    'admin/rectification/caseevent/<path:object_id>/change/': {'GET': 'adm_in=200 *=302', 'POST': '*=302'},
    'admin/rectification/caseevent/<path:object_id>/delete/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/rectification/caseevent/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/rectification/caseevent/add/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/rectification/rectificationcase/': {},
    'admin/rectification/rectificationcase/<path:object_id>/': {'GET POST': '*=302'},
    'admin/rectification/rectificationcase/<path:object_id>/change/': {'GET': 'adm_in=200 *=302', 'POST': '*=302'},
    'admin/rectification/rectificationcase/<path:object_id>/delete/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/rectification/rectificationcase/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/rectification/rectificationcase/^([^/]+)/history/([^/]+)/$': {'GET': 'adm_out=404 adm_in=200 *=302', 'POST': 'adm_out=404 *=302'},
    'admin/rectification/rectificationcase/add/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/rectification/rectificationtask/': {},
    'admin/rectification/rectificationtask/<path:object_id>/': {'GET POST': '*=302'},
    'admin/rectification/rectificationtask/<path:object_id>/change/': {'GET': 'adm_in=200 *=302', 'POST': '*=302'},
    'admin/rectification/rectificationtask/<path:object_id>/delete/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/rectification/rectificationtask/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/rectification/rectificationtask/^([^/]+)/history/([^/]+)/$': {'GET': 'adm_out=404 adm_in=200 *=302', 'POST': 'adm_out=404 *=302'},
    'admin/rectification/rectificationtask/add/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'api/v1/^rectification-cases/$': {'DELETE PATCH PUT': 'anon=401 sec,sec2=403 *=405', 'HTML': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2=403 *=400'},
    'api/v1/^rectification-cases/(?P<pk>[^/.]+)/$': {'DELETE PATCH POST PUT': 'anon=401 sec,sec2=403 *=405', 'GET HEAD HTML': 'anon=401 sec,sib,nounit,adm_out=404 *=200'},
    'api/v1/^rectification-cases/(?P<pk>[^/.]+)/close/$': {'DELETE PATCH PUT': 'anon=401 sec,sec2=403 *=405', 'GET HEAD HTML': 'anon=401 *=405', 'POST': 'anon=401 sec,sec2=403 sib,nounit,adm_out=404 *=400'},
    'api/v1/^rectification-cases/(?P<pk>[^/.]+)/reopen/$': {'DELETE PATCH PUT': 'anon=401 sec,sec2=403 *=405', 'GET HEAD HTML': 'anon=401 *=405', 'POST': 'anon=401 sec,sec2=403 sib,nounit,adm_out=404 *=400'},
    'api/v1/^rectification-tasks/$': {'DELETE PATCH PUT': 'anon=401 *=405', 'HTML': 'anon=401 *=200', 'POST': 'anon=401 *=400'},
    'api/v1/^rectification-tasks/(?P<pk>[^/.]+)/$': {'DELETE POST': 'anon=401 *=405', 'GET HEAD HTML': 'anon=401 sec,sib,nounit,adm_out=404 *=200', 'PATCH': 'anon=401 sec2=403 sup,staff,adm_in=200 *=404', 'PUT': 'anon=401 sec,sib,nounit,adm_out=404 *=400'},
    'api/v1/^rectification-tasks/(?P<pk>[^/.]+)/done/$': {'DELETE GET HEAD HTML PATCH PUT': 'anon=401 *=405', 'POST': 'anon=401 sec2,staff,adm_in=200 sup=403 *=404'},
    'api/v1/^rectification-tasks/(?P<pk>[^/.]+)/reopen/$': {'DELETE GET HEAD HTML PATCH PUT': 'anon=401 *=405', 'POST': 'anon=401 sec2=403 sup,staff,adm_in=400 *=404'},
    'api/v1/reports/rectification-ledger/': {'HTML': 'anon=401 *=200'},
    'exports/rectification-ledger.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/rectification-ledger.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'rectification/': {'DELETE PATCH': 'anon=302 *=405'},
    'rectification/cases/<int:pk>/': {'DELETE PATCH PUT': 'anon=302 sec,sib,nounit,adm_out=404 *=405', 'GET HEAD': 'anon=302 sec,sib,nounit,adm_out=404 *=200', 'POST': 'anon=302 sec,sib,nounit,adm_out=404 *=403'},
    'rectification/cases/<int:pk>/close/': {'DELETE PATCH PUT': 'anon=302 sec2=403 sup,staff,adm_in=405 *=404', 'GET HEAD': 'anon=302 sec2=403 sup,staff,adm_in=200 *=404', 'POST': 'anon=302 sec2=403 sup,staff,adm_in=400 *=404'},
    'rectification/cases/new/': {'GET HEAD': 'anon=302 sec,sec2,sup=403 *=200', 'POST': 'anon=302 sec,sec2,sup=403 *=400', 'PUT': 'anon=302 sec,sec2,sup=403 *=405'},
    'rectification/evidence/<int:pk>/': {'DELETE PATCH POST PUT': 'anon=302 sec,sib,nounit,adm_out=404 *=405', 'GET HEAD': 'anon=302 sec,sib,nounit,adm_out=404 *=200'},
    # --- stipends: forms received (issue 10, R-STP-3) ---
    'stipends/forms/': {'DELETE PATCH PUT': 'anon=302 sec,sec2=403 *=405', 'GET HEAD': 'anon=302 sec,sec2=403 *=200', 'POST': 'sec,sec2,sup=403 *=302'},
    'exports/stipend-forms.csv': {'DELETE PATCH POST PUT': 'anon=302 *=405', 'GET HEAD': 'anon=302 sec,sec2=403 *=200'},
    'exports/stipend-forms.xlsx': {'DELETE PATCH POST PUT': 'anon=302 *=405', 'GET HEAD': 'anon=302 sec,sec2=403 *=200'},
    'api/v1/^stipend-elections/$': {'DELETE PATCH PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML OPTIONS': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^stipend-elections/(?P<pk>[^/.]+)/$': {'DELETE POST': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML': 'anon=401 sec2,sib,nounit,adm_out=404 *=200', 'OPTIONS': 'anon=401 *=200', 'PATCH PUT': 'anon=401 sec,sec2,sup=403 staff,adm_in=200 *=404'},
    # --- stipends: API of sheets and the admin (issue 10, R-STP-2..4; R-ORG-2) ---
    # Sheets are the jurisdiction's: staff write, everyone in the subtree reads; the secretary of village A1
    # reads the approved sheet holding their line and that line only (sec2 has none: 404). The township's
    # supervisor is below the county's sheet (404). The admin is read-only (add/delete 403, change shows).
    'admin/stipends/healthcheck/': {},
    'admin/stipends/healthcheck/<path:object_id>/': {'GET POST': '*=302'},
    'admin/stipends/healthcheck/<path:object_id>/change/': {'GET': 'adm_in=200 *=302', 'POST': '*=302'},
    'admin/stipends/healthcheck/<path:object_id>/delete/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/stipends/healthcheck/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/stipends/healthcheck/^([^/]+)/history/([^/]+)/$': {'GET': 'adm_out=404 adm_in=200 *=302', 'POST': 'adm_out=404 *=302'},
    'admin/stipends/healthcheck/add/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/stipends/healthcheckentitlement/': {},
    'admin/stipends/healthcheckentitlement/<path:object_id>/': {'GET POST': '*=302'},
    'admin/stipends/healthcheckentitlement/<path:object_id>/change/': {'GET': 'adm_in=200 *=302', 'POST': '*=302'},
    'admin/stipends/healthcheckentitlement/<path:object_id>/delete/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/stipends/healthcheckentitlement/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/stipends/healthcheckentitlement/add/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/stipends/stipendelection/': {},
    'admin/stipends/stipendelection/<path:object_id>/': {'GET POST': '*=302'},
    'admin/stipends/stipendelection/<path:object_id>/change/': {'GET': 'adm_in=200 *=302', 'POST': '*=302'},
    'admin/stipends/stipendelection/<path:object_id>/delete/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/stipends/stipendelection/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/stipends/stipendelection/^([^/]+)/history/([^/]+)/$': {'GET': 'adm_out=404 adm_in=200 *=302', 'POST': 'adm_out=404 *=302'},
    'admin/stipends/stipendelection/add/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/stipends/stipendline/': {},
    'admin/stipends/stipendline/<path:object_id>/': {'GET POST': '*=302'},
    'admin/stipends/stipendline/<path:object_id>/change/': {'GET': 'adm_in=200 *=302', 'POST': '*=302'},
    'admin/stipends/stipendline/<path:object_id>/delete/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/stipends/stipendline/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/stipends/stipendline/add/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/stipends/stipendsheet/': {},
    'admin/stipends/stipendsheet/<path:object_id>/': {'GET POST': '*=302'},
    'admin/stipends/stipendsheet/<path:object_id>/change/': {'GET': 'adm_in=200 *=302', 'POST': '*=302'},
    'admin/stipends/stipendsheet/<path:object_id>/delete/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/stipends/stipendsheet/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/stipends/stipendsheet/^([^/]+)/history/([^/]+)/$': {'GET': 'adm_out=404 adm_in=200 *=302', 'POST': 'adm_out=404 *=302'},
    'admin/stipends/stipendsheet/add/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'api/v1/^stipend-sheets/$': {'HTML': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^stipend-sheets/(?P<pk>[^/.]+)/$': {'GET HEAD HTML': 'anon=401 sec,staff,adm_in=200 *=404'},
    'api/v1/^stipend-sheets/(?P<pk>[^/.]+)/approve/$': {'GET HEAD HTML': 'anon=401 *=405', 'POST': 'anon=401 sec,sec2,sup=403 staff,adm_in=400 *=404'},
    'api/v1/^stipend-sheets/(?P<pk>[^/.]+)/correct/$': {'GET HEAD HTML': 'anon=401 *=405', 'POST': 'anon=401 sec,sec2,sup=403 staff,adm_in=400 *=404'},
    'api/v1/^stipend-sheets/(?P<pk>[^/.]+)/lines/$': {'GET HEAD HTML': 'anon=401 sec,staff,adm_in=200 *=404'},
    'api/v1/^stipend-sheets/preview/$': {'GET HEAD HTML': 'anon=401 *=405', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    # --- stipends: sheet pages (issue 10) ---
    # R-STP-4: staff compute (POST), supervisors read; a secretary has no sheet page (their line is at mine/);
    # county A's sheet is 404 outside county A (the township's supervisor included), whatever the method.
    'stipends/': {'DELETE PATCH PUT': 'anon=302 sec,sec2=403 *=405', 'GET HEAD': 'anon=302 sec,sec2=403 *=200', 'POST': 'anon=302 sec,sec2,sup=403 *=400'},
    'stipends/mine/': {'DELETE PATCH POST PUT': 'anon=302 *=405', 'GET HEAD': 'anon=302 *=200'},
    'stipends/preview/': {'DELETE PATCH PUT': 'anon=302 sec,sec2,sup=403 *=405', 'GET HEAD': 'anon=302 sec,sec2,sup=403 staff,adm_in=200 *=400', 'POST': 'anon=302 sec,sec2,sup=403 *=400'},
    'stipends/sheets/<int:pk>/': {'DELETE PATCH PUT': 'anon=302 staff,adm_in=405 *=404', 'GET HEAD': 'anon=302 staff,adm_in=200 *=404', 'POST': 'anon,staff,adm_in=302 *=404'},
    'stipends/sheets/<int:pk>/export.xlsx': {'DELETE PATCH POST PUT': 'anon=302 staff,adm_in=405 *=404', 'GET HEAD': 'anon=302 staff,adm_in=200 *=404'},
    # --- stipends: health checks (issue 10, R-STP-5/6) ---
    # Staff record and correct; supervisors read; the secretary ``sec`` (person_a1) reads their own record.
    'api/v1/^health-checks/$': {'DELETE PATCH PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML OPTIONS': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2,sup=403 *=400'},
    'api/v1/^health-checks/(?P<pk>[^/.]+)/$': {'DELETE POST': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML': 'anon=401 adm_out,nounit,sec2,sib=404 *=200', 'OPTIONS': 'anon=401 *=200', 'PATCH': 'anon=401 sec,sec2,sup=403 adm_out,nounit,sib=404 *=200', 'PUT': 'anon=401 sec,sec2,sup=403 adm_out,nounit,sib=404 *=400'},
    # Asked about county A: whoever cannot see it gets the 400 naming ``unit``.
    'api/v1/reports/health-check-eligible/': {'DELETE PATCH POST PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML': 'anon=401 adm_in,staff=200 *=400', 'OPTIONS': 'anon=401 *=200'},
    'exports/health-eligible.csv': {'DELETE PATCH': 'anon=302 *=405'},
    'exports/health-eligible.xlsx': {'DELETE PATCH': 'anon=302 *=405'},
    'stipends/health/checks/': {'DELETE PATCH': 'anon=302 *=405'},
    'stipends/health/checks/<int:pk>/': {'DELETE PATCH PUT': 'anon=302 *=405', 'GET HEAD': 'anon=302 adm_out,nounit,sec2,sib=404 *=200', 'POST': 'anon=302 sec,sup=403 adm_out,nounit,sec2,sib=404 *=400'},
    'stipends/health/checks/new/': {'DELETE PATCH': 'anon=302 *=405', 'GET HEAD': 'anon=302 sec,sec2,sup=403 *=200', 'POST': 'anon=302 sec,sec2,sup=403 *=400'},
    'stipends/health/eligible/': {'DELETE PATCH': 'anon=302 *=405'},
    'stipends/health/eligible/refresh/': {'DELETE GET HEAD PATCH PUT': 'anon=302 *=405', 'POST': 'nounit,sec,sec2,sup=403 *=302'},
    # --- dossiers: foundation (issue 11, R-DOS-1) ---
    # Staff and supervisors of the person's subtree print the term file; secretaries 403; outside the subtree 404.
    'api/v1/people/<int:pk>/dossier.pdf': {'DELETE PATCH POST PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML': 'anon=401 sec,sec2=403 staff,sup,adm_in=200 *=404'},
    # Public: what a printout's QR code opens (matches / outdated / unknown, no personal data).
    'verify/<str:code>/': {'DELETE PATCH POST PUT': '*=405', 'GET HEAD': '*=200'},
    # --- dossiers: jurisdiction export (issue 11, R-DOS-2) ---
    # Staff and supervisors export (secretaries 403); the list holds only the caller's own exports; an export and
    # its ZIP are only for whoever asked (county A's staff): anyone else 404, the township's supervisor included.
    'api/v1/dossier-exports/': {'DELETE PATCH PUT': 'anon=401 sec,sec2=403 *=405', 'GET HEAD HTML': 'anon=401 sec,sec2=403 *=200', 'OPTIONS': 'anon=401 *=200', 'POST': 'anon=401 sec,sec2=403 *=400'},
    'api/v1/dossier-exports/<int:pk>/': {'DELETE PATCH POST PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML': 'anon=401 staff=200 *=404'},
    'api/v1/dossier-exports/<int:pk>/download/': {'DELETE PATCH POST PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML': 'anon=401 staff=200 *=404'},
    'dossiers/exports/': {'DELETE PATCH POST PUT': 'anon=302 *=405', 'GET HEAD': 'anon=302 sec,sec2=403 *=200'},
    # The unit page's button (POST only): village A1's export starts for its staff and supervisors; outside, 404.
    'dossiers/exports/units/<int:unit_pk>/': {'DELETE GET HEAD PATCH PUT': 'anon=302 *=405', 'POST': 'anon,staff,sup,adm_in=302 sec,sec2=403 *=404'},
    # --- dossiers: assessment file and verification (issue 11, R-ASM-5, R-DOS-1) ---
    # Staff and supervisors of the subtree print a branch's file; its own secretary only once the year is
    # published (the world's 2025 is not: 404, as for the other branch's secretary); outside the subtree 404.
    'api/v1/org-units/<int:pk>/assessment-file.pdf': {'DELETE PATCH POST PUT': 'anon=401 sec,sec2,sup=403 *=405', 'GET HEAD HTML': 'anon=401 staff,sup,adm_in=200 *=404'},
    # Public: the form to type a code from paper (?code= redirects to verify/<code>/).
    'verify/': {'DELETE PATCH POST PUT': '*=405', 'GET HEAD': '*=200'},
    # Printed files in the admin: read only, scoped (R-ORG-2); no history of their own.
    'admin/dossiers/dossierprint/': {},
    'admin/dossiers/dossierprint/<path:object_id>/': {'GET POST': '*=302'},
    'admin/dossiers/dossierprint/<path:object_id>/change/': {'GET': 'adm_in=200 *=302', 'POST': '*=302'},
    'admin/dossiers/dossierprint/<path:object_id>/delete/': {'GET POST': 'adm_out,adm_in=403 *=302'},
    'admin/dossiers/dossierprint/<path:object_id>/history/': {'GET POST': 'adm_out=404 adm_in=200 *=302'},
    'admin/dossiers/dossierprint/add/': {'GET POST': 'adm_out,adm_in=403 *=302'},
}


# ---------------------------------------------------------------- reading the table

def row_for(route):
    return ROWS.get(route.key)


def methods_for(route):
    return METHODS[route.family]


def _parse(spec: str) -> dict[str, int]:
    out = {}
    for token in spec.split():
        roles, status = token.split("=")
        for role in roles.split(","):
            out[role] = int(status)
    return out


def _lookup(table: dict, method: str):
    for methods, spec in table.items():
        if method in methods.split():
            return spec
    return None


def expected(route, method: str, role: str) -> int | None:
    spec = _lookup(ROWS.get(route.key, {}), method) or _lookup(DEFAULTS[route.family], method)
    if spec is None:
        return None
    statuses = _parse(spec)
    return statuses.get(role, statuses.get("*"))


def _matches(table, key: str, role: str, method: str) -> bool:
    return any(k == key and r in (role, "*") and m in (method, "*") for k, r, m in table)


def is_known_leak(key: str, role: str, method: str) -> bool:
    return _matches(KNOWN_LEAKS, key, role, method)


def is_known_error(key: str, role: str, method: str) -> bool:
    return _matches(KNOWN_ERRORS, key, role, method)


def query_for(route, world) -> str:
    query = QUERIES.get(route.key)
    return "?" + query.format(unit=world.county_a.pk) if query else ""


def params_for(route, world) -> dict:
    key = route.key
    values = {"format": "json", "app_label": "cadres", "url": "no-such-page/", "parent_id": world.county_a.pk,
              "id": world.users["sec"].pk, "code": world.print_a.code}
    if key.startswith("admin/r/"):  # "view on site": county A's person
        from django.contrib.contenttypes.models import ContentType
        values.update(content_type_id=ContentType.objects.get_for_model(world.person_a1).pk,
                      object_id=world.person_a1.pk)
    elif key.startswith("admin/"):
        for prefix, name in ADMIN_OBJECTS.items():
            if key.startswith(f"admin/{prefix}/"):
                obj = world.obj(name)
                pk = obj.pk
                values.update(object_id=pk, _0=pk, _1=world.history_id(obj))
                break
    else:
        prefixes = [p for p in OBJECTS if key.startswith(p)]
        if prefixes:
            obj = world.obj(OBJECTS[max(prefixes, key=len)])
            values.update(pk=obj.pk, unit_pk=obj.pk)
    if key == "api/v1/<drf_format_suffix:format>":
        values["format"] = ".json"
    return values
