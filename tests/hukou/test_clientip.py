"""One client address for throttles, django-axes and logs: X-Forwarded-For counts only when it comes
from a configured proxy, so a new header value per request no longer escapes a per-address limit."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from hukou.clientip import client_ip
from tests.applications.factories import UserFactory

FACTS = {"birth_date": "1998-06-01", "sex": "F"}


def request_from(peer: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_the_header_is_ignored_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_from_a_trusted_proxy_the_rightmost_address_that_is_not_ours_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    # the client wrote "6.6.6.6" itself; our nginx (10.0.0.2) appended what it saw: 198.51.100.7
    assert client_ip(request_from("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"
    assert client_ip(request_from("127.0.0.1", "garbage, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(request_from("127.0.0.1", "not-an-address")) == "127.0.0.1"
    assert client_ip(request_from("127.0.0.1")) == "127.0.0.1"
    # a peer that is not a proxy cannot speak for anyone else
    assert client_ip(request_from("203.0.113.9", "198.51.100.7")) == "203.0.113.9"
    assert client_ip(request_from("::1")) == "::1"


@pytest.fixture
def tight_eligibility_rate(monkeypatch):
    """(tests/conftest.py's fresh_rate_limits clears the throttle's counters around every test)"""
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "eligibility", "3/min")


def _check(client, forwarded: str):
    return client.post("/api/v1/eligibility/", {"jurisdiction": "sx.kq", "date": "2024-03-01", "facts": FACTS},
                       format="json", headers={"x-forwarded-for": forwarded})


@pytest.mark.django_db
def test_a_new_forwarded_for_per_request_does_not_escape_the_eligibility_throttle(tight_eligibility_rate, settings):
    settings.TRUSTED_PROXIES = []
    client = APIClient()
    codes = [_check(client, f"198.51.100.{n}").status_code for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_has_its_own_allowance(tight_eligibility_rate, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client = APIClient()
    assert [_check(client, f"198.51.100.{n}").status_code for n in range(5)] == [200] * 5
    assert [_check(client, "198.51.100.77").status_code for _ in range(4)] == [200, 200, 200, 429]


@pytest.mark.django_db
def test_axes_locks_out_a_guesser_whatever_forwarded_for_says(client, settings):
    settings.TRUSTED_PROXIES = []
    UserFactory(username="13912345678")
    codes = [
        client.post(reverse("portal:login"), {"username": "13912345678", "password": "wrong-1234"},
                    headers={"x-forwarded-for": f"198.51.100.{n}"}).status_code
        for n in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    assert codes[-1] == 429 and codes[: settings.AXES_FAILURE_LIMIT - 1] == [400] * (settings.AXES_FAILURE_LIMIT - 1)
