"""Login throttling for every login form that passes the request (portal and admin alike).

Two limits: django-axes locks a username + address pair after AXES_FAILURE_LIMIT failures (a guesser
of one account), and this backend locks an address after LOGIN_FAILURES_PER_ADDRESS failures within
LOGIN_FAILURE_WINDOW_SECONDS, whatever the usernames (password spraying: many accounts, one password).
Both answer with django-axes' lockout page (portal.views.accounts.locked_out, HTTP 429).
"""

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings

from hukou.clientip import client_ip
from hukou.ratelimit import ratelimit_count, ratelimit_hit

SCOPE = "login-failures"


def _window() -> int:
    return int(getattr(settings, "LOGIN_FAILURE_WINDOW_SECONDS", 900))


def count_failed_login(sender, credentials=None, request=None, **kwargs) -> None:
    """Receiver of ``user_login_failed`` (connected in PortalConfig.ready): one more failure from the
    request's address."""
    if request is not None:
        ratelimit_hit(SCOPE, client_ip(request), window=_window())


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' standalone backend, which refuses a locked-out username + address pair, plus the
    per-address limit.

    A call without a request (``Client.login`` in tests, a management command) is no web login
    attempt: there is no address to throttle, so it is left to the next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        limit = int(getattr(settings, "LOGIN_FAILURES_PER_ADDRESS", 20))
        if ratelimit_count(SCOPE, client_ip(request), window=_window()) >= limit:
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("too many failed logins from this address")
        return super().authenticate(request, username=username, password=password, **kwargs)
