"""R-SEC-1: a cell that a spreadsheet would run as a formula is exported as text with a leading apostrophe."""
import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from core.services.exports import safe_cell

EVIL = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("value", [EVIL, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_starts_get_an_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["张伟", "430721********1234", 5, -5, None, "'=already"])
def test_other_values_pass_unchanged(value):
    assert safe_cell(value) == value


def _xlsx_cells(content: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [c for row in sheet.iter_rows() for c in row if c.value is not None]


@pytest.fixture
def evil(world):
    world.secretary_a1.name = EVIL
    world.secretary_a1.notes = "@cmd"
    world.secretary_a1.save()
    return world.secretary_a1


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["export-people", "export-appointments", "export-roster"])
def test_registry_exports_neutralise_a_formula_in_a_name(world, login, evil, name):
    client = login(world.staff_a)
    url = reverse(f"cadres:{name}")
    cells = _xlsx_cells(client.get(url + "?format=xlsx").content)
    assert not [c for c in cells if c.data_type == "f"]
    assert "'" + EVIL in [c.value for c in cells]
    rows = list(csv.reader(io.StringIO(client.get(url + "?format=csv").content.decode("utf-8-sig"))))
    values = [v for row in rows for v in row]
    assert EVIL not in values and "'" + EVIL in values


@pytest.mark.django_db
def test_the_admin_export_action_neutralises_too(world, evil):
    from cadres.resources import PersonResource

    row = PersonResource(user=world.staff_a).export().dict[0]
    assert row["姓名"] == "'" + EVIL and row["备注"] == "'@cmd"


@pytest.mark.django_db
def test_the_training_compliance_export_neutralises_a_formula_in_a_name(world, login, evil):
    content = login(world.staff_a).get(reverse("training:compliance-export")).content
    cells = _xlsx_cells(content)
    assert not [c for c in cells if c.data_type == "f"] and "'" + EVIL in [c.value for c in cells]


@pytest.mark.django_db
def test_rejected_rows_neutralise_what_the_upload_held():
    from cadres.imports.readers import Table
    from cadres.imports.rejects import rejected_rows_xlsx

    table = Table.__new__(Table)
    table.raw_headers = table.headers = ["姓名", "备注"]

    class Row:
        number, cells = 2, [EVIL, "+x"]

    table.rows = [Row]
    cells = _xlsx_cells(rejected_rows_xlsx(table=table, errors=[{"row": 2, "column": "姓名", "message": "bad"}]))
    assert not [c for c in cells if c.data_type == "f"]
    assert {"'" + EVIL, "'+x"} <= {c.value for c in cells}


@pytest.mark.django_db
def test_the_enterprise_coverage_export_neutralises_a_unit_name(world):
    from core.choices import Level, Sector
    from core.models import Job
    from core.services.exports import enterprise_coverage_export
    from core.services.jobs import job_create
    from tests.factories import make_unit

    make_unit(parent=world.township_a, code="430721001099", name=EVIL, level=Level.ENTERPRISE,
              sector=Sector.NON_PUBLIC, employees=80, members=2)
    job = job_create(kind="enterprise_coverage", user=world.staff_a, params={"year": 2026})
    enterprise_coverage_export(job=job, report=lambda *a: None)
    job = Job.objects.get(pk=job.pk)
    cells = _xlsx_cells(job.file.read())
    assert not [c for c in cells if c.data_type == "f"] and "'" + EVIL in [c.value for c in cells]
