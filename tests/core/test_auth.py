"""Login and sessions (R-SEC-3): lockouts, throttles, expiring and revocable tokens, 401.

django-axes locks a username after AXES_FAILURE_LIMIT (5) failures from any address and an
address after 5 failures on any username, for AXES_COOLOFF_TIME (30 minutes), on the login
page, the admin login and the token endpoint alike.
"""
import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import override_settings
from django.conf import settings
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from core.errors import MSG_LOCKED_OUT
from core.services.tokens import ERR_REVOKE_OTHERS, tokens_revoke_for_user
from tests.factories import make_user

PASSWORD = "pw-123456-zhishu"
LOCKED_ZH = "登录失败次数过多"
TOKEN_URL = "/api/v1/auth/token/"
REVOKE_URL = "/api/v1/auth/token/revoke/"


def page_login(client, username, password, ip="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def admin_login(client, username, password, ip="10.0.0.1"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def token_login(client, username, password, ip="10.0.0.1"):
    return client.post(TOKEN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(response, how):
    if how is token_login:
        return response.status_code == 200 and "token" in response.json()
    return response.status_code == 302 and "/login/" not in response["Location"]


LOGINS = pytest.mark.parametrize("how", [page_login, admin_login, token_login], ids=["page", "admin", "token"])


@pytest.fixture
def staff(world):
    world.staff_a.is_staff = True  # the admin login admits staff users only
    world.staff_a.save()
    world.outsider.is_staff = True
    world.outsider.save()
    return world


@LOGINS
def test_five_wrong_passwords_lock_the_user_out_even_with_the_right_one(staff, client, how):
    """R-SEC-3: the sixth attempt fails although its password is right; the message is Chinese."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert not logged_in(how(client, "staff_a", "wrong"), how)

    response = how(client, "staff_a", PASSWORD)

    assert response.status_code == 429
    assert LOCKED_ZH in response.content.decode()
    assert "30" in response.content.decode()
    assert response["Retry-After"] == str(30 * 60)


@LOGINS
def test_the_lock_holds_for_the_user_from_another_address_and_for_the_address(staff, client, how):
    """Per user (another address is locked too) and per address (another user there is locked)."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        how(client, "staff_a", "wrong", ip="10.0.0.1")

    assert how(client, "staff_a", PASSWORD, ip="10.0.0.9").status_code == 429
    assert how(client, "outsider", PASSWORD, ip="10.0.0.1").status_code == 429


@LOGINS
def test_another_user_from_another_address_still_logs_in(staff, client, how):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        how(client, "staff_a", "wrong", ip="10.0.0.1")

    assert logged_in(how(client, "outsider", PASSWORD, ip="10.0.0.2"), how)


@LOGINS
def test_four_failures_do_not_lock(staff, client, how):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        how(client, "staff_a", "wrong")

    assert logged_in(how(client, "staff_a", PASSWORD), how)


@LOGINS
def test_the_lock_ends_after_the_cool_off(staff, client, how):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        how(client, "staff_a", "wrong")
    assert how(client, "staff_a", PASSWORD).status_code == 429

    # Travel 31 minutes: the failures are now older than the 30-minute cool-off.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))

    assert logged_in(how(client, "staff_a", PASSWORD), how)


def test_an_administrator_unlocks_with_axes_reset(staff, client):
    from axes.utils import reset

    for _ in range(settings.AXES_FAILURE_LIMIT):
        page_login(client, "staff_a", "wrong")
    assert page_login(client, "staff_a", PASSWORD).status_code == 429

    assert reset(username="staff_a") >= 1
    AccessAttempt.objects.all().delete()  # the address lock as well

    assert logged_in(page_login(client, "staff_a", PASSWORD), page_login)


def test_the_lockout_parameters_come_from_the_environment():
    from config.settings.base import _lockout_parameters

    assert _lockout_parameters("username,ip_address") == ["username", "ip_address"]
    assert _lockout_parameters("username+ip_address") == [["username", "ip_address"]]
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert settings.AXES_FAILURE_LIMIT == 5 and settings.AXES_COOLOFF_TIME == dt.timedelta(minutes=30)


def test_the_lockout_message_is_english_for_english_users(staff, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page_login(client, "staff_a", "wrong")

    body = page_login(client, "staff_a", PASSWORD).content.decode()

    assert str(MSG_LOCKED_OUT) % {"minutes": 30} in body


def test_the_api_lockout_is_json(staff, client):
    # The fifth failure is the one that locks: it already answers 429.
    codes = [token_login(client, "staff_a", "wrong").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert codes == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]

    response = token_login(client, "staff_a", PASSWORD)

    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert LOCKED_ZH in response.json()["detail"]


def test_force_login_is_not_watched_by_axes(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page_login(client, "staff_a", "wrong", ip="127.0.0.1")
    client.force_login(world.staff_a)
    assert client.get("/").status_code == 200


def test_a_page_login_lasts_a_working_day(staff, client):
    assert logged_in(page_login(client, "staff_a", PASSWORD), page_login)
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600


# ---------------------------------------------------------------- throttles

THROTTLED = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "4/minute",
                                                                     "auth": "2/minute"}}


@pytest.fixture
def throttled():
    cache.clear()
    with override_settings(REST_FRAMEWORK=THROTTLED):
        yield
    cache.clear()


def test_api_calls_are_throttled_per_user(world, throttled):
    client = APIClient()
    client.force_authenticate(world.staff_a)
    codes = [client.get("/api/v1/org-units/").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]

    other = APIClient()
    other.force_authenticate(world.outsider)
    assert other.get("/api/v1/org-units/").status_code == 200


def test_anonymous_calls_are_throttled(world, throttled):
    # Anonymous calls to a protected endpoint are refused (401) before any throttle runs;
    # the anonymous rate guards what anyone may call, such as the schema.
    codes = [APIClient().get("/api/schema/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_token_endpoint_has_a_stricter_rate(world, throttled, client):
    codes = [token_login(client, "staff_a", PASSWORD).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_throttles_are_off_in_the_rest_of_the_suite(world):
    client = APIClient()
    client.force_authenticate(world.staff_a)
    assert {client.get("/api/v1/org-units/").status_code for _ in range(30)} == {200}


# ---------------------------------------------------------------- tokens

def token_for(client, username="outsider"):
    response = token_login(client, username, PASSWORD)
    assert response.status_code == 200, response.content
    return response.json()


def with_token(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_is_stored_only_as_a_hash_and_expires_after_the_ttl(world, client):
    data = token_for(client)
    token = AuthToken.objects.get()
    assert data["token"] not in (token.digest, token.token_key)
    lifetime = token.expiry - token.created
    assert abs(lifetime - dt.timedelta(hours=settings.ZHISHU_TOKEN_TTL_HOURS)) < dt.timedelta(minutes=1)
    assert data["expiry"]


def test_an_expired_token_gets_401(world, client):
    key = token_for(client)["token"]
    assert with_token(key).get("/api/v1/org-units/").status_code == 200

    AuthToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))

    response = with_token(key).get("/api/v1/org-units/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@override_settings(REST_KNOX={**settings.REST_KNOX, "TOKEN_TTL": dt.timedelta(hours=1)})
def test_the_ttl_comes_from_the_setting(world, client):
    token_for(client)
    token = AuthToken.objects.get()
    assert abs((token.expiry - token.created) - dt.timedelta(hours=1)) < dt.timedelta(minutes=1)


def test_a_revoked_token_gets_401(world, client):
    first, second = token_for(client)["token"], token_for(client)["token"]

    assert with_token(first).post(REVOKE_URL).status_code == 204

    assert with_token(first).get("/api/v1/org-units/").status_code == 401
    assert with_token(second).get("/api/v1/org-units/").status_code == 200


def test_revoking_needs_a_token(world, api):
    assert APIClient().post(REVOKE_URL).status_code == 401
    session = APIClient()
    session.force_login(world.staff_a)
    assert session.post(REVOKE_URL).status_code == 401  # a session has no token to revoke
    assert api(world.staff_a).post(REVOKE_URL).status_code == 401


def test_a_superuser_revokes_every_token_of_a_user(world, client, api):
    keys = [token_for(client)["token"], token_for(client)["token"]]
    mine = token_for(client, "staff_a")["token"]
    admin = make_user(unit=None, username="root", is_superuser=True, is_staff=True)
    url = f"/api/v1/auth/users/{world.outsider.pk}/tokens/revoke/"

    assert api(world.staff_a).post(url).status_code == 403
    assert with_token(mine).post(url).status_code == 403
    response = api(admin).post(url)

    assert response.status_code == 200 and response.json() == {"revoked": 2}
    assert {with_token(k).get("/api/v1/org-units/").status_code for k in keys} == {401}
    assert with_token(mine).get("/api/v1/org-units/").status_code == 200
    assert api(admin).post("/api/v1/auth/users/999999/tokens/revoke/").status_code == 404


def test_only_superusers_revoke_someone_elses_tokens_in_the_service(world):
    with pytest.raises(Exception) as raised:
        tokens_revoke_for_user(actor=world.staff_a, user=world.outsider)
    assert str(ERR_REVOKE_OTHERS) in str(raised.value)


def test_only_superusers_see_tokens_and_lockouts_in_the_admin(world, client):
    world.staff_a.is_staff = True
    world.staff_a.save()
    client.force_login(world.staff_a)
    for url in ("/admin/knox/authtoken/", "/admin/axes/accessattempt/", "/admin/axes/accesslog/"):
        assert client.get(url).status_code == 403, url
    client.force_login(make_user(unit=None, username="root", is_superuser=True, is_staff=True))
    for url in ("/admin/knox/authtoken/", "/admin/axes/accessattempt/", "/admin/axes/accesslog/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/knox/authtoken/add/").status_code == 403


# ---------------------------------------------------------------- 401 for anonymous API calls

@pytest.mark.parametrize("url", ["/api/v1/org-units/", "/api/v1/people/", "/api/v1/jobs/"])
def test_anonymous_api_calls_get_401_with_a_challenge(world, url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_bad_token_gets_401(world):
    response = with_token("not-a-token").get("/api/v1/org-units/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_session_calls_still_need_csrf(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.staff_a)
    assert client.get("/api/v1/org-units/").status_code == 200
    response = client.post("/api/v1/org-units/", {})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
