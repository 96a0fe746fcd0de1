"""The edge, with the real servers: gunicorn as deploy/gunicorn.conf.py runs it, and nginx with
deploy/nginx.conf in front of it. Slow clients do not stall the site; an over-size body is refused as
soon as its length is declared, not after it was received whole; nginx logs no query string."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.processes import stop_process

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SLOW_CLIENTS = 6  # three times what stalled the demo's two sync workers


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


def _request(port: int, raw: bytes, *, timeout: float = 5) -> bytes:
    """Send a raw request and read the answer until the server closes or the headers are complete."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(raw)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer


def _get(port: int, path: str) -> bytes:
    return _request(port, f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())


def _answers(port: int) -> bool:
    try:
        return all(_get(port, "/healthz").startswith(b"HTTP/1.1 200") for _ in range(4))
    except OSError:
        return False


def _slow_clients(port: int, count: int) -> list[socket.socket]:
    """Slowloris: connections that send the start of a request and then nothing."""
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"POST /accounts/login/ HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        sockets.append(sock)
    return sockets


def _huge_upload_headers(path: str = "/api/v1/applications/X/materials/") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: localhost\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\n"
            f"Content-Length: {200 * 1024 * 1024}\r\n\r\n").encode() + b"--b\r\n" + b"0" * 4096


@pytest.fixture(scope="module")
def gunicorn():
    """gunicorn with the project's config file (two workers, as the demo had). The requests made here
    read no table: PostgreSQL's own maintenance database is enough for /healthz to find one."""
    db_settings = connection.settings_dict
    port = _free_port()
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
           "DATABASE_URL": f"postgres://{db_settings['USER'] or 'postgres'}@{db_settings['HOST'] or 'localhost'}:"
                           f"{db_settings['PORT'] or 5432}/postgres"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
                               "hukou.wsgi:application"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, server)
        deadline = time.monotonic() + 60
        while not _answers(port):  # both workers booted (each has loaded Django)
            assert time.monotonic() < deadline and server.poll() is None, "gunicorn did not start"
            time.sleep(0.2)
        yield port
    finally:
        stop_process(server)


def test_slow_clients_do_not_stall_gunicorn(gunicorn):
    slow = _slow_clients(gunicorn, SLOW_CLIENTS)
    try:
        started = time.monotonic()
        answer = _get(gunicorn, "/healthz")
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        assert time.monotonic() - started < 5
    finally:
        for sock in slow:
            sock.close()


def test_a_200_mb_body_is_refused_before_it_is_received(gunicorn):
    """Only the headers and 4 KB are sent: the 413 must come without waiting for the other 200 MB."""
    started = time.monotonic()
    answer = _request(gunicorn, _huge_upload_headers())
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert time.monotonic() - started < 5


@pytest.fixture(scope="module")
def nginx(gunicorn, tmp_path_factory):
    """nginx with deploy/nginx.conf, its upstream pointed at the test's gunicorn."""
    tmp_path = tmp_path_factory.mktemp("nginx")
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: scripts/test.sh installs Debian's nginx")
        pytest.skip("needs nginx (scripts/test.sh installs Debian's nginx)")
    port = _free_port()
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    for deployed, local in [("server web:8000;", f"server 127.0.0.1:{gunicorn};"),
                            ("listen 8080;", f"listen 127.0.0.1:{port};"),
                            ("access_log /dev/stdout redacted;", f"access_log {tmp_path}/access.log redacted;")]:
        assert deployed in conf
        conf = conf.replace(deployed, local)
    temp = "".join(f"    {kind}_temp_path {tmp_path}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi",
                                                                            "uwsgi", "scgi"))
    conf = conf.replace("http {\n", "http {\n" + temp, 1)
    conf = (("user root;\n" if os.geteuid() == 0 else "") + f"pid {tmp_path}/nginx.pid;\n") + conf
    (tmp_path / "nginx.conf").write_text(conf)
    server = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e",
                               str(tmp_path / "error.log"), "-g", "daemon off;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, server)
        yield port, tmp_path / "access.log"
    finally:
        stop_process(server)


def test_behind_nginx_many_slow_clients_and_a_huge_body_never_reach_gunicorn(nginx):
    port, access_log = nginx
    slow = _slow_clients(port, 25)
    try:
        started = time.monotonic()
        assert _get(port, "/healthz").startswith(b"HTTP/1.1 200")
        assert time.monotonic() - started < 5
    finally:
        for sock in slow:
            sock.close()

    started = time.monotonic()
    refused = _request(port, _huge_upload_headers())
    assert refused.startswith(b"HTTP/1.1 413") and time.monotonic() - started < 5
    assert b"Server: nginx\r\n" in refused  # no version number


def test_nginx_logs_paths_without_their_query_string(nginx):
    port, access_log = nginx
    _get(port, "/healthz?id_number=330621199505010011&token=secret-token")
    deadline = time.monotonic() + 5
    while not (access_log.exists() and "/healthz" in access_log.read_text()):
        assert time.monotonic() < deadline, "nothing logged"
        time.sleep(0.05)
    logged = access_log.read_text()
    assert '"GET /healthz HTTP/1.1" 200' in logged
    assert "330621199505010011" not in logged and "secret-token" not in logged
