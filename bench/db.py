"""The benchmark database: PostgreSQL only, a database of its own per size, created when missing."""
import os
import sys
from urllib.parse import urlsplit, urlunsplit

ERR_NOT_POSTGRES = (
    "The benchmarks run on PostgreSQL only (SQLite has neither the planner nor the concurrency being measured).\n"
    "Set DATABASE_URL, e.g.  DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhishu python -m bench tree"
)


def bench_url(name: str) -> str:
    """DATABASE_URL with the database name replaced by ``name``; exits with a message unless PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        sys.exit(ERR_NOT_POSTGRES)
    return urlunsplit(parts._replace(path="/" + name))


def ensure_database(url: str) -> bool:
    """Create the database if it does not exist; True when it was created."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cur.fetchone():
                return False
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        conn.close()


def drop_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    conn = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(parts.path.lstrip("/"))))
    finally:
        conn.close()


def use_database(url: str) -> None:
    """Point Django at ``url`` and set it up, with the schema migrated."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_DEBUG", "false")  # no query log, no debug overhead in the figures
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
