"""DRF throttles keyed by hukou.clientip (DRF's own get_ident trusts X-Forwarded-For from anyone)."""

from rest_framework.throttling import ScopedRateThrottle

from hukou.clientip import client_ip


class ClientScopedRateThrottle(ScopedRateThrottle):
    def get_ident(self, request):
        return client_ip(request)
