"""The benchmark command line (``python -m bench``): its subcommands and its refusal of SQLite.

No figure is checked here: benchmarks print timings, tests never depend on the machine's speed.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.__main__ import parser
from bench.db import ERR_NOT_POSTGRES

ROOT = Path(__file__).resolve().parents[2]


def _bench(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bench", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def test_help_lists_the_review_and_compliance_benchmarks():
    out = _bench("--help")
    assert out.returncode == 0
    for name in ("tree", "review", "compliance"):
        assert name in out.stdout


@pytest.mark.parametrize("benchmark", ["review", "compliance"])
def test_parser_takes_several_sizes(benchmark):
    args = parser().parse_args([benchmark, "--units", "5000", "50000", "--runs", "3"])
    assert (args.benchmark, args.units, args.runs) == (benchmark, [5000, 50000], 3)


@pytest.mark.parametrize("benchmark", ["review", "compliance"])
def test_a_benchmark_refuses_sqlite_with_the_postgresql_only_message(benchmark):
    out = _bench(benchmark, "--units", "5000", DATABASE_URL="sqlite:///x")
    assert out.returncode != 0
    assert ERR_NOT_POSTGRES.splitlines()[0] in out.stderr
    assert not (ROOT / "x").exists()
