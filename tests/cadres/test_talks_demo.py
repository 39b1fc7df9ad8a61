"""R-TLK-1 on the demo data (seed_demo): most secretaries have talks, the due list has some rows but not all."""
import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from cadres.models import Appointment, Talk
from cadres.selectors_talks import OVERDUE, talks_due
from core.models import User

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--branches", "60", "--as-of", AS_OF.isoformat(), stdout=StringIO())


def test_most_demo_secretaries_have_talks_and_the_due_list_has_some_but_not_all(demo):
    serving = set(Appointment.objects.current().secretaries().values_list("person_id", flat=True))
    talked = set(Talk.objects.filter(person_id__in=serving).values_list("person_id", flat=True))
    assert len(talked) >= 0.8 * len(serving)
    overdue = {r.person.pk for r in talks_due(scope_path="", as_of=AS_OF) if r.requirement == OVERDUE}
    assert 0 < len(overdue) < 0.5 * len(serving)
    assert Talk.objects.filter(date__gt=AS_OF).count() == 0


def test_the_talks_pages_answer_on_the_demo_data(demo, client):
    for username in ("county_staff", "township_supervisor", "secretary_demo", "admin"):
        client.force_login(User.objects.get(username=username))
        for name in ("cadres:talks", "cadres:talks_due", "cadres:talk_create"):
            response = client.get(reverse(name) + f"?as_of={AS_OF.isoformat()}")
            expected = 403 if username == "secretary_demo" and name == "cadres:talk_create" else 200
            assert response.status_code == expected, (username, name)
        for export in ("export_talks_xlsx", "export_talks-due_xlsx"):
            response = client.get(reverse(export))
            assert response.status_code in (200, 403), (username, export)
    client.force_login(User.objects.get(username="county_staff"))
    person_id = Talk.objects.order_by("pk").values_list("person_id", flat=True).first()
    assert "谈心谈话" in client.get(reverse("cadres:person_detail", args=[person_id])).content.decode()
