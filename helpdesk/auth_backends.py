"""Login lockout (django-axes) for logins over HTTP."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, for requests only. A password checked without a request (a management
    command, the test client) has no address to lock and is not something an attacker can
    repeat from outside, so it goes straight on to the password check."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
