"""How the portal shows a case: Chinese place names, working days left, the checklist's state, the
documents that exist and the timeline in the applicant's words. Display only: the services decide."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from applications.documents.render import DOCUMENT_KINDS
from applications.formatting import chinese_date as chinese_day
from applications.models import Application, ApplicationState
from applications.selectors import application_checklist
from applications.services.appointments import BOOKABLE_STATES
from applications.services.ratings import RATEABLE_STATES
from policies.models import Follower, Jurisdiction
from subsidies.money import yuan

S = ApplicationState
# While the working-day clock runs (it restarts when a correction is answered; a decision stops it).
CLOCK_STATES = {S.SUBMITTED, S.ACCEPTED, S.RESUBMITTED, S.UNDER_REVIEW}
OPEN = {S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.CORRECTION_REQUESTED, S.RESUBMITTED, S.UNDER_REVIEW, S.APPROVED}
FOLLOWER_LABELS = {
    Follower.SPOUSE: "配偶",
    Follower.CHILD: "子女",
    Follower.MINOR_CHILD: "未成年子女",
    Follower.PARENT: "父母",
    Follower.SPOUSE_PARENT: "配偶的父母",
}
STATE_TONE = {
    S.DRAFT: "muted", S.SUBMITTED: "info", S.ACCEPTED: "info", S.CORRECTION_REQUESTED: "warn",
    S.RESUBMITTED: "info", S.UNDER_REVIEW: "info", S.APPROVED: "ok", S.REGISTERED: "ok",
    S.REFUSED: "bad", S.NOT_ACCEPTED: "bad", S.WITHDRAWN: "muted",
}
STATE_LABELS = {
    S.DRAFT: "草稿", S.SUBMITTED: "已提交，待受理", S.ACCEPTED: "已受理", S.CORRECTION_REQUESTED: "需补正材料",
    S.RESUBMITTED: "已补正，待受理", S.UNDER_REVIEW: "审核中", S.APPROVED: "已批准，待落户登记",
    S.REGISTERED: "已落户", S.REFUSED: "不予批准", S.NOT_ACCEPTED: "不予受理", S.WITHDRAWN: "已撤回",
}
# What each audited step is called on the applicant's timeline; steps not listed (a clerk claiming
# the case) are internal and not shown. The second item: whether the applicant did it.
TIMELINE_STEPS = {
    "submit": ("提交申请", True),
    "accept": ("受理", False),
    "not_accept": ("不予受理", False),
    "request_correction": ("要求补正材料（一次性告知）", False),
    "resubmit": ("补正后重新提交", True),
    "start_review": ("进入审核", False),
    "approve": ("审批通过", False),
    "refuse": ("不予批准", False),
    "register": ("完成落户登记", False),
    "withdraw": ("撤回申请", True),
    "visit_booked": ("预约到窗口办理", True),
    "postal_chosen": ("选择邮寄送达", True),
    "rated": ("评价服务", True),
    "rating_followup_resolved": ("差评整改办结", False),
}
# Steps whose note the applicant should read (the clerk's note on others may be internal).
TIMELINE_NOTES = {"not_accept", "request_correction", "refuse", "withdraw", "visit_booked", "postal_chosen",
                  "rated", "rating_followup_resolved"}


def place_labels() -> dict[int, dict]:
    """Every place by id: its full name below the province (绍兴市柯桥区) and its city's name."""
    rows = list(Jurisdiction.objects.values_list("id", "code", "name", "level", "parent_id"))
    by_id = {row[0]: row for row in rows}
    labels = {}
    for pk, code, name, level, _parent in rows:
        chain, node = [], by_id[pk]
        while node is not None and node[4] is not None:
            chain.append(node)
            node = by_id.get(node[4])
        full = ""
        for item in reversed(chain):
            full = item[2] if full and item[2].startswith(full) else full + item[2]
        city = next((item[2] for item in chain if item[3] == Jurisdiction.Level.CITY), name)
        labels[pk] = {"code": code, "name": name, "full": full or name, "city": city, "level": level,
                      "is_root": _parent is None, "parent_code": by_id[_parent][1] if _parent in by_id else None}
    return labels


