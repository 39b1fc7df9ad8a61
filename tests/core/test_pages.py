"""Pages of the foundation: login, dashboard, policies, enterprise coverage, notices and jobs (R-ORG-2, R-POL-2)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.choices import JobState, Level, Role, Sector
from core.models import Job, Notice, Policy
from core.panels import panels_for, register_panel, unregister_panel
from core.selectors import unit_counts
from tests.factories import AppointmentFactory, make_unit, make_user

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- login and layout

def test_it_requires_login_for_every_page(client, world):
    for url in (reverse("dashboard"), reverse("policy"), reverse("notices"), reverse("jobs"),
                reverse("report_enterprise_coverage")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_the_login_page_names_the_product_and_logs_in(client, world):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "支" in response.content.decode()
    response = client.post(reverse("login"), {"username": "staff_a", "password": "pw-123456-zhishu"})
    assert response.status_code == 302 and response.url == reverse("dashboard")


def test_logout_is_a_post(login, world):
    client = login(world.staff_a)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_the_layout_shows_role_unit_language_switch_and_unread_badge(login, world):
    Notice.objects.create(recipient=world.staff_a, kind="t", key="k1", title="请提交述职报告")
    Notice.objects.create(recipient=world.staff_a, kind="t", key="k2", title="已读", read_at=dt.datetime(2026, 1, 1,
                                                                                                   tzinfo=dt.UTC))
    html = login(world.staff_a).get(reverse("dashboard")).content.decode()
    assert 'action="/i18n/setlang/"' in html and 'value="zh-hans"' in html and 'value="en"' in html
    assert '<span class="badge"' in html and ">1</span>" in html
    assert "甲县委" in html  # the user's unit in the user menu


# ---------------------------------------------------------------- dashboard

def test_dashboard_counts_only_the_users_subtree(login, world):
    response = login(world.staff_a).get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.context["counts"]["total"] == 4
    html = response.content.decode()
    assert "<svg" in html and 'id="panel-sector-chart"' in html
    assert 'id="panel-reserve-coverage"' in html and 'id="panel-dual-leaders"' in html


def test_dashboard_of_the_outsider_shows_nothing_of_county_a(login, world):
    html = login(world.outsider).get(reverse("dashboard")).content.decode()
    for name in ("东风村党支部", "新华村党支部", "甲县委", "秦秀英"):
        assert name not in html


def test_dashboard_lists_villages_lacking_a_reserve(login, world):
    """R-RES-2 on the dashboard: both villages of county A lack a reserve candidate."""
    html = login(world.staff_a).get(reverse("dashboard")).content.decode()
    assert "东风村党支部" in html and "新华村党支部" in html and "石桥村党支部" not in html


def test_a_secretary_sees_their_own_record_and_branch(login, world):
    response = login(world.secretary_user).get(reverse("dashboard"))
    html = response.content.decode()
    assert 'id="secretary-home"' in html and 'id="panel-my-record"' in html
    assert "秦秀英" in html and "东风村党支部" in html
    assert "杨志强" not in html and 'id="panel-sector-chart"' not in html


def test_the_dashboard_query_count_does_not_grow_with_the_tree(login, world):
    """Set-based: more units, people and secretaries cost no extra query (other apps' panels included)."""
    client = login(world.staff_a)
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("dashboard"))
    for i in range(5):
        village = make_unit(parent=world.township_a, name=f"新村{i}")
        AppointmentFactory(unit=village, start_date=dt.date(2025, 1, 1))
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("dashboard"))
    assert len(after) == len(before)


def test_a_registered_panel_is_shown_only_to_its_roles(rf, world):
    register_panel(template_name="core/_test_panel.html", context_func=lambda request, d: {"x": 1},
                   roles=(Role.SECRETARY,), order=1)
    try:
        def names(user):
            request = rf.get("/")
            request.user = user
            dashboard = {"year": 2026, "today": dt.date(2026, 11, 23), "counts": unit_counts(user=user)}
            return [p["template_name"] for p in panels_for(request, dashboard)]

        assert "core/_test_panel.html" in names(world.secretary_user)
        assert "core/_test_panel.html" not in names(world.staff_a)
    finally:
        unregister_panel("core/_test_panel.html")


# ---------------------------------------------------------------- R-POL pages

def test_the_policy_page_explains_each_value_and_its_source(login, world):
    """R-POL-2: value, jurisdiction or default, rule id and source document for every field."""
    Policy.objects.create(unit=world.county_a, year=2026, youth_age_limit=40)
    response = login(world.staff_a).get(reverse("policy"), {"unit": world.village_a1.pk, "year": 2026})
    assert response.status_code == 200
    rows = {r["name"]: r for r in response.context["rows"]}
    assert rows["youth_age_limit"]["value"] == 40 and rows["youth_age_limit"]["unit"] == "甲县委"
    assert rows["annual_training_days"]["default"] is True and rows["annual_training_days"]["rule"] == "R-TRN-2"
    html = response.content.decode()
    assert "R-RES-3" in html and "001 常德市委〔2012〕5号" in html


def test_the_policy_page_offers_only_visible_units(login, world):
    response = login(world.outsider).get(reverse("policy"), {"unit": world.county_a.pk, "year": 2026})
    assert response.status_code == 200
    assert response.context["unit"] == world.county_b  # the foreign unit is refused, the user's own is shown
    assert "甲县委" not in response.content.decode()


