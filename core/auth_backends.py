from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

UserModel = get_user_model()


class AxesTestClientBackend(AxesStandaloneBackend):
    """For the test settings only: Django's ``Client.login()`` authenticates without a request.

    django-axes raises on a missing request so that no login path escapes it unnoticed; in
    production every login (page, admin, token endpoint) passes its request. Tests that log
    in through ``client.login()`` skip the lockout check; tests that POST to a login URL
    get the real one.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class UnitModelBackend(ModelBackend):
    """Django's model backend whose session user comes with the unit in the same query: every scoped page and
    list reads ``request.user.unit.path`` (R-ORG-2, issue 12)."""

    def get_user(self, user_id):
        try:
            user = UserModel._default_manager.select_related("unit").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
