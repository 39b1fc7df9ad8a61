"""The permission matrix (issue 7 item 2; R-ORG-2, R-SEC-1): every routed URL × every role × every method.

* every URL of the resolver (pages, API incl. format suffixes and the browsable API, admin, downloads) and every
  path of the OpenAPI schema must have a row in ``expectations.ROWS`` — a new URL without one fails here;
* each (URL, role, method) answers the status of its row;
* no response to a user outside county A (anonymous, sibling-county staff, a staff login without a unit, the
  sibling county's Django-admin user) contains a marker planted in county A's text fields, nor an ID number.

Path parameters are county A's objects, so outsiders must get 403/404 on them. Every request runs in a
transaction that is rolled back, so writes (which go through with empty bodies) never change the shared world.
"""
import copy
import io
import json
import os
import time
import zipfile
from collections import Counter

import pytest
from django.db import transaction
from django.test import Client

from tests.security import expectations as ex
from tests.security.routes import normalise, resolver_routes, schema_paths
from tests.security.world import MARKER_RE, OUTSIDERS, ROLES, build_world

pytestmark = pytest.mark.django_db  # also makes pytest-django create the test database

ROUTES = resolver_routes()
RECORD = os.environ.get("MATRIX_RECORD")  # a path: write the observed statuses there (to draft new rows)
STATS = Counter()
OBSERVED: dict = {}
SEEN_BY_INSIDERS: set = set()  # marker fields county A's own users read somewhere: the markers do get rendered


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at the end, so no other test sees it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            started = time.monotonic()
            w = build_world()
            w.clients = {}
            for role in ROLES:
                client = Client(raise_request_exception=False)
                if role != "anon":
                    client.force_login(w.users[role])
                w.clients[role] = client
            STATS["world seconds"] = round(time.monotonic() - started, 2)
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
    if RECORD:
        with open(RECORD, "w") as fh:
            json.dump(OBSERVED, fh, indent=1, sort_keys=True, ensure_ascii=False)


def _body(response) -> bytes:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if data[:3] == b"\xef\xbb\xbf":  # CSV in utf-8-sig
        data = data[3:]
    if data[:2] == b"PK":  # xlsx (and any zip): scan the XML inside
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                data = b"".join(zf.read(name) for name in zf.namelist())
        except zipfile.BadZipFile:
            pass
    headers = "\n".join(f"{k}: {v}" for k, v in response.items()).encode()
    return headers + b"\n" + data


def _request(client, method, path):
    kwargs = {}
    if method == "HTML":
        method, kwargs = "GET", {"HTTP_ACCEPT": "text/html"}
    elif method in ("POST", "PUT", "PATCH"):
        kwargs = {"data": "{}" if method != "POST" else {}, **({"content_type": "application/json"}
                                                             if method != "POST" else {})}
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = getattr(client, method.lower())(path, **kwargs)
        body = _body(response)
        transaction.set_rollback(True)
    client.cookies = cookies  # a logout or a language switch must not carry over to the next case
    return response, body


def _leaks(world, body: bytes) -> list[str]:
    found = sorted({world.markers.get(m, m.decode()) for m in MARKER_RE.findall(body)})
    found += [f"ID number {s.decode()}" for s in world.secrets if s in body]
    return found


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", [r.key for r in ROUTES])
def test_matrix(world, key, role):
    route = next(r for r in ROUTES if r.key == key)
    row = ex.row_for(route)
    if row is None and not RECORD:
        pytest.fail(f"{key!r} has no row in tests/security/expectations.py ROWS: add one saying what each role "
                    f"gets for each method (R-ORG-2).")
    path = route.build(ex.params_for(route, world)) + ex.query_for(route, world)
    problems = []
    for method in ex.methods_for(route):
        response, body = _request(world.clients[role], method, path)
        status = response.status_code
        STATS["cases"] += 1
        OBSERVED.setdefault(key, {}).setdefault(method, {})[role] = status
        if RECORD:
            if role in OUTSIDERS and status < 500 and _leaks(world, body):
                OBSERVED.setdefault("LEAKS", []).append([key, role, method, _leaks(world, body)[:5]])
            continue
        known = ex.is_known_leak(key, role, method) or ex.is_known_error(key, role, method)
        expected = ex.expected(route, method, role)
        if status != expected and not known:
            problems.append(f"{method} {path} as {role}: {status}, expected {expected}")
        if role == "anon" and status == 302 and "login" not in response.get("Location", "") \
                and key not in ex.ANON_REDIRECTS_ELSEWHERE:
            problems.append(f"{method} {path} as anon redirects to {response['Location']}, not to a login")
        if role in ("staff", "adm_in", "sec") and status == 200:
            SEEN_BY_INSIDERS.update(world.markers.get(m) for m in MARKER_RE.findall(body))
        if role in OUTSIDERS and status < 500:
            leaks = _leaks(world, body)
            if leaks and not known:
                problems.append(f"LEAK {method} {path} as {role} ({status}): {', '.join(leaks[:8])}")
            if leaks:
                STATS["known leaks skipped"] += 1
    assert not problems, "\n".join(problems)


def test_every_schema_path_has_a_row():
    """(c) A schema path added without its resolver route in the table fails too."""
    covered = {normalise(r.key) for r in ROUTES if ex.row_for(r) is not None}
    missing = [p for p in schema_paths() if normalise(p) not in covered]
    assert not missing, f"OpenAPI paths without a row in tests/security/expectations.py ROWS: {missing}"


def test_no_stale_rows():
    keys = {r.key for r in ROUTES}
    assert not [k for k in ex.ROWS if k not in keys], "rows of URLs that no longer exist"
    assert not [k for k, *_ in ex.KNOWN_LEAKS if k not in keys], "KNOWN_LEAKS of URLs that no longer exist"
    assert not [k for k in ex.QUERIES if k not in keys], "QUERIES of URLs that no longer exist"


def test_world_plants_markers(world):
    """Every model of the project got its markers; report the figures (README)."""
    assert len(world.markers) > 200
    models = {label.rsplit(".", 1)[0] for label in world.markers.values()}
    assert {"core.OrgUnit", "cadres.Person", "cadres.HistoricalPerson", "assessment.DutyReport", "training.Course",
            "core.Job", "core.Notice", "assessment.Classification"} <= models
    print(f"\npermission matrix: {len(ROUTES)} URLs × {len(ROLES)} roles; {STATS['cases']} (URL, role, method) "
          f"cases; {len(world.markers)} marker fields planted in {len(models)} models; "
          f"{len(SEEN_BY_INSIDERS - {None})} of them read by county A's own users; world built in "
          f"{STATS['world seconds']} s; {STATS['known leaks skipped']} responses with a known leak skipped")
    if STATS["cases"] > 10000:  # the whole matrix ran: the markers are really rendered where they belong
        seen_models = {label.rsplit(".", 1)[0] for label in SEEN_BY_INSIDERS - {None}}
        assert {"core.OrgUnit", "cadres.Person", "cadres.HistoricalPerson", "assessment.DutyReport",
                "training.Course", "core.Notice"} <= seen_models, seen_models
