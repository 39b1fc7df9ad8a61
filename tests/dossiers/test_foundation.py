"""R-DOS-1 foundation: a dossier renders in Noto Sans CJK SC, embedded, and its code verifies."""
import datetime as dt

import pytest

from dossiers.choices import VerifyState
from dossiers.models import DossierPrint
from dossiers.services.person import dossier_pdf
from dossiers.services.verification import print_verify
from tests.dossiers.pdfcheck import pdf_fonts, pdf_text
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_dossier_embeds_noto_sans_cjk_sc_and_no_type3(world):
    person = PersonFactory(name="韩喆昇", unit=world.village_a1, birth_date=dt.date(1980, 5, 1))
    rendered = dossier_pdf(person=person, user=world.staff_a)
    text = pdf_text(rendered.content)
    assert "韩喆昇" in text and "东风村党支部" in text
    assert f"共 {rendered.pages} 页" in text
    fonts = pdf_fonts(rendered.content)
    assert fonts and all(f["embedded"] for f in fonts)
    assert all("Noto-Sans-CJK-SC" in f["name"] for f in fonts), fonts  # the SC face, never JP
    assert not [f for f in fonts if f["subtype"] == "/Type3"]


def test_the_printed_code_verifies_and_a_forged_one_is_unknown(world):
    person = PersonFactory(name="王堃", unit=world.village_a1)
    dossier_pdf(person=person, user=world.staff_a)
    row = DossierPrint.objects.get(person=person)
    assert print_verify(row.code).state == VerifyState.MATCHES
    assert print_verify(row.code[:-1] + ("A" if row.code[-1] != "A" else "B")).state == VerifyState.UNKNOWN
    person.ethnicity = "回族"
    person.save()
    result = print_verify(row.code)
    assert result.state == VerifyState.OUTDATED and result.changed_on == dt.date.today()
    assert result.changed_sections == ["基本信息"]


def test_a_print_stamped_with_a_local_time_still_verifies(world):
    """The code signs printed_at; the database gives it back in UTC, so print_stamp stores UTC whatever it is given."""
    from zoneinfo import ZoneInfo

    from dossiers.services.verification import print_stamp

    local = dt.datetime(2026, 12, 2, 3, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    row = print_stamp(kind="person_dossier", content={"profile": {"name": "x"}}, unit=world.village_a1,
                      person=world.secretary_a1, user=world.staff_a, now=local)
    row.refresh_from_db()
    assert row.printed_at == local
    assert print_verify(row.code).state != VerifyState.UNKNOWN
