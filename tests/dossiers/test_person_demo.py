"""R-DOS-1 on the demo city (what ``./dev run`` shows): no secretary's term file fails to print, each names
its person and unit on every page, and each verifies as printed."""
import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from cadres.choices import AppointmentRole
from cadres.models import Person
from core.choices import Role
from dossiers.choices import VerifyState
from dossiers.models import DossierPrint
from dossiers.services.person import dossier_pdf
from dossiers.services.verification import print_verify
from tests.dossiers.pdfcheck import pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 23)
BRANCHES = 20  # the smallest demo seed_demo builds


def test_every_demo_secretarys_dossier_prints_and_verifies(db):
    from django.contrib.auth import get_user_model

    call_command("seed_demo", "--branches", str(BRANCHES), "--as-of", AS_OF.isoformat(), stdout=StringIO())
    staff = get_user_model().objects.filter(role=Role.STAFF, unit__depth=1).order_by("pk").first()
    people = list(Person.objects.filter(appointments__role=AppointmentRole.SECRETARY).distinct()
                  .select_related("unit").order_by("pk"))
    assert len(people) >= BRANCHES
    pages = []
    for person in people:
        rendered = dossier_pdf(person=person, user=staff)
        text = pdf_text(rendered.content)
        assert person.name in text and person.unit.name in text, person.name
        assert f"共 {rendered.pages} 页" in text
        assert person.id_number not in text and person.masked_id_number in text
        row = DossierPrint.objects.filter(person=person).latest("pk")
        assert print_verify(row.code).state == VerifyState.MATCHES, person.name
        pages.append(rendered.pages)
    assert max(pages) > 3  # the demo's records hold something to print
    fonts = pdf_fonts(rendered.content)
    assert all(f["embedded"] and "Noto-Sans-CJK-SC" in f["name"] for f in fonts), fonts
