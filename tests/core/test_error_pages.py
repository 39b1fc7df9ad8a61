"""Chinese 403, 404 and 500 pages in the site's layout; the API answers JSON (R-SEC-3)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

ZH_LAYOUT = "支书"  # the brand in the layout's header and footer


def test_404_is_chinese_in_the_layout(world, login):
    client = login(world.staff_a)
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and 'class="site-header"' in body and "返回工作台" in body


def test_404_of_a_record_outside_the_subtree_is_the_same_page(world, login):
    response = login(world.outsider).get(f"/cadres/people/{world.person_a2.pk}/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_403_is_chinese_in_the_layout(world, login):
    response = login(world.secretary_user).get("/policies/new/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in body and 'class="site-header"' in body


def test_404_for_anonymous_users_shows_the_layout_without_the_menu(db, client):
    body = client.get("/no-such-page/").content.decode()
    assert "页面不存在" in body and 'class="site-header"' not in body


@pytest.mark.urls("tests.core.error_urls")
def test_500_is_chinese_and_needs_no_database(world, login):
    client = login(world.staff_a)
    client.raise_request_exception = False
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "服务器错误" in body and ZH_LAYOUT in body
    assert "boom" not in body and "Traceback" not in body
    # Only the session and user lookups of the request itself; the page adds none.
    assert not [q for q in queries.captured_queries if "notice" in q["sql"].lower()]


def test_the_500_page_renders_without_database_or_context_processors(rf):
    """No db fixture: pytest-django makes any query raise, so the page must need none."""
    from core.errors import server_error

    response = server_error(rf.get("/anything/"))
    assert response.status_code == 500 and "服务器错误" in response.content.decode()


@pytest.mark.urls("tests.core.error_urls")
def test_500_is_english_for_english_users(world, login, settings):
    client = login(world.staff_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.raise_request_exception = False
    assert "Server error" in client.get("/boom/").content.decode()


@pytest.mark.urls("tests.core.error_urls")
def test_api_errors_stay_json(world, api):
    client = api(world.staff_a)
    client.raise_request_exception = False

    server = client.get("/api/v1/boom/")
    missing_route = client.get("/api/v1/no-such-endpoint/")
    missing_row = client.get(f"/api/v1/people/{world.person_b1.pk}/")

    assert server.status_code == 500 and server["Content-Type"] == "application/json"
    assert server.json() == {"detail": "服务器错误。错误已记录，请稍后再试。"}
    assert missing_route.status_code == 404 and missing_route.json() == {"detail": "未找到。"}
    assert missing_row.status_code == 404 and missing_row["Content-Type"] == "application/json"
