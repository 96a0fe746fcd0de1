"""RequestSizeLimitMiddleware: a body that declares more than REQUEST_MAX_BYTES is refused with 413
before a byte of it is read."""

import pytest
from django.test import Client


class Unreadable:
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "kind"), [("/cases/SXKQ-1/materials/", "text/html"),
                                            ("/api/v1/applications/SXKQ-1/materials/", "application/json")])
def test_an_over_size_body_is_refused_unread(settings, path, kind):
    declared = settings.REQUEST_MAX_BYTES + 1
    response = Client().generic("POST", path, content_type="multipart/form-data; boundary=b",
                                CONTENT_LENGTH=str(declared), **{"wsgi.input": Unreadable()})
    assert response.status_code == 413
    assert response["Content-Type"].startswith(kind)
    text = response.json()["detail"] if "json" in kind else response.content.decode()
    assert "上传内容过大：每次最多 11 MB" in text