def days_left_text(days: int | None) -> str:
    if days is None:
        return ""
    if days > 0:
        return f"还剩 {days} 个工作日"
    if days == 0:
        return "今天是承诺办结日"
    return f"已超过承诺日期 {-days} 个工作日"


def chinese_date(value) -> str:
    """2026年3月2日, with the time (Asia/Shanghai) when ``value`` is a moment."""
    if isinstance(value, datetime):
        return f"{chinese_day(value)} {timezone.localtime(value):%H:%M}"
    return chinese_day(value)


@dataclass
class ChecklistRow:
    code: str
    name: str
    required: bool
    note: str = ""
    files: list = field(default_factory=list)
    needs_fix: str = ""  # the correction notice's reason, when this item must be corrected
    fixed: bool = False
    error: str = ""  # why the last upload for this item was refused

    @property
    def done(self) -> bool:
        return bool(self.files)


def checklist_rows(application: Application, materials: list, notice=None) -> list[ChecklistRow]:
    checklist = application_checklist(application)
    by_code: dict[str, list] = {}
    for material in materials:
        by_code.setdefault(material.checklist_code, []).append(material)
    fixes = {item["code"]: item.get("reason") or "请重新提交" for item in (notice.items if notice else [])}
    rows = []
    for item in checklist:
        files = by_code.get(item["code"], [])
        row = ChecklistRow(item["code"], item["name"], item.get("required", True), item.get("note", ""), files)
        if item["code"] in fixes:
            row.needs_fix = fixes[item["code"]]
            row.fixed = any(m.uploaded_at > notice.issued_at for m in files)
        rows.append(row)
    return rows


def timeline(entries: list[dict]) -> list[dict]:
    shown = []
    for entry in entries:
        step = TIMELINE_STEPS.get(entry["transition"])
        if step is None:
            continue
        label, by_applicant = step
        shown.append({
            "at": chinese_date(entry["at"]),
            "label": label,
            "by": "本人" if by_applicant else "办理人员",
            "note": entry["reason"] if entry["transition"] in TIMELINE_NOTES else "",
            "to": STATE_LABELS.get(entry["to"], entry["to"]),
        })
    return shown


def documents_available(application: Application, entries: list[dict], has_notice: bool) -> list[tuple[str, str]]:
    """(kind, title) of the PDF documents this case has (documents.render refuses the others)."""
    kinds = []
    if any(e["to"] == S.ACCEPTED and e["from"] != S.ACCEPTED for e in entries):
        kinds.append("receipt")
    if has_notice:
        kinds.append("correction")
    if application.state == S.NOT_ACCEPTED:
        kinds.append("not_accepted")
    if application.state == S.REFUSED:
        kinds.append("refused")
    return [(kind, DOCUMENT_KINDS[kind]) for kind in kinds]


def can_book(application: Application) -> bool:
    return application.state in BOOKABLE_STATES


def can_rate(application: Application) -> bool:
    return application.state in RATEABLE_STATES


_PERIODS = {"month": ("每月", "个月"), "year": ("每年", "年"), "once": ("一次性", "次")}


def program_rows(programs: list[dict], beneficiaries: dict[str, str]) -> list[dict]:
    """落户后可享受的补贴: each program of a route's result, with its amount in words (yuan from integer
    fen, no float), the entitled ones first."""
    rows = []
    for program in programs:
        every, unit = _PERIODS.get(program["period"], ("每期", "期"))
        amount = yuan(program["amount_fen"]).removesuffix(".00")
        text = f"{every} {amount} 元"
        if program["period"] != "once":
            text += f"，最长 {program['max_periods']} {unit}"
        rows.append({**program, "amount_text": text, "to_employer": beneficiaries.get(program["code"]) == "employer"})
    return sorted(rows, key=lambda row: not row["entitled"])
