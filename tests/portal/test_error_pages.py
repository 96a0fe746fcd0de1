"""Error pages in Chinese and in the portal's style, with DEBUG off (as in production): 404, 403, the
CSRF failure, and a static 500 that renders even with PostgreSQL really unreachable."""

import socket

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from tests.applications.factories import UserFactory


def assert_portal_error_page(response, status: int, heading: str):
    html = response.content.decode()
    assert response.status_code == status
    assert 'lang="zh-Hans"' in html and "portal/portal.css" in html and "浙江落户网上办理" in html
    assert heading in html
    for english in ("Not Found", "Forbidden", "Server Error", "CSRF verification failed"):
        assert english not in html


@pytest.mark.django_db
def test_a_missing_page_is_a_chinese_404(applicant_client, settings):
    client = Client()
    assert settings.DEBUG is False
    assert_portal_error_page(client.get("/no-such-page/"), 404, "找不到这个页面")
    # a case that is not one's own does not exist (Http404 raised by a portal view)
    assert_portal_error_page(applicant_client.get("/cases/SXKQ-20260302-NOPE00/"), 404, "找不到这个页面")


@pytest.mark.django_db
def test_a_forbidden_page_is_a_chinese_403(client):
    client.force_login(UserFactory(is_staff=True))  # staff with no permission at all
    assert_portal_error_page(client.get("/admin/auth/user/add/"), 403, "您无权进行此操作")


@pytest.mark.django_db
def test_a_csrf_failure_is_a_chinese_page_that_says_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("portal:login"), {"username": "13912345678", "password": "x"})
    assert_portal_error_page(response, 403, "页面已过期，请刷新后重新提交")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_down(django_db_blocker):
    """PostgreSQL really unreachable: the default connection is pointed at a closed port."""
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    with django_db_blocker.unblock():
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [("get", "/check/", None), ("post", "/accounts/login/", {"username": "13912345678", "password": "Pw-1234567"})],
    ids=["self-check", "login"],
)
def test_with_the_database_down_the_500_page_is_static_and_chinese(database_down, method, path, data):
    client = Client(raise_request_exception=False)
    response = getattr(client, method)(path, data) if data else getattr(client, method)(path)
    assert_portal_error_page(response, 500, "系统暂时无法处理您的请求")
