"""R-SEC-3 pages: upload → preview → confirm, the rejected rows as a file, exports; and the commands."""
import io
import pathlib

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from cadres.imports.readers import ERR_CSV_ENCODING
from cadres.imports.roster import ERR_HAS_ERRORS, ERR_UNKNOWN_UNIT
from cadres.models import Appointment, Person
from core.choices import JobState
from core.models import Job, OrgUnit
from tests.cadres.test_import import FIRST_DATA_ROW, roster_row, roster_xlsx
from tests.factories import make_unit

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def client_for(client, user):
    client.force_login(user)
    return client


def upload(client, content: bytes, *, name="roster.xlsx", kind="roster"):
    return client.post(reverse("cadres:import-upload"),
                       {"kind": kind, "file": SimpleUploadedFile(name, content)})


@pytest.mark.django_db
def test_upload_preview_confirm_writes_the_roster(client, world, media):
    make_unit(parent=world.township_a, code="430721001003", name="红星村党支部")
    make_unit(parent=world.township_a, code="430721001004", name="胜利村党支部")
    content = roster_xlsx([roster_row(name="姜春生", unit_code="430721001003"),
                           roster_row(name="崔俊杰", unit_code="430721001004")])
    client = client_for(client, world.staff_a)
    assert client.get(reverse("cadres:import-upload")).status_code == 200

    response = upload(client, content)
    job = Job.objects.get(created_by=world.staff_a)
    assert response.status_code == 302 and response["Location"] == reverse("cadres:import-preview", args=[job.pk])
    assert (media / job.params["path"]).is_file() and not job.file  # kept out of the jobs page's download

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "姜春生" in page.content.decode() and "红星村党支部" in page.content.decode()
    assert page.context["can_confirm"] is True
    assert not Person.objects.filter(name="姜春生").exists()  # the preview writes nothing

    response = client.post(reverse("cadres:import-confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.result["people_created"] == 2
    assert not (media / job.params["path"]).exists()  # the uploaded personal data is not kept
    new_units = ["430721001003", "430721001004"]
    assert Appointment.objects.current().secretaries().filter(unit__code__in=new_units).count() == 2

    done = client.get(reverse("cadres:import-preview", args=[job.pk]))
    assert done.context["result"]["appointments_created"] == 2

    client.post(reverse("cadres:import-confirm", args=[job.pk]))  # a second confirm does nothing
    assert Person.objects.filter(name="姜春生").count() == 1


@pytest.mark.django_db
def test_a_file_with_errors_shows_them_by_row_and_column_and_cannot_be_confirmed(client, world):
    make_unit(parent=world.township_a, code="430721001003")
    rows = [roster_row(unit_code="430721001003"), roster_row(unit_code="999", 职务="党支部副书记")]
    client = client_for(client, world.staff_a)
    upload(client, roster_xlsx(rows))
    job = Job.objects.get(created_by=world.staff_a)

    page = client.get(reverse("cadres:import-preview", args=[job.pk]))
    assert page.context["can_confirm"] is False
    assert page.context["errors"] == [{"row": FIRST_DATA_ROW + 1, "column": "组织代码", "field": "unit_code",
                                       "message": str(ERR_UNKNOWN_UNIT.format(code="999"))}]
    assert reverse("cadres:import-confirm", args=[job.pk]) not in page.content.decode()

    client.post(reverse("cadres:import-confirm", args=[job.pk]))
    assert not Person.objects.filter(unit__code="430721001003").exists()  # nothing half-written
    job.refresh_from_db()
    # R-JOB-3: a refused import ends as failed with the reason, not "pending 0%" forever.
    assert job.state == JobState.FAILED and job.error == str(ERR_HAS_ERRORS)


@pytest.mark.django_db
def test_an_import_refused_at_confirm_ends_failed_and_a_new_import_can_start(client, world, media):
    """R-JOB-3 / R-SEC-3: the file checked clean, then its unit's code changed before the confirm."""
    unit = make_unit(parent=world.township_a, code="430721001003", name="红星村党支部")
    client = client_for(client, world.staff_a)
    content = roster_xlsx([roster_row(name="姜春生", unit_code="430721001003")])
    upload(client, content)
    job = Job.objects.get(created_by=world.staff_a)
    assert client.get(reverse("cadres:import-preview", args=[job.pk])).context["can_confirm"] is True
    OrgUnit.objects.filter(pk=unit.pk).update(code="430721009999")

    response = client.post(reverse("cadres:import-confirm", args=[job.pk]), follow=True)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.finished_at is not None
    assert job.error == str(ERR_HAS_ERRORS)
    assert not Person.objects.filter(name="姜春生").exists()
    page = response.content.decode()
    assert "data-import-failed" in page and str(ERR_HAS_ERRORS) in page
    assert reverse("cadres:import-confirm", args=[job.pk]) not in page  # no confirm button left
    assert reverse("cadres:import-upload") in page  # "start a new import"
    # A second confirm of the failed job writes nothing and says why again.
    client.post(reverse("cadres:import-confirm", args=[job.pk]))
    assert not Person.objects.filter(name="姜春生").exists()

    OrgUnit.objects.filter(pk=unit.pk).update(code="430721001003")
    upload(client, content)
    new_job = Job.objects.filter(created_by=world.staff_a).exclude(pk=job.pk).get()
    client.post(reverse("cadres:import-confirm", args=[new_job.pk]))
    new_job.refresh_from_db()
    assert new_job.state == JobState.SUCCEEDED and Person.objects.filter(name="姜春生").exists()


@pytest.mark.django_db
def test_the_rejected_rows_come_back_as_a_file_with_the_error_beside_each(client, world):
    make_unit(parent=world.township_a, code="430721001003")
    rows = [roster_row(unit_code="430721001003"), roster_row(unit_code="999", 职务="党支部副书记")]
    client = client_for(client, world.staff_a)
    upload(client, roster_xlsx(rows))
    job = Job.objects.get(created_by=world.staff_a)

    response = client.get(reverse("cadres:import-errors-file", args=[job.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[-1] == "错误说明" and header[:3] == ["序号", "姓名", "性别"]
    assert sheet.max_row == 2  # only the bad row
    bad = {h: c.value for h, c in zip(header, sheet[2])}
    assert bad["组织代码"] == "999"
    assert bad["错误说明"] == f"第{FIRST_DATA_ROW + 1}行 组织代码：{ERR_UNKNOWN_UNIT.format(code='999')}"

    # corrected and uploaded again, the file is accepted (the 错误说明 column is ignored)
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    workbook.active.cell(row=2, column=header.index("组织代码") + 1, value="430721001003")
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload(client, buffer.getvalue(), name="fixed.xlsx")
    fixed = Job.objects.filter(created_by=world.staff_a).latest("pk")
    page = client.get(reverse("cadres:import-preview", args=[fixed.pk]))
    assert page.context["errors"] == [] and page.context["can_confirm"]


@pytest.mark.django_db
def test_an_unreadable_file_is_refused_at_upload_with_the_reason(client, world):
    client = client_for(client, world.staff_a)
    response = upload(client, "姓名,公民身份号码\n".encode() + b"\x81\x20\xff\n", name="roster.csv")
    assert response.status_code == 200
    assert str(ERR_CSV_ENCODING) in response.context["form"].errors["file"]
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_units_upload_and_confirm(client, world):
    csv = "组织代码,组织名称,层级,上级组织代码,领域\n430721001009,建设村党支部,党支部,430721001,农村\n"
    client = client_for(client, world.staff_a)
    upload(client, csv.encode("gbk"), name="units.csv", kind="units")
    job = Job.objects.get(created_by=world.staff_a)
    page = client.get(reverse("cadres:import-preview", args=[job.pk]))
    assert page.context["can_confirm"] and "建设村党支部" in page.content.decode()
    client.post(reverse("cadres:import-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.result == {"units_created": 1}


# --- who may (R-ORG-2) ------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_outsider_cannot_see_or_confirm_anothers_import(client, world):
    client_for(client, world.staff_a)
    upload(client, roster_xlsx([roster_row(unit_code=world.village_a2.code, 职务="党支部副书记")]))
    job = Job.objects.get(created_by=world.staff_a)
    client.force_login(world.outsider)
    assert client.get(reverse("cadres:import-preview", args=[job.pk])).status_code == 404
    assert client.get(reverse("cadres:import-errors-file", args=[job.pk])).status_code == 404
    assert client.post(reverse("cadres:import-confirm", args=[job.pk])).status_code == 404
    assert not Appointment.objects.filter(role="deputy_secretary").exists()


@pytest.mark.django_db
def test_an_outsider_uploading_county_a_rows_gets_unknown_unit(client, world):
    client = client_for(client, world.outsider)
    upload(client, roster_xlsx([roster_row(unit_code=world.village_a2.code, 职务="党支部副书记")]))
    job = Job.objects.get(created_by=world.outsider)
    page = client.get(reverse("cadres:import-preview", args=[job.pk]))
    assert page.context["errors"][0]["message"] == str(ERR_UNKNOWN_UNIT.format(code=world.village_a2.code))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["secretary_user", "supervisor_a"])
def test_only_staff_import(client, world, who):
    client = client_for(client, getattr(world, who))
    assert client.get(reverse("cadres:import-upload")).status_code == 403
    assert upload(client, roster_xlsx([roster_row()])).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("cadres:import-upload"))
    assert response.status_code == 302 and "login" in response["Location"]


def _export_rows(response) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if "姓名" in r)
    return [dict(zip(rows[header_at], r)) for r in rows[header_at + 1:]]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["cadres:export-people", "cadres:export-appointments", "cadres:export-roster"])
def test_exports_hold_only_the_users_subtree(client, world, name):
    client = client_for(client, world.outsider)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _export_rows(response)
    assert [r["姓名"] for r in rows] == ["吴国庆"]

    client.force_login(world.staff_a)
    assert {r["姓名"] for r in _export_rows(client.get(reverse(name)))} == {"秦秀英", "杨志强"}


@pytest.mark.django_db
def test_a_csv_export_is_utf8_with_a_bom(client, world):
    client = client_for(client, world.staff_a)
    response = client.get(reverse("cadres:export-people") + "?format=csv&reveal=id_number")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert world.secretary_a1.id_number in response.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_a_supervisor_exports_masked_id_numbers_and_a_secretary_none(client, world):
    client = client_for(client, world.supervisor_a)
    text = client.get(reverse("cadres:export-roster") + "?format=csv").content.decode("utf-8-sig")
    assert world.secretary_a1.masked_id_number in text and world.secretary_a1.id_number not in text
    client.force_login(world.secretary_user)
    assert client.get(reverse("cadres:export-people")).status_code == 403


# --- the commands -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_commands_import_the_samples_into_an_empty_database(capsys):
    call_command("import_units", str(DATA / "units-sample.csv"))
    call_command("import_roster", str(DATA / "roster-sample.xlsx"), "--as-superuser")
    out = capsys.readouterr().out
    assert "35 units created" in out and "people_created 30" in out
    assert Appointment.objects.current().secretaries().count() == 30


@pytest.mark.django_db
def test_the_roster_command_prints_the_errors_and_writes_nothing(world, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(roster_xlsx([roster_row(unit_code="999")]))
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_roster", str(path), "--user", "staff_a")
    assert f"第{FIRST_DATA_ROW}行 组织代码" in capsys.readouterr().err
    assert Person.objects.count() == 3
