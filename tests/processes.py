"""Helpers for tests that run real server processes (Celery workers and beat, gunicorn, nginx)."""

from __future__ import annotations

import subprocess


def stop_process(process: subprocess.Popen, *, timeout: float = 15) -> None:
    """Ask a process to stop (SIGTERM) and wait; kill it if it does not within ``timeout`` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
