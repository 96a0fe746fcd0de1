"""Building blocks for the seeded criteria (they produce plain JsonLogic; the tables hold the result)."""

ZHEJIANG_IN_FORCE = "2023-07-07"  # 浙政办发〔2023〕41号: YRD social-insurance months count from here


def var(path: str) -> dict:
    return {"var": path}


def cond(label: str, rule: dict) -> dict:
    return {"label": label, "rule": rule}


def is_true(path: str) -> dict:
    return {"==": [var(path), True]}


def is_false(path: str) -> dict:
    return {"==": [var(path), False]}


def all_of(*rules: dict) -> dict:
    return {"and": list(rules)}


def any_of(*rules: dict) -> dict:
    return {"or": list(rules)}


def one_of(path: str, values: list[str]) -> dict:
    return {"in": [var(path), values]}


AGE = {"age": []}


def age_below(years: int) -> dict:
    """以下（不含本数）: strictly younger than ``years``."""
    return {"<": [AGE, years]}


def age_at_most(years: int) -> dict:
    """（含）以下: ``years`` or younger."""
    return {"<=": [AGE, years]}


def age_at_least(years: int) -> dict:
    """年满: reached ``years`` on or before the evaluation date."""
    return {">=": [AGE, years]}


COLLEGE_OR_ABOVE = ["junior_college", "bachelor", "master", "doctor"]
POSTGRADUATE = ["master", "doctor"]
TECHNICIAN_OR_ABOVE = ["level2", "level1"]
SENIOR_WORKER_OR_ABOVE = ["level3", "level2", "level1"]

EMPLOYED_IN_TARGET = all_of(is_true("employment.employed"), is_true("employment.in_target"))

# Social-insurance months: local months, plus months transferred from the Yangtze River Delta
# on and after the province notice's in-force date (浙政 二(三)).
SOCIAL_INSURANCE_MONTHS = {
    "+": [
        var("social_insurance.local_months"),
        {
            "if": [
                {">=": [{"eval_date": []}, {"date": ZHEJIANG_IN_FORCE}]},
                var("social_insurance.yrd_transferred_months"),
                0,
            ]
        },
    ]
}
# Hangzhou's skilled routes: only months the employer paid normally, not back-paid (杭政 二(二)).
NORMALLY_PAID_MONTHS = {"-": [var("social_insurance.local_months"), var("social_insurance.back_paid_months")]}


def social_insurance_at_least(months: int) -> dict:
    return {">=": [SOCIAL_INSURANCE_MONTHS, months]}


def sex_age_at_least(men: int, women: int) -> dict:
    return any_of(
        all_of({"==": [var("sex"), "M"]}, age_at_least(men)),
        all_of({"==": [var("sex"), "F"]}, age_at_least(women)),
    )


def sex_age_below(men: int, women: int) -> dict:
    """Not yet 年满: a man under ``men`` or a woman under ``women``."""
    return {"!": [sex_age_at_least(men, women)]}


UNMARRIED = any_of({"==": [var("marital_status"), "single"]}, {"==": [var("marital_status"), None]})
