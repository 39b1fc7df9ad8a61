"""seed_demo's ranking, help and correction rows (rectification.demo), and the pages on them."""
import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from cadres.demo import DEFAULT_PASSWORD
from rectification.choices import CandidateState, CorrectionState
from rectification.models import CorrectionOrder, HelpAssignment, RectificationCase, WeakCandidate

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("seed_demo", "--branches", "60", "--as-of", AS_OF.isoformat(), stdout=out)
    return out.getvalue()


def test_the_demo_leaves_candidates_help_and_corrections(demo):
    states = set(WeakCandidate.objects.values_list("state", flat=True))
    assert states == {CandidateState.PROPOSED, CandidateState.CONFIRMED, CandidateState.REJECTED}
    assert RectificationCase.objects.filter(year=AS_OF.year - 1).exists()
    assert HelpAssignment.objects.filter(appointment__isnull=False).exists()
    assert set(CorrectionOrder.objects.values_list("state", flat=True)) == {
        CorrectionState.OPEN, CorrectionState.MET, CorrectionState.ADJUSTMENT_PROPOSED}


def test_the_pages_show_the_demo_rows(demo):
    client = Client()
    assert client.login(username="county_staff", password=DEFAULT_PASSWORD)
    page = client.get("/rectification/ranking/", {"year": AS_OF.year - 1})
    assert page.status_code == 200 and "已确认" in page.content.decode()
    assert client.get("/rectification/corrections/").status_code == 200
    from core.models import User

    staff = User.objects.get(username="county_staff")
    for order in CorrectionOrder.objects.visible_to(staff):
        assert client.get(f"/rectification/corrections/{order.pk}/").status_code == 200
    for case in RectificationCase.objects.visible_to(staff)[:5]:
        assert client.get(f"/rectification/cases/{case.pk}/help/").status_code == 200
        assert client.get(f"/rectification/cases/{case.pk}/corrections/new/").status_code == 200
    for h in HelpAssignment.objects.visible_to(staff)[:3]:
        assert client.get(f"/rectification/help/{h.pk}/end/").status_code == 200
    assert client.get("/exports/bottom-ranking.xlsx", {"year": AS_OF.year - 1}).status_code == 200
    assert client.get("/api/v1/reports/bottom-ranking/", {"year": AS_OF.year - 1}).status_code == 200
