"""Login throttling (django-axes) for every login form that passes the request."""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' standalone backend, which refuses a locked-out username + address pair.

    A call without a request (``Client.login`` in tests, a management command) is no web login
    attempt: there is no address to throttle, so it is left to the next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
