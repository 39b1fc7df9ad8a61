"""The raw limit of ``python -m bench lists``: a tiny WSGI app on psycopg2 alone (no Django) that serves the
same list pages as JSON — the token checked against knox's digest with its user and unit in one query, the same
subtree filter (R-ORG-2) and order, the same capped count with the planner's estimate, a keyset page.

    RAW_DATABASE_URL=postgres://… ZHISHU_FIELD_KEYS=… gunicorn -w 1 -b 127.0.0.1:PORT bench.rawlists:app

Paths: /people/, /appointments/, /classifications/, /rectification-cases/, /stipend-lines/<sheet id>/; query
``?after=`` (base64 JSON of the ordering values of the row before the page), ``?last=1`` (the last page),
``?page_size=``. The answer carries the statements it ran in ``X-Queries``.
"""
import base64
import datetime as dt
import decimal
import hashlib
import hmac
import json
import os
from urllib.parse import parse_qs

import psycopg2
from cryptography.fernet import Fernet, MultiFernet

EXACT_COUNT_LIMIT = 1000
TOKEN_KEY_LENGTH = 15

# name → (FROM … with joins, the columns, [(ordering expression, descending)], the scope column, extra filter)
LISTS = {
    "people": (
        "cadres_person t JOIN core_orgunit u ON u.id = t.unit_id",
        "t.id, t.name, t.gender, t.ethnicity, t.birth_date, t.id_number, t.education, t.unit_id AS unit, "
        "u.name AS unit_name, t.is_retired, t.specialty, EXISTS (SELECT 1 FROM cadres_appointment a "
        "WHERE a.person_id = t.id AND a.role = 'secretary' AND a.end_date IS NULL) AS is_current_secretary",
        [("u.path", False), ("t.name", False), ("t.id", False)], "u.path", ""),
    "appointments": (
        "cadres_appointment t JOIN core_orgunit u ON u.id = t.unit_id JOIN cadres_person p ON p.id = t.person_id",
        "t.*, p.name AS person_name, u.name AS unit_name",
        [("u.path", False), ("t.start_date", True), ("t.id", False)], "u.path", ""),
    "classifications": (
        "assessment_classification t JOIN core_orgunit u ON u.id = t.unit_id "
        "LEFT JOIN assessment_assessmentcycle c ON c.id = t.cycle_id",
        "t.*, u.name AS unit_name, c.published_at IS NOT NULL AS is_published",
        [("t.year", True), ("u.path", False), ("t.id", False)], "u.path", ""),
    "rectification-cases": (
        "rectification_rectificationcase t JOIN core_orgunit u ON u.id = t.unit_id",
        "t.*, u.name AS unit_name, u.code AS unit_code, "
        "(SELECT count(*) FROM rectification_rectificationtask k WHERE k.case_id = t.id) AS tasks_total",
        [("t.year", True), ("u.path", False), ("t.id", False)], "u.path", ""),
    "stipend-lines": (
        "stipends_stipendline t JOIN core_orgunit u ON u.id = t.unit_id JOIN cadres_person p ON p.id = t.person_id "
        "LEFT JOIN core_orgunit w ON w.id = t.township_id",
        "t.*, p.name AS person_name, u.name AS unit_name, w.name AS township_name",
        [("w.path", False), ("u.path", False), ("p.name", False), ("t.id", False)], "u.path", "t.sheet_id = %s"),
}

_conn = None
_fernet = None


def _db():
    global _conn
    if _conn is None or _conn.closed:
        _conn = psycopg2.connect(os.environ["RAW_DATABASE_URL"])
        _conn.autocommit = True
    return _conn


def _decrypt(token: str) -> str:
    global _fernet
    if _fernet is None:
        _fernet = MultiFernet([Fernet(k.strip().encode()) for k in os.environ["ZHISHU_FIELD_KEYS"].split(",")])
    try:
        return _fernet.decrypt(token.encode()).decode()
    except Exception:  # noqa: BLE001 - a raw limit: an unreadable value is shown as it is
        return token


def _mask(value: str) -> str:
    return value[:6] + "*" * max(len(value) - 10, 0) + value[-4:] if len(value) > 10 else value


