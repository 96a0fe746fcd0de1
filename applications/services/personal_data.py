"""个人信息访问留痕: record every staff view of personal data, verify the chain, purge past retention.

Call it from any view that shows a member of staff personal data::

    from applications.services.personal_data import personal_data_access_record, Kind

    personal_data_access_record(request=request, applicant=case.applicant, kind=Kind.CASE_PAGE, obj=case)

or decorate the view with ``personal_data_view(kind, applicant=…)``; an admin opts in with
``personal_data_path`` on ``applications.admin.scoped.ScopedAdmin``.

The row is chained to the one before it (SHA-256 over its content and the previous hash) while the
chain head is locked FOR UPDATE, so concurrent writers queue up rather than fork the chain. Applicants
looking at their own data are not recorded (only staff views are); a call for a non-staff user does
nothing and returns None.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from applications.models import Applicant
from applications.models.personal_data import PersonalDataAccess, PersonalDataAuditHead
from hukou.clientip import UNKNOWN, client_ip

Kind = PersonalDataAccess.Kind
HEAD_ID = 1
# The shortest retention the law allows for these records (个人信息访问记录至少保存六个月).
MINIMUM_RETENTION_MONTHS = 6


def client_address(request) -> str | None:
    """The address the request came from, by the project's one rule (hukou.clientip: X-Forwarded-For
    is believed only from TRUSTED_PROXIES); None when there is no request or no usable address."""
    if request is None:
        return None
    address = client_ip(request)
    return None if address == UNKNOWN else address


def row_hash(*, prev_hash: str, at: datetime, user_id: int | None, username: str, applicant_id: int | None,
             kind: str, object_type: str, object_id: str, detail: str, client_address: str | None) -> str:
    content = [
        prev_hash, at.astimezone(UTC).isoformat(timespec="microseconds"), user_id, username, applicant_id, kind,
        object_type, object_id, detail, client_address,
    ]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def _hash_of(row: PersonalDataAccess) -> str:
    return row_hash(
        prev_hash=row.prev_hash, at=row.at, user_id=row.user_id, username=row.username,
        applicant_id=row.applicant_id, kind=row.kind, object_type=row.object_type, object_id=row.object_id,
        detail=row.detail, client_address=row.client_address,
    )


def _locked_head() -> PersonalDataAuditHead:
    PersonalDataAuditHead.objects.bulk_create([PersonalDataAuditHead(pk=HEAD_ID)], ignore_conflicts=True)
    return PersonalDataAuditHead.objects.select_for_update().get(pk=HEAD_ID)


def _append(*, user, applicant_id: int | None, kind: str, object_type: str = "", object_id: str = "",
            detail: str = "", address: str | None = None) -> PersonalDataAccess:
    with transaction.atomic():
        head = _locked_head()
        row = PersonalDataAccess(
            at=timezone.now(), user=user, username=user.get_username() if user is not None else "",
            applicant_id=applicant_id, kind=kind, object_type=object_type[:60], object_id=str(object_id)[:64],
            detail=detail[:300], client_address=address, prev_hash=head.last_hash,
        )
        row.hash = _hash_of(row)
        row.save(force_insert=True)
        head.last_hash, head.last_id = row.hash, row.pk
        head.save(update_fields=["last_hash", "last_id"])
    return row


def personal_data_access_record(*, request, applicant: Applicant | int | None, kind: str, obj=None,
                                detail: str = "") -> PersonalDataAccess | None:
    """Record that the member of staff behind ``request`` was shown ``applicant``'s personal data.

    ``kind``: a PersonalDataAccess.Kind; ``obj``: the row shown (case, material, document's case, …);
    ``applicant``: the person, or their id (None for an export of many people: say what in ``detail``).
    """
    user = request.user
    if not (user.is_authenticated and user.is_staff):
        return None
    if kind not in Kind.values or kind == Kind.PURGE:
        raise ValueError(f"unknown personal data access kind {kind!r}")
    return _append(
        user=user, applicant_id=getattr(applicant, "pk", applicant), kind=kind,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "", detail=detail, address=client_address(request),
    )


def personal_data_view(kind: str, *, applicant: Callable | None = None, detail: str = ""):
    """Decorate a view (function or ``View.as_view()``) that shows staff personal data: every 2xx answer
    to a member of staff leaves a record. ``applicant(request, *args, **kwargs)`` names the person (an
    Applicant or its id); leave it out for a view of many people, such as an export::

        @personal_data_view(Kind.EXPORT, detail="公示名单")
        def publication_export(request, batch_id): ...
    """
    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                person = applicant(request, *args, **kwargs) if applicant is not None else None
                personal_data_access_record(request=request, applicant=person, kind=kind,
                                            detail=detail or request.path)
            return response

        return wrapper

    return decorate


# --- verification -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChainReport:
    intact: bool
    rows: int
    broken_id: int | None = None
    reason: str = ""


def personal_data_audit_verify() -> ChainReport:
    """Walk the chain from the anchor in id order; the first row whose hash or link is wrong is named."""
    head = PersonalDataAuditHead.objects.filter(pk=HEAD_ID).first()
    expected_prev = head.anchor_hash if head else ""
    checked, last_id = 0, head.anchor_id if head else 0
    for row in PersonalDataAccess.objects.order_by("id").iterator(chunk_size=2000):
        if row.prev_hash != expected_prev:
            return ChainReport(False, checked, row.pk, (
                f"row #{row.pk} ({row.at:%Y-%m-%d %H:%M:%S}) does not follow the row before it "
                f"(#{last_id}): that row was changed or removed"))
        if _hash_of(row) != row.hash:
            return ChainReport(False, checked, row.pk, (
                f"row #{row.pk} ({row.at:%Y-%m-%d %H:%M:%S}) was changed after it was written"))
        expected_prev, last_id, checked = row.hash, row.pk, checked + 1
    if head is None:
        if checked:
            return ChainReport(False, checked, None, "the chain head is missing")
        return ChainReport(True, 0)
    if head.last_hash != expected_prev or head.last_id != last_id:
        return ChainReport(False, checked, head.last_id, (
            f"rows after #{last_id} are missing: the chain head ends at #{head.last_id}"))
    return ChainReport(True, checked)


# --- retention ----------------------------------------------------------------------------------------

def retention_months() -> int:
    months = int(getattr(settings, "PERSONAL_DATA_AUDIT_RETENTION_MONTHS", MINIMUM_RETENTION_MONTHS))
    if months < MINIMUM_RETENTION_MONTHS:
        raise ValueError(f"personal data access records are kept at least {MINIMUM_RETENTION_MONTHS} months")
    return months


def months_before(moment: datetime, months: int) -> datetime:
    """The same wall-clock moment ``months`` months earlier (the last day of a shorter month)."""
    import calendar

    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def personal_data_audit_purge(*, now: datetime | None = None) -> int:
    """Delete the rows older than the retention period (a prefix of the chain), keep the hash before the
    first kept row as the chain's anchor, and record the purge itself as a row. Safe to re-run."""
    now = now or timezone.now()
    cutoff = months_before(timezone.localtime(now), retention_months())
    with transaction.atomic():
        head = _locked_head()
        first_kept = PersonalDataAccess.objects.filter(at__gte=cutoff).order_by("id").values_list("id", flat=True)
        boundary = first_kept.first() or head.last_id + 1
        last_purged = (
            PersonalDataAccess.objects.filter(id__lt=boundary).order_by("-id").values_list("id", "hash").first()
        )
        if last_purged is None:
            return 0
        if connection.vendor == "postgresql":
            # the trigger lets the purge delete only rows older than the cut-off it declares here
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('hukou.audit_purge_before', %s, true)", [cutoff.isoformat()])
        deleted, _ = PersonalDataAccess.objects.filter(id__lt=boundary).delete()
        head.anchor_id, head.anchor_hash = last_purged
        head.save(update_fields=["anchor_id", "anchor_hash"])
        _append(user=None, applicant_id=None, kind=Kind.PURGE,
                detail=f"retention purge: {deleted} rows before {cutoff:%Y-%m-%d %H:%M} deleted "
                       f"(kept {retention_months()} months)")
    return deleted
