"""R-DOS-1, R-SEC-1: the dossier's PDF — its text, fonts, running heads, repeated table heads, masking, verification."""
import datetime as dt
import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from pypdf import PdfReader

from cadres.models import Appointment, Talk
from core.models import AccessLog
from dossiers.choices import VerifyState
from dossiers.models import DossierPrint
from dossiers.services.person import SECTION_LABELS, dossier_pdf
from dossiers.services.verification import print_verify
from tests.dossiers.pdfcheck import pdf_fonts, pdf_text
from tests.dossiers.test_person_content import TIER_LABELS, rich_record
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _pages(content: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_pdf_holds_the_name_unit_tiers_and_footer_in_noto_sans_cjk_sc(world):
    person = rich_record(world, name="韩喆昇")
    rendered = dossier_pdf(person=person, user=world.staff_a)
    text = pdf_text(rendered.content)
    assert "韩喆昇" in text and "东风村党支部" in text
    flat = _flat(text)
    for year, label in TIER_LABELS.items():
        assert re.search(rf"{year}东风村党支部{label}[★\d]", flat), (year, label)
    assert rendered.pages > 1
    assert _flat(f"第 1 页 / 共 {rendered.pages} 页") in _flat(_pages(rendered.content)[0])
    assert _flat(f"第 {rendered.pages} 页 / 共 {rendered.pages} 页") in _flat(_pages(rendered.content)[-1])
    fonts = pdf_fonts(rendered.content)
    assert fonts and all(f["embedded"] for f in fonts), fonts
    assert all("Noto-Sans-CJK-SC" in f["name"] for f in fonts), fonts  # the SC face, never the .ttc's JP first face
    assert not [f for f in fonts if f["subtype"] == "/Type3"]


def test_every_page_but_the_cover_carries_unit_and_person(world):
    person = rich_record(world, name="韩喆昇")
    pages = _pages(dossier_pdf(person=person, user=world.staff_a).content)
    for text in pages[1:]:
        assert "东风村党支部" in text and "韩喆昇" in text and "任期履职档案" in text
    assert "核验码" in pages[-1]


def test_every_section_heading_is_there_and_an_empty_one_says_none(world):
    person = PersonFactory(name="王堃", unit=world.village_b1)
    rendered = dossier_pdf(person=person, user=world.staff_a)
    flat = _flat(pdf_text(rendered.content))
    numerals = "一二三四五六七八九十"
    for i, label in enumerate(SECTION_LABELS.values()):
        number = numerals[i] if i < 10 else "十" + numerals[i - 10]
        assert f"{number}、{label}" in flat, label
    # Everything but the profile is empty: eleven sections say 无 right under their heading.
    for label in list(SECTION_LABELS.values())[1:]:
        assert re.search(rf"、{label}无", flat), label


def test_the_id_number_is_masked_for_a_supervisor_and_for_staff_who_do_not_ask(world):
    person = rich_record(world)
    full, masked = person.id_number, person.masked_id_number
    for user in (world.supervisor_a, world.staff_a):
        text = pdf_text(dossier_pdf(person=person, user=user).content)
        assert masked in text and full not in text
    assert not AccessLog.objects.exists()


def test_staff_who_ask_see_it_in_full_and_the_reveal_is_logged(world):
    person = rich_record(world)
    text = pdf_text(dossier_pdf(person=person, user=world.staff_a, reveal_id=True, purpose="换届审查").content)
    assert person.id_number in text
    log = AccessLog.objects.get()
    assert log.user == world.staff_a and str(log.object_id) == str(person.pk)
    assert "id_number" in str(log.fields) and log.purpose == "换届审查"


def test_a_supervisor_who_asks_is_refused_and_nothing_is_printed(world):
    person = rich_record(world)
    with pytest.raises(PermissionDenied):
        dossier_pdf(person=person, user=world.supervisor_a, reveal_id=True)
    assert not DossierPrint.objects.exists() and not AccessLog.objects.exists()


def test_a_long_record_runs_over_pages_and_repeats_the_table_head(world):
    person = rich_record(world, talks=45)
    rendered = dossier_pdf(person=person, user=world.staff_a)
    pages = _pages(rendered.content)
    talk_pages = [i for i, t in enumerate(pages) if "谈心谈话" in t or "镇党委书记" in t]
    spanning = [i for i in talk_pages if "镇党委书记" in pages[i]]
    assert len(spanning) >= 2, "45 talks should take more than one page"
    for i in spanning:
        assert "谈话人" in pages[i] and "谈话要点" in pages[i], f"page {i + 1} lacks the table head"
    assert rendered.pages == len(pages) >= 3


def test_printing_twice_gives_the_same_digest_and_a_changed_appointment_is_outdated(world):
    person = rich_record(world)
    dossier_pdf(person=person, user=world.staff_a)
    dossier_pdf(person=person, user=world.supervisor_a)
    first, second = DossierPrint.objects.filter(person=person).order_by("pk")
    assert first.digest == second.digest and first.code != second.code
    assert print_verify(second.code).state == VerifyState.MATCHES
    appointment = Appointment.objects.get(pk=person.term.pk)
    appointment.concurrent_posts = "村委会主任"
    appointment.save()
    result = print_verify(second.code)
    assert result.state == VerifyState.OUTDATED
    assert result.changed_sections == ["任职经历"]
    assert result.changed_on == timezone.localdate()


def test_a_new_talk_is_outdated_naming_talks(world):
    person = rich_record(world)
    dossier_pdf(person=person, user=world.staff_a, now=timezone.now() - dt.timedelta(seconds=2))
    row = DossierPrint.objects.get(person=person)
    Talk.objects.create(person=person, unit=world.village_a1, date=timezone.localdate(), talker_name="张华")
    result = print_verify(row.code)
    assert result.state == VerifyState.OUTDATED and result.changed_sections == ["谈心谈话"]
    assert result.changed_on == timezone.localdate()


def test_a_file_printed_last_year_still_matches_when_nothing_changed(world):
    person = rich_record(world)
    last_year = timezone.localdate().year - 1
    printed = timezone.make_aware(dt.datetime(last_year, 12, 31, 10, 0))
    # The record as it stood then (its history rows are dated before the print).
    dossier_pdf(person=person, user=world.staff_a, now=printed)
    row = DossierPrint.objects.get(person=person)
    from dossiers.services.person import dossier_content

    years = [y["year"] for y in dossier_content(person=person)["training"]["years"]]
    assert years[-1] == last_year + 1  # built today, the open term has one more year...
    assert print_verify(row.code).state == VerifyState.MATCHES  # ...but the check is as of the print's day
