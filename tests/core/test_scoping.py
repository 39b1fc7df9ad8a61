"""R-ORG-2: a user's access is the subtree of their unit."""
import pytest
from django.http import Http404

from cadres.models import Person
from core.api.viewsets import ScopedReadOnlyViewSet
from core.models import OrgUnit
from core.scoping import access_by_id


def test_it_refuses_a_view_that_overrides_get_queryset():
    with pytest.raises(TypeError, match="scope_queryset"):
        class Sneaky(ScopedReadOnlyViewSet):  # noqa: F841
            queryset = Person.objects.all()

            def get_queryset(self):
                return Person.objects.all()


def test_staff_see_exactly_their_subtree(world):
    names = set(OrgUnit.objects.visible_to(world.staff_a).values_list("name", flat=True))
    assert names == {"甲县委", "甲镇党委", "东风村党支部", "新华村党支部"}


def test_township_staff_do_not_see_the_county_above(world):
    names = set(OrgUnit.objects.visible_to(world.township_staff).values_list("name", flat=True))
    assert "甲县委" not in names and "东风村党支部" in names


def test_outsider_sees_nothing_of_county_a(world):
    assert not Person.objects.visible_to(world.outsider).filter(unit__path__startswith=world.county_a.path).exists()
    assert set(Person.objects.visible_to(world.outsider)) == {world.person_b1}


def test_secretary_sees_only_their_own_record(world):
    assert list(Person.objects.visible_to(world.secretary_user)) == [world.secretary_a1]
    assert list(OrgUnit.objects.visible_to(world.secretary_user)) == [world.village_a1]


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Person.objects.visible_to(AnonymousUser()).exists()


def test_access_by_id_is_404_outside_the_subtree(world):
    assert access_by_id(Person, user=world.staff_a, pk=world.person_a2.pk) == world.person_a2
    with pytest.raises(Http404):
        access_by_id(Person, user=world.outsider, pk=world.person_a2.pk)
