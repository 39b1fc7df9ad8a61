"""R-SEC-1: ID numbers and phones are masked until staff of the subtree ask; each reveal and unmasked export is
written to the append-only access log, which only superusers read and nobody changes."""
import pytest
from django.urls import reverse

from cadres.services.personal_data import ERR_REVEAL_UNKNOWN
from core.models import AccessLog
from tests.factories import make_user

PHONE = "13812345678"


@pytest.fixture
def person(world):
    world.person_a2.phone = PHONE
    world.person_a2.save()
    return world.person_a2


def detail(person, query=""):
    return f"/api/v1/people/{person.pk}/{query}"


@pytest.mark.django_db
def test_the_api_masks_id_number_and_phone_on_detail_for_staff_too(world, api, person):
    data = api(world.staff_a).get(detail(person)).json()
    assert (data["id_number"], data["phone"]) == (person.masked_id_number, "138****5678")
    assert AccessLog.objects.count() == 0


@pytest.mark.django_db
def test_staff_reveal_through_the_api_and_the_reveal_is_logged(world, api, person):
    response = api(world.staff_a).get(detail(person, "?reveal=id_number,phone&purpose=换届审查"))
    assert response.status_code == 200
    assert (response.json()["id_number"], response.json()["phone"]) == (person.id_number, PHONE)
    [log] = AccessLog.objects.all()
    assert (log.user, log.action, log.object_type, log.object_id, log.fields, log.purpose, log.ip) == (
        world.staff_a, AccessLog.ACTION_REVEAL, "cadres.person", str(person.pk), ["id_number", "phone"], "换届审查",
        "127.0.0.1")
    assert log.at.utcoffset().total_seconds() == 0  # stored and read in UTC


@pytest.mark.django_db
def test_only_staff_of_the_subtree_may_reveal_through_the_api(world, api, person):
    assert api(world.supervisor_a).get(detail(person, "?reveal=id_number")).status_code == 403
    assert api(world.outsider).get(detail(person, "?reveal=id_number")).status_code == 404
    own = world.secretary_a1
    assert api(world.secretary_user).get(detail(own, "?reveal=id_number")).status_code == 403
    assert AccessLog.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_field_to_reveal_is_a_400_naming_reveal(world, api, person):
    response = api(world.staff_a).get(detail(person, "?reveal=notes"))
    assert response.status_code == 400
    assert response.json()["reveal"] == [str(ERR_REVEAL_UNKNOWN.format(fields="id_number, phone"))]


@pytest.mark.django_db
def test_the_record_page_reveals_on_request_and_logs_it(world, login, person):
    url = reverse("cadres:person_detail", args=[person.pk])
    page = login(world.staff_a).get(url).content.decode()
    assert person.id_number not in page and PHONE not in page and "138****5678" in page
    page = login(world.staff_a).get(url + "?reveal=id_number,phone&purpose=核对").content.decode()
    assert person.id_number in page and PHONE in page
    assert AccessLog.objects.get().purpose == "核对"
    assert login(world.supervisor_a).get(url + "?reveal=id_number").status_code == 403
    supervisor_page = login(world.supervisor_a).get(url).content.decode()
    assert 'id="reveal-form"' not in supervisor_page and PHONE not in supervisor_page
    assert AccessLog.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["export-people", "export-appointments", "export-roster"])
def test_an_unmasked_export_is_for_staff_and_is_logged(world, login, person, name):
    world.secretary_a1.phone = "13900001111"
    world.secretary_a1.save()
    url = reverse(f"cadres:{name}")
    masked = login(world.staff_a).get(url + "?format=csv").content.decode("utf-8-sig")
    assert world.secretary_a1.id_number not in masked and "13900001111" not in masked
    assert AccessLog.objects.count() == 0
    full = login(world.staff_a).get(url + "?format=csv&reveal=id_number,phone&purpose=报送").content.decode("utf-8-sig")
    assert world.secretary_a1.id_number in full
    [log] = AccessLog.objects.all()
    assert (log.action, log.fields, log.purpose, log.object_id) == (AccessLog.ACTION_EXPORT, ["id_number", "phone"],
                                                                    "报送", "")
    assert log.rows == len(full.strip().splitlines()) - 1
    assert login(world.supervisor_a).get(url + "?reveal=id_number").status_code == 403
    assert AccessLog.objects.count() == 1


@pytest.mark.django_db
def test_a_supervisor_export_shows_phones_masked(world, login):
    world.secretary_a1.phone = "13900001111"
    world.secretary_a1.save()
    text = login(world.supervisor_a).get(reverse("cadres:export-roster") + "?format=csv").content.decode("utf-8-sig")
    assert "13900001111" not in text and "139****1111" in text


# --- the log itself ---------------------------------------------------------------------------

@pytest.fixture
def log_row(world, api, person):
    api(world.staff_a).get(detail(person, "?reveal=id_number"))
    return AccessLog.objects.get()


@pytest.mark.django_db
def test_the_access_log_refuses_updates_and_deletes(log_row):
    log_row.purpose = "changed"
    with pytest.raises(PermissionError):
        log_row.save()
    with pytest.raises(PermissionError):
        log_row.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=log_row.pk).update(purpose="changed")
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get().purpose == ""


@pytest.mark.django_db
def test_the_access_log_admin_is_read_only_and_for_superusers_only(world, client, log_row):
    changelist = reverse("admin:core_accesslog_changelist")
    change = reverse("admin:core_accesslog_change", args=[log_row.pk])
    admin_staff = make_user(unit=world.county_a, username="admin_staff", is_staff=True)
    client.force_login(admin_staff)
    assert client.get(changelist).status_code == 403
    assert "accesslog" not in client.get(reverse("admin:index")).content.decode()

    root = make_user(unit=None, username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get(changelist).status_code == 200
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert str(log_row.ip) in page.content.decode()  # the row is shown read-only, not as an empty form
    assert client.post(change, {"purpose": "changed"}).status_code == 403
    assert client.get(reverse("admin:core_accesslog_add")).status_code == 403
    assert client.post(reverse("admin:core_accesslog_delete", args=[log_row.pk]), {"post": "yes"}).status_code == 403
    assert AccessLog.objects.get().purpose == ""


@pytest.mark.django_db
def test_the_edit_page_does_not_print_the_stored_values_and_empty_keeps_them(world, login, person):
    """R-SEC-1: the edit form is HTML too; the inputs are empty with the masked value as a hint."""
    client = login(world.staff_a)
    url = reverse("cadres:person_edit", args=[person.pk])
    page = client.get(url).content.decode()
    assert person.id_number not in page and PHONE not in page and person.masked_id_number in page
    response = client.post(url, {"name": "杨志刚", "gender": person.gender, "ethnicity": person.ethnicity,
                                 "birth_date": person.birth_date.isoformat(), "id_number": "", "phone": "",
                                 "unit": person.unit_id})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.id_number, person.phone) == ("杨志刚", world.person_a2.id_number, PHONE)


@pytest.mark.django_db
def test_the_admin_shows_a_person_and_its_history_masked(world, client, person):
    root = make_user(unit=None, username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    history_id = person.history.latest("history_date").history_id
    for url in (reverse("admin:cadres_person_change", args=[person.pk]),
                reverse("admin:cadres_person_simple_history", args=[person.pk, history_id])):
        page = client.get(url).content.decode()
        assert person.id_number not in page and PHONE not in page, url
        assert person.masked_id_number in page and "138****5678" in page, url
