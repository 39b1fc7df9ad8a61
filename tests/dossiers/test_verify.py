"""R-DOS-1: the verification page — matches / outdated / unknown, and no personal data to a reader without the right."""
import datetime as dt

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from dossiers.choices import PrintKind
from dossiers.models import DossierPrint
from dossiers.services.person import dossier_pdf
from dossiers.services.verification import code_display
from dossiers.views_verify import ERR_CODE_SHAPE, ERR_THROTTLED
from tests.factories import PersonFactory, make_id_number

pytestmark = pytest.mark.django_db

ID_NUMBER = make_id_number(birth=dt.date(1979, 8, 3), seq=417)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def printed(world):
    """韩喆昇's term file, printed two days ago by county A's staff."""
    person = PersonFactory(name="韩喆昇", unit=world.village_a1, id_number=ID_NUMBER)
    dossier_pdf(person=person, user=world.staff_a, now=timezone.now() - dt.timedelta(days=2))
    row = DossierPrint.objects.get(person=person)
    return {"person": person, "row": row, "url": reverse("verify", args=[code_display(row.code)])}


def _page(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_says_matches_and_shows_no_personal_data_to_an_anonymous_reader(client, printed):
    html = _page(client, printed["url"])
    assert 'data-state="matches"' in html and "一致" in html
    assert "书记任期履职档案" in html and str(printed["row"].pages) in html
    assert "韩喆昇" not in html and ID_NUMBER not in html and ID_NUMBER[-4:] not in html
    assert "东风村党支部" not in html


def test_staff_of_the_subtree_see_the_name_and_a_link(world, printed, login):
    html = _page(login(world.staff_a), printed["url"])
    assert "韩喆昇" in html and reverse("cadres:person_detail", args=[printed["person"].pk]) in html
    assert ID_NUMBER not in html  # the page never shows the ID number, not even to staff


def test_a_reader_outside_the_subtree_sees_no_name(world, printed, login):
    html = _page(login(world.outsider), printed["url"])
    assert 'data-state="matches"' in html and "韩喆昇" not in html and ID_NUMBER not in html


def test_a_record_changed_after_printing_shows_outdated_with_the_date(world, printed, client):
    person = printed["person"]
    person.ethnicity = "回族"
    person.save()
    html = _page(client, printed["url"])
    today = timezone.localdate()
    assert 'data-state="outdated"' in html
    assert f"已过期：记录已于 {today.year}年{today.month}月{today.day}日 变更" in html
    assert "基本信息" not in html  # which sections changed: only for a reader with the right


def test_a_forged_code_shows_unknown(client, printed):
    code = printed["row"].code
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    html = _page(client, reverse("verify", args=[code_display(forged)]))
    assert 'data-state="unknown"' in html and "未知" in html and "书记任期履职档案" not in html
    assert 'data-state="unknown"' in _page(client, reverse("verify", args=["not-a-code"]))


def test_a_code_typed_lowercase_with_spaces_verifies(client, printed):
    code = printed["row"].code.lower()
    typed = f" {code[:4]} {code[4:8]}-{code[8:12]} -{code[12:]} "
    response = client.get(reverse("verify-form"), {"code": typed})
    assert response.status_code == 302 and response["Location"] == printed["url"]
    assert 'data-state="matches"' in _page(client, reverse("verify", args=[code]))


def test_the_form_page_and_a_code_of_the_wrong_length(client):
    html = _page(client, reverse("verify-form"))
    assert 'name="code"' in html and "核验码" in html
    response = client.get(reverse("verify-form"), {"code": "ABCD-EFGH"})
    assert response.status_code == 400 and str(ERR_CODE_SHAPE) in response.content.decode()


def test_json_gives_the_state_and_dates_never_personal_data(client, printed, world, login):
    row = printed["row"]
    for response in (client.get(printed["url"], HTTP_ACCEPT="application/json"),
                     client.get(printed["url"], {"format": "json"}),
                     login(world.staff_a).get(printed["url"], {"format": "json"})):
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
        assert response.json() == {"state": "matches", "kind": PrintKind.PERSON_DOSSIER,
                                   "printed_at": row.printed_at.isoformat(), "changed_on": None, "pages": row.pages}
        assert "韩喆昇" not in response.content.decode("unicode_escape")


def test_json_of_an_unknown_code(client):
    response = client.get(reverse("verify", args=["AAAA-BBBB-CCCC-DDDD"]), {"format": "json"})
    assert response.json() == {"state": "unknown", "kind": None, "printed_at": None, "changed_on": None,
                               "pages": None}


@override_settings(REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {"verify": "3/minute"}})
def test_lookups_are_throttled_per_address(client, printed):
    for _ in range(3):
        assert client.get(printed["url"]).status_code == 200
    response = client.get(printed["url"])
    assert response.status_code == 429 and str(ERR_THROTTLED) in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert client.get(printed["url"], {"format": "json"}).json() == {"detail": str(ERR_THROTTLED)}


def test_the_assessment_file_code_names_the_branch_only_to_its_subtree(world, client, login):
    from assessment.choices import Tier
    from assessment.models import Classification
    from dossiers.services.assessment_file import assessment_file_pdf

    Classification.objects.create(unit=world.village_a2, year=2025, tier=Tier.AVERAGE, computed_tier=Tier.AVERAGE)
    assessment_file_pdf(unit=world.village_a2, year=2025, user=world.staff_a)
    row = DossierPrint.objects.get(kind=PrintKind.ASSESSMENT_FILE)
    url = reverse("verify", args=[code_display(row.code)])
    assert "党组织年度考核档案" in _page(client, url) and "新华村党支部" not in _page(client, url)
    assert "新华村党支部" not in _page(login(world.outsider), url)
    assert "新华村党支部 2025" in _page(login(world.township_staff), url)
