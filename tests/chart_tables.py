"""Read a page's fallback <table> (the numbers a chart draws) and its chart's data-chart-url, for the tests that
assert page, API and selector agree (issue 8: "page and API can never disagree")."""
import html
import json
import re
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self, testid):
        super().__init__()
        self.testid, self.depth, self.rows, self.row, self.cell = testid, 0, [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("data-testid") == self.testid:
            self.depth = 1
        elif self.depth and tag == "tr":
            self.row = []
        elif self.depth and tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth = 0
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join(self.cell.split()))
            self.cell = None
        elif self.depth and tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table_rows(page: str, testid: str) -> list[list[str]]:
    """The rows (header first) of the table with ``data-testid=testid``, each cell's text."""
    parser = _Tables(testid)
    parser.feed(page)
    assert parser.rows, f"no table {testid!r} on the page"
    return parser.rows


def charts(page: str) -> list[dict]:
    """Every chart box on the page: its endpoint URL and its config."""
    out = []
    for m in re.finditer(r'<div class="echart" data-chart-url="([^"]*)" data-chart-config="([^"]*)"', page):
        out.append({"url": html.unescape(m.group(1)), "config": json.loads(html.unescape(m.group(2)))})
    return out
