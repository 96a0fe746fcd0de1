"""How the services' errors reach an API client.

ApplicationError → 400 ``{"<field>": ["message"], "details": [...]}`` (the field the client must fix);
ConflictError → 409 ``{"detail": "..."}`` (someone changed the case first: reload and try again);
DraftExistsError → 409 ``{"detail": "...", "case_number": "..."}`` (the open draft to carry on with).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from applications.errors import ApplicationError, ConflictError, DraftExistsError


def api_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return Response({exc.field: [exc.message], "details": list(exc.details)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DraftExistsError):
        return Response({"detail": exc.message, "case_number": exc.case_number}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ConflictError):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        body = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class ServiceErrorsMixin:
    """For every view of this API: map the services' errors as above (no global setting needed)."""

    def get_exception_handler(self):
        return api_exception_handler
