"""Real Celery worker processes for the worker tests (R-JOB-2 sweep, R-DOS-2 export): the services they need, the
workers themselves on a queue of their own sharing this test's PostgreSQL database, and their logs.

PostgreSQL and Redis only: a test is skipped with the reason elsewhere; in CI (CI=true) a missing one fails.
"""
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app

ROOT = Path(__file__).resolve().parent.parent


def unavailable(reason: str, what: str = "the worker tests"):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run {what}")
    pytest.skip(reason)


@contextlib.contextmanager
def worker_services(what: str):
    """PostgreSQL (the workers share the test database) and Redis, and this process sending to the broker."""
    if connection.vendor != "postgresql":
        unavailable(f"{what} needs PostgreSQL (set DATABASE_URL): the worker processes must share the test "
                    "database, which SQLite's in-memory test database cannot", what)
    import redis

    try:
        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        unavailable(f"Redis is not reachable at {settings.CELERY_BROKER_URL}", what)
    old = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager = False  # this process sends the tasks to the broker
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = old


def database_url() -> str:
    db = settings.DATABASES["default"]  # the test database, e.g. test_zhishu
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def workers(queue: str, folder: Path, count: int = 2):
    """``count`` worker processes on ``queue``, ready when this yields; stopped in ``finally``."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "ZHISHU_TEST_EMAIL_DIR": str(folder / "mail"),
        "ZHISHU_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "ZHISHU_JOB_HEARTBEAT_SECONDS": "0",
        "PYTHONUNBUFFERED": "1",
    }
    procs, logs = [], []
    try:
        for i in range(count):
            log = folder / f"worker{i}.log"
            logs.append(log)
            with open(log, "ab") as out:
                procs.append(subprocess.Popen(
                    [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
                     "-Q", queue, "-n", f"w{i}-{uuid.uuid4().hex[:6]}@%h", "--without-gossip",
                     "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
        for log in logs:
            wait_for(lambda log=log: log.exists() and " ready." in log.read_text(errors="replace"),
                  timeout=60, what=f"{log.name} to be ready", logs=logs)
        yield logs
    finally:
        for proc in procs:  # a warm shutdown first, so nothing is left unacknowledged
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def tail(logs) -> str:
    return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-2000:]}" for log in logs if log.exists())


def wait_for(condition, *, timeout: float, what: str, logs):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; worker logs:\n{tail(logs)}")
