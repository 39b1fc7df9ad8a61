from axes.backends import AxesStandaloneBackend


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