def test_staff_create_a_policy_with_only_the_values_they_fill(login, world):
    client = login(world.staff_a)
    assert client.get(reverse("policy_create")).status_code == 200
    response = client.post(reverse("policy_create"), {"unit": world.county_a.pk, "year": 2026,
                                                      "annual_training_days": "10"})
    assert response.status_code == 302
    policy = Policy.objects.get(unit=world.county_a, year=2026)
    assert policy.annual_training_days == Decimal("10") and policy.youth_age_limit is None


def test_staff_cannot_set_a_policy_outside_their_subtree(login, world):
    response = login(world.staff_a).post(reverse("policy_create"), {"unit": world.county_b.pk, "year": 2026})
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not Policy.objects.filter(unit=world.county_b).exists()
    foreign = Policy.objects.create(unit=world.county_b, year=2026)
    assert login(world.staff_a).get(reverse("policy_edit", args=[foreign.pk])).status_code == 404


def test_supervisors_read_policies_but_cannot_edit(login, world):
    client = login(world.supervisor_a)
    assert client.get(reverse("policy")).status_code == 200
    assert client.get(reverse("policy_create")).status_code == 403
    assert client.post(reverse("policy_create"), {"unit": world.county_a.pk, "year": 2026}).status_code == 403


# ---------------------------------------------------------------- R-ORG-3 report

def test_the_enterprise_coverage_report_shows_rule_and_policy_values(login, world):
    make_unit(parent=world.township_a, name="宏达机械有限公司", level=Level.ENTERPRISE, sector=Sector.NON_PUBLIC,
              employees=50, members=0)
    make_unit(parent=world.township_b, name="乙县电子厂", level=Level.ENTERPRISE, sector=Sector.NON_PUBLIC,
              employees=80, members=0)
    Policy.objects.create(unit=world.county_a, year=2026, enterprise_branch_min_employees=50)
    response = login(world.staff_a).get(reverse("report_enterprise_coverage"), {"year": 2026})
    html = response.content.decode()
    assert response.status_code == 200
    assert "宏达机械有限公司" in html and "乙县电子厂" not in html
    assert "R-ORG-3" in html and "甲县委" in html  # the policy value came from county A's policy


# ---------------------------------------------------------------- notices and jobs

def test_notices_are_the_users_own_and_can_be_marked_read(login, world):
    mine = Notice.objects.create(recipient=world.staff_a, kind="t", key="a", title="我的通知")
    other = Notice.objects.create(recipient=world.outsider, kind="t", key="b", title="别人的通知")
    client = login(world.staff_a)
    html = client.get(reverse("notices")).content.decode()
    assert "我的通知" in html and "别人的通知" not in html
    assert client.post(reverse("notice_read", args=[other.pk])).status_code == 404
    assert client.post(reverse("notice_read", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_all_read_touches_only_the_users_notices(login, world):
    Notice.objects.create(recipient=world.staff_a, kind="t", key="a", title="一")
    Notice.objects.create(recipient=world.outsider, kind="t", key="b", title="二")
    login(world.staff_a).post(reverse("notices_read_all"))
    assert Notice.objects.filter(read_at__isnull=True).count() == 1


def test_jobs_page_shows_only_the_users_jobs_with_progress(login, world, django_assert_max_num_queries):
    job = Job.objects.create(kind="import_people", created_by=world.staff_a, state=JobState.RUNNING, progress=40)
    foreign = Job.objects.create(kind="dossier_zip", created_by=world.outsider)
    client = login(world.staff_a)
    with django_assert_max_num_queries(8):
        html = client.get(reverse("jobs")).content.decode()
    assert "import_people" in html and "dossier_zip" not in html and "width: 40%" in html
    detail = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert f'data-job-url="/api/v1/jobs/{job.pk}/"' in detail
    assert client.get(reverse("job_detail", args=[foreign.pk])).status_code == 404


# ---------------------------------------------------------------- template helpers

def test_cn_date_renders_chinese_dates_in_chinese():
    template = Template("{% load zhishu %}{{ d|cn_date }}")
    with translation.override("zh-hans"):
        assert template.render(Context({"d": dt.date(2026, 11, 23)})) == "2026年11月23日"
    with translation.override("en"):
        assert "2026" in template.render(Context({"d": dt.date(2026, 11, 23)}))
        assert "年" not in template.render(Context({"d": dt.date(2026, 11, 23)}))


def test_a_user_without_a_unit_gets_an_empty_dashboard(login, db):
    user = make_user(unit=None, role=Role.STAFF)
    assert login(user).get(reverse("dashboard")).status_code == 200


def test_apps_add_navigation_entries_for_their_roles(login, world):
    from core.panels import register_nav_item, unregister_nav_item

    register_nav_item(label="考核评议", url_name="policy", roles=(Role.STAFF,), order=1, active_prefix="/policies/")
    register_nav_item(label="不存在", url_name="nowhere:nothing")
    try:
        html = login(world.staff_a).get(reverse("dashboard")).content.decode()
        assert "考核评议" in html and "不存在" not in html
        assert "考核评议" not in login(world.supervisor_a).get(reverse("dashboard")).content.decode()
    finally:
        unregister_nav_item("policy")
        unregister_nav_item("nowhere:nothing")
