"""When each program's entitlement is in force, from the dated facts of the person (绍柯 二(二)4–5).

The amounts, caps, periods and families live in the policy table (policies.SubsidyProgram); what the
notice says about *when* a program pays is here, keyed by program code. A program the policy admin
adds later without a rule here pays from the settlement date until the hukou moves out.

- ``starts_with``: facts that must all have happened; the entitlement is in force from the latest of
  them (and never before the settlement date). While one is missing it waits.
- ``stops_with``: the first of these facts stops it for good (a stop dated before the settlement counts
  from the settlement date; a move-out before the settlement belongs to an earlier one and is ignored).
- ``needs_employer``: the reward of 二(二)5 is for an employer-guided settlement: it waits until the guiding
  employer (with its unified social credit code) is recorded on the 5-year commitment.
"""

from __future__ import annotations

from dataclasses import dataclass

GRADUATED, EMPLOYED, EMPLOYER_CHANGED, HUKOU_MOVED_OUT = "graduated", "employed", "employer_changed", "hukou_moved_out"
# Facts of a settled person, recorded as dated events; the labels are the clerks'.
FACT_KINDS = {
    GRADUATED: "毕业",
    EMPLOYED: "就业",
    EMPLOYER_CHANGED: "更换用人单位",
    HUKOU_MOVED_OUT: "户口迁出",
}


@dataclass(frozen=True)
class ProgramRule:
    starts_with: tuple[str, ...] = ()
    stops_with: tuple[str, ...] = (HUKOU_MOVED_OUT,)
    needs_employer: bool = False


PROGRAM_RULES: dict[str, ProgramRule] = {
    # 毕业未就业的落户学生: from graduation; stops for good at employment or move-out; at most 6 months.
    "kq.stipend": ProgramRule(starts_with=(GRADUATED,), stops_with=(EMPLOYED, HUKOU_MOVED_OUT)),
    # 新增就业高校毕业生: from the later of graduation and employment; each year needs the hukou in Keqiao.
    "kq.anxin": ProgramRule(starts_with=(GRADUATED, EMPLOYED), stops_with=(HUKOU_MOVED_OUT,)),
    # 用人单位引导落户并承诺五年内不迁出: paid once to the settler and once to the employer.
    "kq.reward_settler": ProgramRule(stops_with=(HUKOU_MOVED_OUT,), needs_employer=True),
    # The employer is rewarded only while it is still the settler's employer.
    "kq.reward_employer": ProgramRule(stops_with=(HUKOU_MOVED_OUT, EMPLOYER_CHANGED), needs_employer=True),
}
DEFAULT_RULE = ProgramRule()


def program_rule(code: str) -> ProgramRule:
    return PROGRAM_RULES.get(code, DEFAULT_RULE)
