import pytest
from django.test import override_settings


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["database_vendor"] == "postgresql"
    assert body["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_without_a_broker_says_tasks_run_eagerly(client):
    with override_settings(REDIS_URL=""):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == "eager"


@pytest.mark.django_db
def test_healthz_is_503_when_the_configured_broker_is_down(client):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


@pytest.mark.django_db
def test_admin_login_page_is_served_in_chinese(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert "落户业务办理系统" in response.text
    assert "登录" in response.text


@pytest.mark.django_db
def test_openapi_schema_and_swagger_ui_are_served(client):
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert b"/api/v1/eligibility/" in schema.content
    assert docs.status_code == 200
