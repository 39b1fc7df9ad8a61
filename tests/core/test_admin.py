"""The Django admin is scoped like every other page (R-ORG-2): a change list shows only the subtree."""
import pytest
from django.contrib import admin
from django.test import RequestFactory

from core.querysets import ScopedQuerySet

SCOPED_ADMINS = [
    (model, model_admin) for model, model_admin in admin.site._registry.items()
    if isinstance(model._default_manager.all(), ScopedQuerySet)
]


def test_every_admin_of_a_scoped_model_is_scoped():
    unscoped = [m.__name__ for m, a in SCOPED_ADMINS if "ScopedAdminMixin" not in [c.__name__ for c in type(a).__mro__]]
    assert unscoped == []
    assert len(SCOPED_ADMINS) >= 10


@pytest.mark.parametrize("model,model_admin", SCOPED_ADMINS, ids=[m.__name__ for m, _ in SCOPED_ADMINS])
def test_an_admin_of_another_county_sees_none_of_county_a(world, model, model_admin):
    request = RequestFactory().get("/admin/")
    request.user = world.outsider
    rows = model_admin.get_queryset(request)
    scoped_path = model.scope_path_lookup
    assert not rows.filter(**{f"{scoped_path}__startswith": world.county_a.path}).exists()


def test_the_changelist_of_people_shows_only_the_subtree(world, client):
    world.outsider.is_staff = True
    world.outsider.is_superuser = False
    world.outsider.save()
    from django.contrib.auth.models import Permission

    world.outsider.user_permissions.add(Permission.objects.get(codename="view_person"))
    client.force_login(world.outsider)
    page = client.get("/admin/cadres/person/").content.decode()
    assert "吴国庆" in page and "秦秀英" not in page


def test_admin_import_and_export_of_people_use_the_users_subtree(world, client):
    from django.contrib.auth.models import Permission

    world.outsider.is_staff = True
    world.outsider.save()
    world.outsider.user_permissions.add(*Permission.objects.filter(codename__in=["view_person", "add_person",
                                                                                 "change_person"]))
    client.force_login(world.outsider)
    assert client.get("/admin/cadres/person/import/").status_code == 200
    response = client.post("/admin/cadres/person/export/", {"format": "0", "resource": "0",
                                                            "personresource_name": "on"})
    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "吴国庆" in body and "秦秀英" not in body
