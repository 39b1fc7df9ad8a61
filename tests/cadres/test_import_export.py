"""R-SEC-1, R-ORG-2, R-SEC-3: exports hold only the user's subtree, mask ID numbers unless staff, and round-trip."""
import io

import openpyxl
import pytest

from cadres.imports.readers import read_table
from cadres.imports.roster import ROSTER_HEADERS, roster_import_apply, roster_import_preview
from cadres.models import Appointment, Person
from cadres.resources import (
    ROSTER_TITLE,
    AppointmentResource,
    PersonResource,
    RosterResource,
    dataset_csv,
    dataset_from_file,
    dataset_xlsx,
)
from tests.cadres.test_import import import_samples


def _history_count() -> int:
    return Person.history.count() + Appointment.history.count()


def test_the_roster_export_keeps_the_roster_header_row():
    headers = [RosterResource.fields[f].column_name for f in RosterResource._meta.fields]
    assert headers == [h for h in ROSTER_HEADERS if h in headers]
    assert headers[:6] == ["序号", "姓名", "性别", "民族", "出生年月", "公民身份号码"]


REVEAL = ("id_number", "phone")


@pytest.mark.django_db
def test_the_roster_export_imports_back_unchanged():
    """R-SEC-3: export → import into the same database changes nothing."""
    user, _ = import_samples()
    dataset = RosterResource(user=user, reveal=REVEAL).export()
    assert len(dataset) == 30
    content = dataset_xlsx(dataset, title=ROSTER_TITLE)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == ROSTER_TITLE and sheet["F2"].value == "公民身份号码"
    assert sheet["F3"].data_type == "s"  # ID numbers stay text

    before = _history_count()
    preview = roster_import_preview(user=user, rows=read_table(content, filename="export.xlsx"))
    assert preview.errors == []
    assert preview.counts()["unchanged"] == 30
    roster_import_apply(user=user, preview=preview)
    assert _history_count() == before


@pytest.mark.django_db
def test_the_roster_export_as_csv_imports_back_unchanged():
    user, _ = import_samples()
    content = dataset_csv(RosterResource(user=user, reveal=REVEAL).export())
    assert content.startswith(b"\xef\xbb\xbf")
    preview = roster_import_preview(user=user, rows=read_table(content, filename="export.csv"))
    assert preview.errors == [] and preview.counts()["unchanged"] == 30


@pytest.mark.django_db
@pytest.mark.parametrize("resource_class", [PersonResource, AppointmentResource])
@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_people_and_appointments_round_trip_through_import_export(resource_class, extension):
    user, _ = import_samples()
    dataset = resource_class(user=user, reveal=REVEAL).export()
    content = dataset_xlsx(dataset) if extension == "xlsx" else dataset_csv(dataset)
    before = _history_count()
    result = resource_class(user=user).import_data(dataset_from_file(content, filename=f"x.{extension}"))
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 30 and result.totals["update"] == 0 and result.totals["new"] == 0
    assert _history_count() == before


@pytest.mark.django_db
def test_an_import_export_row_goes_through_the_same_validation_and_keeps_who_changed_it(world):
    dataset = PersonResource(user=world.staff_a, reveal=REVEAL).export()
    row = dataset.dict[1]
    assert row["姓名"] == "杨志强"
    dataset = dataset_from_file(dataset_xlsx(dataset), filename="p.xlsx")
    dataset[1] = tuple("13912345678" if h == "联系电话" else v for h, v in zip(dataset.headers, dataset[1]))
    result = PersonResource(user=world.staff_a).import_data(dataset)
    assert result.totals["update"] == 1 and not result.has_errors()
    world.person_a2.refresh_from_db()
    assert world.person_a2.phone == "13912345678"
    assert world.person_a2.history.first().history_user == world.staff_a

    dataset[1] = tuple("1980-06-17" if h == "出生日期" else v for h, v in zip(dataset.headers, dataset[1]))
    result = PersonResource(user=world.staff_a).import_data(dataset, dry_run=True)
    assert result.has_validation_errors()
    assert "birth_date" in result.invalid_rows[0].error_dict


@pytest.mark.django_db
def test_a_second_current_secretary_is_refused_by_the_appointment_import(world):
    dataset = AppointmentResource(user=world.staff_a, reveal=REVEAL).export()
    dataset = dataset_from_file(dataset_csv(dataset), filename="a.csv")
    # 杨志强 as a second current secretary of 东风村 (秦秀英 sits there)
    dataset[1] = tuple(world.village_a1.code if h == "组织代码" else v for h, v in zip(dataset.headers, dataset[1]))
    result = AppointmentResource(user=world.staff_a).import_data(dataset, dry_run=True)
    assert result.has_validation_errors()
    assert "秦秀英" in str(result.invalid_rows[0].error_dict["unit"])


@pytest.mark.django_db
@pytest.mark.parametrize("resource_class", [PersonResource, AppointmentResource, RosterResource])
def test_an_outsider_exports_nothing_of_county_a(world, resource_class):
    dataset = resource_class(user=world.outsider).export()
    assert len(dataset) == 1
    assert "石桥村党支部" in dataset.dict[0].values()
    assert not any("东风村" in str(v) or "新华村" in str(v) for row in dataset.dict for v in row.values())


@pytest.mark.django_db
def test_an_outsider_cannot_import_into_county_a_through_import_export(world):
    dataset = dataset_from_file(dataset_xlsx(AppointmentResource(user=world.staff_a, reveal=REVEAL).export()), filename="a.xlsx")
    result = AppointmentResource(user=world.outsider).import_data(dataset, dry_run=True)
    assert result.has_errors() and result.totals["new"] == 0 and result.totals["update"] == 0

    people = dataset_from_file(dataset_xlsx(PersonResource(user=world.staff_a, reveal=REVEAL).export()), filename="p.xlsx")
    result = PersonResource(user=world.outsider).import_data(people, dry_run=True)
    assert result.has_validation_errors()
    assert all("unit" in row.error_dict for row in result.invalid_rows)


@pytest.mark.django_db
def test_id_numbers_and_phones_are_masked_unless_the_export_reveals_them(world):
    """R-SEC-1: masked for everyone by default, staff included; in full only with ``reveal``."""
    world.secretary_a1.phone = "13812345678"
    world.secretary_a1.save()
    full = world.secretary_a1.id_number
    row = PersonResource(user=world.staff_a, reveal=REVEAL).export().dict[0]
    assert (row["公民身份号码"], row["联系电话"]) == (full, "13812345678")
    for user in (world.staff_a, world.supervisor_a):
        for resource_class in (PersonResource, AppointmentResource, RosterResource):
            values = {str(v) for row in resource_class(user=user).export().dict for v in row.values()}
            assert full not in values and "13812345678" not in values
            assert world.secretary_a1.masked_id_number in values
            if resource_class is not AppointmentResource:
                assert "138****5678" in values


@pytest.mark.django_db
def test_exports_read_the_database_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    world.staff_a.unit  # noqa: B018 — loaded once, as a request's user would be
    with django_assert_num_queries(1):  # the rows with their unit (select_related), whatever their number
        PersonResource(user=world.staff_a, reveal=REVEAL).export()
    with django_assert_num_queries(1):  # appointments with person and unit
        AppointmentResource(user=world.staff_a, reveal=REVEAL).export()
    with django_assert_num_queries(1):  # current secretaries with person and unit
        RosterResource(user=world.staff_a).export()
