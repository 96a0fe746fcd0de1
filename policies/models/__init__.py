from policies.models.calendar import WorkingCalendarDay
from policies.models.documents import PolicyDocument
from policies.models.honours import Honour
from policies.models.jurisdictions import Jurisdiction
from policies.models.points import PointsBand, PointsIndicator, PointsScheme
from policies.models.programs import FACT_EVENT_KINDS, HousingProgram, SubsidyProgram
from policies.models.routes import AddressOption, Follower, SettlementRoute
from policies.models.targets import (
    Indicator,
    IndicatorFigure,
    ProgramBudget,
    StatutoryTimeLimit,
    Target,
)

__all__ = [
    "FACT_EVENT_KINDS",
    "AddressOption",
    "Follower",
    "Honour",
    "HousingProgram",
    "Indicator",
    "IndicatorFigure",
    "Jurisdiction",
    "PointsBand",
    "PointsIndicator",
    "PointsScheme",
    "PolicyDocument",
    "ProgramBudget",
    "SettlementRoute",
    "StatutoryTimeLimit",
    "SubsidyProgram",
    "Target",
    "WorkingCalendarDay",
]
