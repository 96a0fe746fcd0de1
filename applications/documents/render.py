"""The case's PDF documents (weasyprint), drawn from the case and its history, never from "today":
the same document comes out whenever it is printed again.

- ``receipt``       受理回执: once the case has been accepted (受理).
- ``correction``    补正材料一次性告知书: once a correction notice was issued.
- ``not_accepted``  不予受理通知书: a case decided not accepted.
- ``refused``       不予批准通知书: a case decided refused.

Needs Pango and a font with Chinese glyphs on the machine (scripts/lib.sh: ensure_pdf_libraries).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

from applications.errors import ApplicationError
from applications.formatting import chinese_date
from applications.models import Application, ApplicationState, ApplicationTransition, CorrectionNotice

S = ApplicationState

DOCUMENT_KINDS: dict[str, str] = {
    "receipt": "受理回执",
    "correction": "补正材料一次性告知书",
    "not_accepted": "不予受理通知书",
    "refused": "不予批准通知书",
}


def office_name(jurisdiction) -> str:
    """The place in full below the province: 绍兴市柯桥区, 杭州市区, 嘉兴市."""
    names = []
    node = jurisdiction
    while node is not None and node.parent_id is not None:  # the root (浙江省) is not repeated
        names.append(node.name)
        node = node.parent
    place = ""
    for name in reversed(names):
        # 杭州市 + 杭州市区 reads 杭州市区, not 杭州市杭州市区
        place = name if place and name.startswith(place) else place + name
    return place or jurisdiction.name


@dataclass(frozen=True)
class _Case:
    application: Application
    snapshot: dict
    transitions: list[ApplicationTransition]

    def last(self, target: str) -> ApplicationTransition | None:
        return next((t for t in reversed(self.transitions) if t.target == target and t.source != target), None)


def _load(application: Application) -> _Case:
    application = (
        Application.objects.select_related("applicant", "route__document", "jurisdiction__parent__parent")
        .prefetch_related("family_members")
        .get(pk=application.pk)
    )
    transitions = list(application.transitions.all())
    snapshot = application.route_snapshot or {}
    return _Case(application=application, snapshot=snapshot, transitions=transitions)


def _common(case: _Case, kind: str) -> dict:
    application = case.application
    route = application.route
    snapshot = case.snapshot
    applicant = application.applicant
    office = office_name(application.jurisdiction)
    return {
        "kind": kind,
        "title": DOCUMENT_KINDS[kind],
        "case_number": application.case_number,
        "applicant_name": applicant.real_name,
        "applicant_id_masked": applicant.id_number_masked,
        "route_name": snapshot.get("name") or route.name,
        "route_code": snapshot.get("code") or route.code,
        "citation": snapshot.get("citation") or route.citation,
        "submitted_on": chinese_date(application.submitted_at),
        "office": office,
        "issuer": f"{office}落户业务受理窗口",
        "family": [
            {"relation": member.get_relation_display(), "name": member.real_name, "id_masked": member.id_number_masked}
            for member in application.family_members.all()
        ],
        "promised_working_days": snapshot.get("promised_working_days") or route.promised_working_days,
    }


def _receipt(case: _Case) -> dict:
    accepted = case.last(S.ACCEPTED)
    if accepted is None:
        raise ApplicationError("kind", "该办件尚未受理，没有受理回执")
    resubmitted = case.last(S.RESUBMITTED)
    return {
        "accepted_on": chinese_date(accepted.at),
        "resubmitted_on": chinese_date(resubmitted.at) if resubmitted else "",
        "clock_started_on": chinese_date(case.application.clock_started_on),
        "due_on": chinese_date(case.application.due_date),
        "issued_on": chinese_date(accepted.at),
    }


def _correction(case: _Case) -> dict:
    notice: CorrectionNotice | None = case.application.correction_notices.order_by("-issued_at").first()
    if notice is None:
        raise ApplicationError("kind", "该办件没有补正通知，没有一次性告知书")
    return {
        "items": [
            {"name": item.get("name") or item.get("code", ""), "reason": item.get("reason", "")}
            for item in notice.items
        ],
        "answered_on": chinese_date(notice.answered_at),
        "issued_on": chinese_date(notice.issued_at),
    }


def _decision(case: _Case, state: str, message: str) -> dict:
    application = case.application
    if application.state != state:
        raise ApplicationError("kind", message)
    decided = case.last(state)
    return {
        "condition": application.decision_condition,
        "reason": application.decision_reason,
        "reason_sentence": application.decision_reason.rstrip("。．.；;，, ") + "。",
        "decided_on": chinese_date(decided.at if decided else application.updated_at),
        "issued_on": chinese_date(decided.at if decided else application.updated_at),
    }


def document_context(*, application: Application, kind: str) -> dict:
    """What the template of ``kind`` shows; ApplicationError("kind") when the case has no such document."""
    if kind not in DOCUMENT_KINDS:
        raise ApplicationError("kind", "未知的文书类型，可选：" + "、".join(DOCUMENT_KINDS))
    case = _load(application)
    if kind == "receipt":
        specific = _receipt(case)
    elif kind == "correction":
        specific = _correction(case)
    elif kind == "not_accepted":
        specific = _decision(case, S.NOT_ACCEPTED, "该办件没有不予受理的决定")
    else:
        specific = _decision(case, S.REFUSED, "该办件没有不予批准的决定")
    return {**_common(case, kind), **specific}


def document_html(*, application: Application, kind: str) -> str:
    context = document_context(application=application, kind=kind)
    return render_to_string(f"documents/{kind}.html", context)


def document_render(*, application: Application, kind: str) -> bytes:
    """The PDF of one document of a case (bytes); ApplicationError("kind") if the case has none of that kind."""
    html = document_html(application=application, kind=kind)
    from weasyprint import HTML  # imported here: loading Pango is slow and only the documents need it

    return HTML(string=html).write_pdf()


def document_filename(*, application: Application, kind: str) -> str:
    return f"{application.case_number}-{kind}.pdf"
