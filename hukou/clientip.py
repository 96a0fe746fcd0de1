"""The client's address, the one way every part of the product finds it (throttles, django-axes, logs).

``X-Forwarded-For`` is trusted only when the request comes from a configured proxy (TRUSTED_PROXIES:
addresses or networks, none by default). Then the header is read from the right, skipping our own
proxies: the first address that is not one of them is the client (anything further left was written
by the client and proves nothing). Without a trusted proxy the header is ignored: a new value per
request can no longer escape a per-address limit.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

UNKNOWN = "0.0.0.0"


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_proxies() -> tuple:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _parse(value: str):
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def _is_proxy(address, networks) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str:
    """The address of whoever sent ``request`` (a string; UNKNOWN when the peer's address is unusable)."""
    peer = _parse(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return UNKNOWN
    networks = trusted_proxies()
    if not networks or not _is_proxy(peer, networks):
        return str(peer)
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(hop)
        if address is None:  # garbage in the chain: stop at the last address a proxy vouched for
            break
        client = address
        if not _is_proxy(address, networks):
            break
    return str(client)

