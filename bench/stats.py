"""Timing and the printed tables."""
import statistics
import time
from dataclasses import dataclass


@dataclass
class Timing:
    name: str
    units: int
    runs: list[float]  # milliseconds
    rows: int

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def p95(self) -> float:
        ordered = sorted(self.runs)
        return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def measure(name: str, units: int, fn, runs: int, warm: bool = True) -> Timing:
    """Run ``fn`` once to warm the caches (unless the caller did: ``warm=False``), then ``runs`` times;
    ``fn`` returns the rows it produced."""
    rows = fn() if warm else None
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        rows = fn()
        times.append((time.perf_counter() - started) * 1000)
    return Timing(name, units, times, rows)


def table(headers: list[str], rows: list[list], aligns: str | None = None) -> str:
    cells = [[str(c) for c in r] for r in [headers, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    aligns = aligns or "l" + "r" * (len(headers) - 1)
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(row, widths, aligns)))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
