"""随迁: whether a relative may follow the applicant, from what the ID number says and what the route
allows. Checked when the follower is added and again at submission (on the submission date)."""

from __future__ import annotations

from datetime import date

from stdnum.cn import ric

from applications.errors import ApplicationError
from applications.models import Application, FamilyMember
from policies.eligibility.conditions import age_on
from policies.models import Follower, SettlementRoute

ADULT_AGE = 18  # 未成年: under 18 on the day


def _relation_name(relation: str) -> str:
    return str(Follower(relation).label) if relation in Follower.values else relation


def follower_check(*, route: SettlementRoute, facts: dict, relation: str, id_number: str,
                   lives_with_applicant: bool | None, on: date, who: str = "") -> None:
    """Raise ApplicationError naming the field (and, with ``who``, the follower) if this relative may
    not follow: a relation the route does not allow; a 'minor' child who is 18 or older on ``on``; a
    spouse of an applicant who is not married; a child not younger, or a parent not older, than the
    applicant; a follower who does not live with the applicant where the route requires it (嘉政 一)."""
    prefix = f"随迁人员 {who}：" if who else ""
    if relation not in route.followers:
        names = "、".join(_relation_name(code) for code in route.followers) or "（该途径不允许随迁）"
        raise ApplicationError("relation", f"{prefix}该落户途径不允许此随迁关系；可随迁：{names}")
    born = ric.get_birth_date(id_number)
    applicant_born = date.fromisoformat(facts["birth_date"]) if facts.get("birth_date") else None
    if relation == Follower.MINOR_CHILD and age_on(born, on) >= ADULT_AGE:
        raise ApplicationError("relation", f"{prefix}身份证号显示出生于 {born:%Y-%m-%d}，"
                                           f"到 {on:%Y-%m-%d} 已满 {ADULT_AGE} 周岁，不是未成年子女")
    if relation == Follower.SPOUSE and facts.get("marital_status") != "married":
        raise ApplicationError("relation", f"{prefix}申请人申报的婚姻状况不是已婚，不能随迁配偶")
    if applicant_born and relation in (Follower.CHILD, Follower.MINOR_CHILD) and born <= applicant_born:
        raise ApplicationError("id_number", f"{prefix}身份证号显示出生于 {born:%Y-%m-%d}，不晚于申请人，不能是其子女")
    if applicant_born and relation == Follower.PARENT and born >= applicant_born:
        raise ApplicationError("id_number", f"{prefix}身份证号显示出生于 {born:%Y-%m-%d}，不早于申请人，不能是其父母")
    if route.followers_cohabit and lives_with_applicant is not True:
        raise ApplicationError("lives_with_applicant", f"{prefix}随迁人员须与申请人共同居住生活（{route.citation}）")


def followers_check_all(*, application: Application, on: date) -> None:
    """At submission: every follower again, under the route of the day and on the submission date."""
    members: list[FamilyMember] = list(application.family_members.order_by("id"))
    for member in members:
        follower_check(
            route=application.route, facts=application.facts or {}, relation=member.relation,
            id_number=member.id_number, lives_with_applicant=member.lives_with_applicant, on=on,
            who=f"{member.real_name}（{_relation_name(member.relation)}）",
        )