def _default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def _after(order, values, *, reverse: bool):
    """(a, b, c) after (x, y, z) in the given directions, as OR-ed prefixes, the first column bounding the scan."""
    ors, params, equal, eq_params = [], [], [], []
    for (expr, desc), value in zip(order, values):
        desc = desc != reverse
        ors.append("(" + " AND ".join([*equal, f"{expr} {'<' if desc else '>'} %s"]) + ")")
        params.extend([*eq_params, value])
        equal.append(f"{expr} = %s")
        eq_params.append(value)
    first, desc = order[0]
    desc = desc != reverse
    return f"{first} {'<=' if desc else '>='} %s AND ({' OR '.join(ors)})", [values[0], *params]


def _user(cur, header: str):
    key = header.split(" ", 1)[1] if header.startswith("Token ") else ""
    cur.execute("SELECT t.digest, u.id, u.role, u.is_superuser, o.path FROM knox_authtoken t "
                "JOIN core_user u ON u.id = t.user_id LEFT JOIN core_orgunit o ON o.id = u.unit_id "
                "WHERE t.token_key = %s AND u.is_active AND (t.expiry IS NULL OR t.expiry > now())",
                [key[:TOKEN_KEY_LENGTH]])
    for digest, user_id, role, superuser, path in cur.fetchall():
        if hmac.compare_digest(hashlib.sha512(key.encode()).hexdigest(), digest):
            return {"id": user_id, "role": role, "superuser": superuser, "path": path}
    return None


def app(environ, start_response):
    parts = [p for p in environ.get("PATH_INFO", "").split("/") if p]
    params = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    queries = 0
    conn = _db()
    with conn.cursor() as cur:
        user = _user(cur, environ.get("HTTP_AUTHORIZATION", ""))
        queries += 1
        if user is None or not parts or parts[0] not in LISTS or user["path"] is None:
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"detail": "not found"}']
        source, columns, order, scope, extra = LISTS[parts[0]]
        where, args = [f"{scope} LIKE %s"], [user["path"] + "%"]
        if extra:
            where.append(extra)
            args.append(int(parts[1]))
        inner = f"SELECT t.id FROM {source} WHERE {' AND '.join(where)}"
        composed = cur.mogrify(inner, args).decode()
        cur.execute(f"SELECT n, CASE WHEN n > %s THEN GREATEST(zhishu_count_estimate(%s), n) END "
                    f"FROM (SELECT count(*) AS n FROM ({inner} LIMIT %s) AS capped) AS c",
                    [EXACT_COUNT_LIMIT, composed, *args, EXACT_COUNT_LIMIT + 1])
        exact, estimate = cur.fetchone()
        queries += 1
        size = min(int(params.get("page_size", 50)), 500)
        last = params.get("last") == "1"
        if params.get("after"):
            values = json.loads(base64.urlsafe_b64decode(params["after"] + "=" * (-len(params["after"]) % 4)))
            clause, clause_args = _after(order, values, reverse=False)
            where.append(clause)
            args.extend(clause_args)
        spelled = ", ".join(f"{e} {'DESC' if d != last else 'ASC'}" for e, d in order)
        keys = ", ".join(f"{e} AS _k{i}" for i, (e, _d) in enumerate(order))
        cur.execute(f"SELECT {columns}, {keys} FROM {source} WHERE {' AND '.join(where)} ORDER BY {spelled} "
                    f"LIMIT %s", [*args, size + 1])
        names = [c.name for c in cur.description]
        rows = [dict(zip(names, r)) for r in cur.fetchall()]
        queries += 1
    more = len(rows) > size
    rows = rows[:size]
    if last:
        rows.reverse()
    results = []
    for row in rows:
        key = [row.pop(f"_k{i}") for i in range(len(order))]
        if "id_number" in row:
            row["id_number"] = _mask(_decrypt(row["id_number"]))
        results.append(row)
    after = (base64.urlsafe_b64encode(json.dumps(key, default=_default).encode()).decode().rstrip("=")
             if rows and more and not last else None)
    body = json.dumps({"count": estimate if estimate is not None else exact, "count_is_estimate": estimate is not None,
                       "next": f"?after={after}" if after else None, "previous": None, "results": results},
                      default=_default, ensure_ascii=False).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("X-Queries", str(queries)),
                              ("Content-Length", str(len(body)))])
    return [body]
