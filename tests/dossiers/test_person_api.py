"""R-DOS-1, R-ORG-2, R-SEC-1: /api/v1/people/<id>/dossier.pdf — who gets the file, and the reveal."""
import pytest

from core.models import AccessLog
from dossiers.models import DossierPrint
from tests.dossiers.pdfcheck import pdf_text

pytestmark = pytest.mark.django_db


def _url(person):
    return f"/api/v1/people/{person.pk}/dossier.pdf"


@pytest.mark.parametrize("who", ["staff_a", "supervisor_a", "township_staff"])
def test_staff_and_supervisors_of_the_subtree_get_the_pdf(world, api, who):
    response = api(getattr(world, who)).get(_url(world.secretary_a1), HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert "%E4%BB%BB%E6%9C%9F%E5%B1%A5%E8%81%8C%E6%A1%A3%E6%A1%88" in response["Content-Disposition"]  # 任期履职档案
    text = pdf_text(response.content)
    assert "秦秀英" in text and world.secretary_a1.masked_id_number in text
    assert world.secretary_a1.id_number not in text


def test_a_secretary_gets_403_and_an_outsider_404(world, api):
    assert api(world.secretary_user).get(_url(world.secretary_a1)).status_code == 403
    assert api(world.outsider).get(_url(world.secretary_a1)).status_code == 404
    assert api(None).get(_url(world.secretary_a1)).status_code == 401
    assert not DossierPrint.objects.exists()


def test_staff_who_ask_get_the_number_in_full_and_the_reveal_is_logged(world, api):
    response = api(world.staff_a).get(_url(world.secretary_a1), {"reveal": "id_number", "purpose": "换届审查"})
    assert response.status_code == 200
    assert world.secretary_a1.id_number in pdf_text(response.content)
    log = AccessLog.objects.get()
    assert log.user == world.staff_a and log.purpose == "换届审查" and "id_number" in str(log.fields)


def test_a_supervisor_who_asks_for_the_number_is_refused(world, api):
    response = api(world.supervisor_a).get(_url(world.secretary_a1), {"reveal": "id_number"})
    assert response.status_code == 403 and response["Content-Type"].startswith("application/json")
    assert not AccessLog.objects.exists() and not DossierPrint.objects.exists()


def test_an_unknown_field_to_reveal_is_a_400_naming_reveal(world, api):
    response = api(world.staff_a).get(_url(world.secretary_a1), {"reveal": "birth_date"})
    assert response.status_code == 400 and "reveal" in response.json()
