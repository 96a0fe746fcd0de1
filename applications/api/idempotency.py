"""``Idempotency-Key``: the same request sent twice (a double click, a retry after a timeout) acts once.

The key is claimed in the same transaction as the change it guards. A second request with the key
waits for the first to commit, then gets the first response again (with ``Idempotent-Replayed:
true``); if the first failed, its transaction took the key with it and the retry runs afresh. The
same key with another method, path or body is a client error: 422.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from applications.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_LENGTH = 255


def idempotency_key(request, *, required: bool) -> str | None:
    key = request.headers.get(HEADER)
    if key is None or key == "":
        if required:
            raise ValidationError({HEADER: ["请求头须包含 Idempotency-Key（每次操作生成一个新的随机值，重试时沿用）"]})
        return None
    if len(key) > MAX_LENGTH or not key.isprintable() or not key.isascii():
        raise ValidationError({HEADER: [f"Idempotency-Key 应为不超过 {MAX_LENGTH} 个可打印 ASCII 字符"]})
    return key


def _plain(data):
    if hasattr(data, "lists"):  # QueryDict (form posts)
        return {key: values for key, values in data.lists()}
    return data


def request_fingerprint(request) -> str:
    payload = json.dumps(
        {"method": request.method, "path": request.path, "body": _plain(request.data)},
        sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _replay(record: IdempotencyKey, fingerprint: str) -> Response:
    if record.fingerprint != fingerprint:
        return Response(
            {"detail": "该 Idempotency-Key 已用于另一请求；新的操作请使用新的值"},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    return Response(record.response, status=record.status_code, headers={"Idempotent-Replayed": "true"})


def run_once(request, action: Callable[[], Response], *, required: bool = True) -> Response:
    """Run ``action`` (which calls a service and returns the response) at most once per key and user."""
    key = idempotency_key(request, required=required)
    if key is None:
        return action()
    fingerprint = request_fingerprint(request)
    with transaction.atomic():
        record = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if record is not None:
            return _replay(record, fingerprint)
        try:
            with transaction.atomic():
                # Blocks while a concurrent request holding the same key is still running.
                record = IdempotencyKey.objects.create(user=request.user, key=key, fingerprint=fingerprint)
        except IntegrityError:
            return _replay(IdempotencyKey.objects.get(user=request.user, key=key), fingerprint)
        response = action()  # an exception here rolls the key back with everything else
        if not status.is_success(response.status_code):
            transaction.set_rollback(True)  # keep only what succeeded: a retry runs afresh
            return response
        record.status_code = response.status_code
        record.response = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
        record.save(update_fields=["status_code", "response"])
        return response
