"""Issue 8 item 3: a picker renders only its selected option(s), never the queryset, and the form
field still refuses an id outside the user's subtree (R-ORG-2) with a Chinese message."""
import re

import pytest
from django.urls import reverse
from django.utils import translation

from cadres.forms import ERR_PERSON_NOT_VISIBLE, AppointmentForm
from core.forms import ERR_UNIT_NOT_VISIBLE
from cadres.models import Person
from core.widgets import ApiMultiPicker, ApiPicker
from tests.factories import PersonFactory, make_unit

OPTION = re.compile(r"<option\b")


@pytest.fixture
def crowd(world):
    """200 people and 30 units in county A."""
    units = [make_unit(parent=world.township_a, name=f"第{i}村党支部") for i in range(30)]
    Person.objects.bulk_create([PersonFactory.build(name=f"张{i:03d}", unit=units[i % 30]) for i in range(200)])
    return units


def test_a_form_of_200_people_renders_only_the_empty_option_per_picker(world, crowd, django_assert_max_num_queries):
    form = AppointmentForm(user=world.staff_a, creating=True)
    with django_assert_max_num_queries(1):  # the user's unit at most; no row of either queryset
        html = str(form["person"]) + str(form["unit"])
    assert len(OPTION.findall(html)) == 2
    assert 'data-picker-url="/api/v1/people/?view=picker&amp;page_size=20"' in html
    assert 'data-picker-url="/api/v1/org-units/?view=picker&amp;page_size=20"' in html


def test_an_edit_form_renders_the_selected_person_and_unit_only(world, crowd):
    form = AppointmentForm(instance=world.appointment_a2, user=world.staff_a)
    person, unit = str(form["person"]), str(form["unit"])
    assert len(OPTION.findall(person)) == 2 and len(OPTION.findall(unit)) == 2
    assert f'<option value="{world.person_a2.pk}" selected>杨志强 · 新华村党支部</option>' in person
    assert f'<option value="{world.village_a2.pk}" selected>新华村党支部（430721001002）</option>' in unit


def test_a_bound_form_renders_a_posted_id_within_scope_only(world, crowd):
    form = AppointmentForm({"person": world.person_b1.pk, "unit": world.village_b1.pk}, user=world.staff_a)
    html = str(form["person"]) + str(form["unit"])
    assert "吴国庆" not in html and "石桥村" not in html
    assert len(OPTION.findall(html)) == 2


def test_an_id_outside_the_subtree_is_refused_in_chinese(world):
    data = {"person": world.person_b1.pk, "unit": world.village_b1.pk, "role": "secretary",
            "start_date": "2026-01-01", "selection_method": "election"}
    with translation.override("zh-hans"):
        form = AppointmentForm(data, user=world.staff_a, creating=True)
        assert not form.is_valid()
        assert form.errors["person"] == [str(ERR_PERSON_NOT_VISIBLE)]
        assert form.errors["unit"] == [str(ERR_UNIT_NOT_VISIBLE)]
        assert form.errors["person"][0] == "您的管辖范围内没有这个人员。"
        assert form.errors["unit"][0] == "您的管辖范围内没有这个组织。"


def test_a_garbage_value_renders_no_option_and_no_error(world):
    form = AppointmentForm({"person": "x'; --", "unit": "9" * 30}, user=world.staff_a)
    assert len(OPTION.findall(str(form["person"]) + str(form["unit"]))) == 2
    assert not form.is_valid() and {"person", "unit"} <= set(form.errors)


def test_the_multi_picker_renders_the_selected_rows(world, crowd):
    from django import forms

    class Form(forms.Form):
        people = forms.ModelMultipleChoiceField(queryset=Person.objects.all(), widget=ApiMultiPicker("person-list"))

    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:3])
    html = str(Form({"people": ids})["people"])
    assert len(OPTION.findall(html)) == 3 and "multiple" in html


def test_picker_params_reach_the_url(world):
    widget = ApiPicker("org-unit-list", params={"branch": "1"})
    assert widget.url() == f"{reverse('org-unit-list')}?branch=1&view=picker&page_size=20"


def test_staff_are_told_they_may_type_an_id_number_supervisors_not(world):
    staff = str(AppointmentForm(user=world.staff_a)["person"])
    supervisor = str(AppointmentForm(user=world.supervisor_a)["person"])
    with translation.override("en"):
        staff = str(AppointmentForm(user=world.staff_a)["person"])
        supervisor = str(AppointmentForm(user=world.supervisor_a)["person"])
    assert "ID number" in staff and "ID number" not in supervisor


def test_the_page_loads_the_vendored_picker_script(world, login):
    html = login(world.staff_a).get(reverse("cadres:appointment_create")).content.decode()
    assert "/static/vendor/tom-select/tom-select.complete.min.js" in html and "/static/js/pickers.js" in html
    assert "cdn" not in html.lower()
