"""When an entitlement is in force, from the dated facts of the person (绍柯 二(二)4–5).

Who is entitled, and the facts that start and stop each program, are policy data (policies.SubsidyProgram:
``conditions``, ``starts_with``, ``stops_with``); this module only reads them:

- ``starts_with``: facts that must all have happened; the entitlement is in force from the latest of
  them (and never before the settlement date). While one is missing it waits.
- ``stops_with``: the first of these facts stops it for good (a stop dated before the settlement counts
  from the settlement date; a move-out before the settlement belongs to an earlier one and is ignored).
- ``needs_employer``: the rewards of 二(二)5 are for an employer-guided settlement: they wait until the
  guiding employer (with its unified social credit code) is recorded on the 5-year commitment.
"""

from __future__ import annotations

from dataclasses import dataclass

from policies.models import FACT_EVENT_KINDS, SubsidyProgram

GRADUATED, EMPLOYED, EMPLOYER_CHANGED, HUKOU_MOVED_OUT = "graduated", "employed", "employer_changed", "hukou_moved_out"
FACT_KINDS = FACT_EVENT_KINDS  # code -> the clerks' label


@dataclass(frozen=True)
class ProgramRule:
    starts_with: tuple[str, ...] = ()
    stops_with: tuple[str, ...] = (HUKOU_MOVED_OUT,)
    needs_employer: bool = False


def program_rule(program: SubsidyProgram) -> ProgramRule:
    return ProgramRule(
        starts_with=tuple(program.starts_with or ()),
        stops_with=tuple(program.stops_with or ()),
        needs_employer=employer_guided(program),
    )


def employer_guided(program: SubsidyProgram) -> bool:
    """二(二)5: a reward for an employer-guided settlement (with a commitment), or one paid to the employer."""
    return bool(program.commitment_years) or program.beneficiary == SubsidyProgram.Beneficiary.EMPLOYER
