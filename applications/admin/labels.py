"""Readable labels for the declared facts (field names of policies/data/facts.schema.json)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

FACT_LABELS = {
    "birth_date": _("Date of birth"),
    "sex": _("Sex"),
    "marital_status": _("Marital status"),
    "hukou": _("Current hukou"),
    "hukou.in_target": _("Hukou already in the target jurisdiction"),
    "hukou.in_target_city": _("Hukou already in the target city"),
    "hukou.in_target_urban_area": _("Hukou already in the city's urban area"),
    "hukou.in_yrd": _("Hukou in the Yangtze River Delta"),
    "education": _("Highest education"),
    "general_college": _("Degree from a general college (普通高校)"),
    "graduation_date": _("Graduation date"),
    "overseas_returnee": _("Returned from study abroad"),
    "student": _("Student"),
    "student.enrolled": _("Enrolled college student"),
    "student.school_in_target": _("College in the target jurisdiction"),
    "student.intern_or_intent_in_target": _("Interning or intending to work in the target jurisdiction"),
    "professional_title": _("Professional title"),
    "vocational_level": _("Vocational qualification"),
    "honors": _("Honours"),
    "employment": _("Employment"),
    "employment.employed": _("Employed"),
    "employment.in_target": _("Employer in the target jurisdiction"),
    "employment.contract_months": _("Labour contract (months)"),
    "employment.manager_at_above_scale_enterprise": _("Manager at an above-scale enterprise"),
    "social_insurance": _("Social insurance"),
    "social_insurance.local_months": _("Months paid locally"),
    "social_insurance.back_paid_months": _("Of which back-paid"),
    "social_insurance.yrd_transferred_months": _("Months transferred from the Yangtze River Delta"),
    "residence": _("Residence"),
    "residence.stable_residence_in_target": _("Legal stable residence in the target's urban area"),
    "residence.kind": _("Residence owned or rented"),
    "residence.continuous_months": _("Continuous residence (months)"),
    "residence.permit": _("Holds a residence permit"),
    "residence.registration_months": _("Residence registration (months)"),
    "business": _("Business"),
    "business.runs_local_business": _("Runs a local business"),
    "business.tax_months": _("Months of tax paid"),
    "business.social_insurance_months": _("Months of social insurance paid by the business"),
    "business.owns_commercial_property_in_target": _("Owns commercial or office property in the target"),
    "joining": _("Joining a relative (投靠)"),
    "joining.relation": _("Relation to the sponsor"),
    "joining.sponsor_adult": _("Sponsor is an adult"),
    "joining.sponsor_hukou_in_target_urban_area": _("Sponsor's hukou in the urban area"),
    "joining.sponsor_has_stable_residence": _("Sponsor has a legal stable residence"),
    "joining.sponsor_is_household_head": _("Sponsor is the household head"),
    "joining.sponsor_in_collective_household": _("Sponsor in a collective household"),
    "joining.sponsor_is_senior_talent": _("Sponsor is a senior talent"),
    "joining.owner_consents": _("The owner consents"),
    "joining.cohabiting": _("Living together"),
    "joining.within_same_city": _("A move within the same city"),
    "points": _("Points indicators"),
}

FACT_VALUES = {
    "sex": {"M": _("Male"), "F": _("Female")},
    "marital_status": {
        "single": _("Single"), "married": _("Married"), "divorced": _("Divorced"), "widowed": _("Widowed"),
    },
    "education": {
        "none": _("None"),
        "high_school": _("High school"),
        "secondary_vocational": _("Secondary vocational school (中专、技校)"),
        "junior_college": _("Junior college (大专)"),
        "bachelor": _("Bachelor's degree"),
        "master": _("Master's degree"),
        "doctor": _("Doctorate"),
    },
    "professional_title": {
        "none": _("None"), "junior": _("Junior"), "intermediate": _("Intermediate"),
        "associate_senior": _("Associate senior"), "senior": _("Senior"),
    },
    "vocational_level": {
        "none": _("None"),
        "level5": _("Level 5 (初级工)"),
        "level4": _("Level 4 (中级工)"),
        "level3": _("Level 3 (高级工)"),
        "level2": _("Level 2 (技师)"),
        "level1": _("Level 1 (高级技师)"),
    },
    "residence.kind": {"owned": _("Owned"), "rented": _("Rented")},
    "joining.relation": {
        "parent": _("Parent"),
        "child": _("Child"),
        "spouse": _("Spouse"),
        "lineal_relative": _("Lineal relative"),
        "spouse_lineal_relative": _("Spouse's lineal relative"),
        "child_spouse": _("Child's spouse"),
    },
}


def _honour_names() -> dict[str, str]:
    """Honour codes are the policy table's (withdrawn ones too: an old case may carry them)."""
    from policies.models import Honour

    return dict(Honour.objects.values_list("code", "name"))


_ORDER = {path: index for index, path in enumerate(FACT_LABELS)}


def _value(path: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    choices = _honour_names() if path == "honors" else FACT_VALUES.get(path, {})
    if isinstance(value, list):
        return "、".join(str(choices.get(item, item)) for item in value) or "—"
    return str(choices.get(value, value))


def facts_rows(facts: dict | None) -> list[dict]:
    """The facts as (depth, label, value) rows in schema order, nested objects indented under a heading."""
    rows: list[dict] = []

    def walk(node: dict, prefix: str, depth: int) -> None:
        # jsonb does not keep the key order: show the schema's order, unknown keys last
        for key in sorted(node, key=lambda k: (_ORDER.get(f"{prefix}{k}", len(_ORDER)), k)):
            value, path = node[key], f"{prefix}{key}"
            label = str(FACT_LABELS.get(path, key))
            if isinstance(value, dict):
                rows.append({"depth": depth, "label": label, "value": "" if value else "—", "group": True})
                # points keys are indicator codes, not schema fields: show them as they are
                walk(value, "" if path == "points" else f"{path}.", depth + 1)
            else:
                rows.append({"depth": depth, "label": label, "value": _value(path, value), "group": False})

    walk(facts or {}, "", 0)
    return rows
