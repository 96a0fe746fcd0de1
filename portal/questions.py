"""The self-check questionnaire: plain-Chinese questions for the facts the routes in force need.

Which facts a route needs is read from its criteria (the ``var`` references of its JsonLogic rules,
plus the points indicators when a rule uses points); the engine itself decides eligibility. Each
fact of the facts contract (policies/data/facts.schema.json) has one question below, written for
a person, not a lawyer; ``{place}`` and ``{city}`` are filled with the chosen place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from policies.eligibility.catalogue import get_catalogue
from policies.eligibility.conditions import rule_variables
from policies.models import SettlementRoute

YES_NO = [("0", "否"), ("1", "是")]


@dataclass(frozen=True)
class Question:
    path: str
    label: str
    kind: str  # date | sex | bool | months | number | choice | multi
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    required: bool = False


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    note: str = ""


GROUPS = [
    Group("basic", "基本情况"),
    Group("hukou", "户口现在在哪里"),
    Group("education", "学历"),
    Group("skills", "职称、技能与荣誉"),
    Group("employment", "工作"),
    Group("social_insurance", "社会保险"),
    Group("residence", "住房与居住"),
    Group("business", "投资经营"),
    Group("joining", "投靠亲属",
          "如果您是投靠亲属（父母、子女、配偶等）落户，请填写；不是投靠的，第一项选“不是投靠亲属”即可。"),
    Group("points", "居住证积分"),
]

_Q = Question
QUESTIONS: dict[str, Question] = {
    q.path: q
    for q in [
        _Q("birth_date", "出生日期", "date", required=True, help="按身份证填写。"),
        _Q("sex", "性别", "sex", (("M", "男"), ("F", "女")), required=True),
        _Q("marital_status", "婚姻状况", "choice",
           (("single", "未婚"), ("married", "已婚"), ("divorced", "离异"), ("widowed", "丧偶"))),
        _Q("hukou.in_target", "您的户口是否已经在{place}？", "bool"),
        _Q("hukou.in_target_city", "您的户口是否已经在{city}（包括{city}下辖的各区、县、市）？", "bool"),
        _Q("hukou.in_target_urban_area", "您的户口是否已经在{city}市区（城镇）？", "bool"),
        _Q("hukou.in_yrd", "您的户口是否在长三角地区（上海、江苏、浙江、安徽）？", "bool"),
        _Q("hukou.rural", "您现在是农村户口吗？", "bool"),
        _Q("address_lost", "您是否因下列原因，失去了在现户口所在地址继续登记户口的条件？", "choice",
           (("land_expropriation", "土地征收"), ("house_expropriation", "房屋征迁"),
            ("property_transfer", "房屋产权转移（出售、赠与等）"), ("divorce", "离婚"), ("other", "其他原因")),
           help="户口已在{place}、但原住址不能再登记户口的才需选择；没有可不选。"),
        _Q("education", "最高学历", "choice",
           (("none", "无"), ("high_school", "高中"), ("secondary_vocational", "中专、职高或技校"),
            ("junior_college", "大专"), ("bachelor", "本科"), ("master", "硕士研究生"),
            ("doctor", "博士研究生"))),
        _Q("general_college", "这个学历是普通高校全日制学历吗？", "bool",
           help="成人教育、自学考试等选“否”。"),
        _Q("graduation_date", "毕业日期", "date", help="按毕业证书填写；尚未毕业可不填。"),
        _Q("overseas_returnee", "您是留学回国人员吗？", "bool"),
        _Q("student.enrolled", "您现在是在校大学生吗？", "bool"),
        _Q("student.school_in_target", "您就读的学校在{place}吗？", "bool"),
        _Q("student.intern_or_intent_in_target", "您在{place}见习、实习，或打算在{place}就业创业吗？", "bool"),
        _Q("professional_title", "专业技术职称", "choice",
           (("none", "没有"), ("junior", "初级"), ("intermediate", "中级"), ("associate_senior", "副高级"),
            ("senior", "正高级"))),
        _Q("vocational_level", "职业资格或职业技能等级", "choice",
           (("none", "没有"), ("level5", "五级（初级工）"), ("level4", "四级（中级工）"),
            ("level3", "三级（高级工）"), ("level2", "二级（技师）"), ("level1", "一级（高级技师）"))),
        # the choices are the honours policy table's (filled in by questionnaire_for)
        _Q("honors", "区（县）级及以上荣誉称号", "multi", (), help="没有可不选。"),
        _Q("employment.employed", "您现在有工作吗（签了劳动合同）？", "bool"),
        _Q("employment.in_target", "您的工作单位在{place}吗？", "bool"),
        _Q("employment.contract_months", "劳动（聘用）合同期限", "months", help="按月计，如两年填 24。"),
        _Q("employment.started_on", "现在这份工作是哪天开始的？", "date", help="按劳动合同或入职日期填写。"),
        _Q("employment.first_after_graduation", "这是您毕业后的第一份工作吗？", "bool",
           help="毕业到这份工作之间没有做过其他工作，选“是”。"),
        _Q("employment.months_in_target", "在{city}累计就业的月数", "months"),
        _Q("employment.manager_at_above_scale_enterprise", "您在规模以上企业担任中层及以上管理职务吗？", "bool"),
        _Q("social_insurance.local_months", "在{city}缴纳社会保险的月数", "months", help="包括补缴的月数。"),
        _Q("social_insurance.back_paid_months", "其中补缴的月数", "months"),
        _Q("social_insurance.yrd_transferred_months", "在长三角其他城市缴纳、已转入本地的月数", "months"),
        _Q("residence.stable_residence_in_target", "您在{place}城镇有合法稳定住所（自有或租赁）吗？", "bool"),
        _Q("residence.kind", "住所是自有还是租赁？", "choice", (("owned", "自有住房"), ("rented", "租赁住房"))),
        _Q("residence.continuous_months", "在{city}连续居住的月数", "months"),
        _Q("residence.permit", "您持有当地的《浙江省居住证》吗？", "bool"),
        _Q("residence.registration_months", "已办理居住登记的月数", "months", help="没有办理过填 0。"),
        _Q("residence.whole_family_moving", "您是全家一起迁来（举家迁徙）吗？", "bool"),
        _Q("business.runs_local_business", "您在当地经营企业或个体工商户吗？", "bool"),
        _Q("business.tax_months", "经营连续纳税的月数", "months"),
        _Q("business.social_insurance_months", "经营期间连续缴纳社会保险的月数", "months"),
        _Q("business.owns_commercial_property_in_target", "您在{place}拥有商业用房或办公用房吗？", "bool"),
        _Q("joining.relation", "您是被投靠人的什么人？", "choice",
           (("parent", "父母"), ("child", "子女"), ("spouse", "配偶"), ("lineal_relative", "其他直系亲属"),
            ("spouse_lineal_relative", "配偶的直系亲属"), ("child_spouse", "子女的配偶"))),
        _Q("joining.sponsor_adult", "被投靠人已成年吗？", "bool"),
        _Q("joining.sponsor_hukou_in_target_urban_area", "被投靠人的户口在{city}市区吗？", "bool"),
        _Q("joining.sponsor_has_stable_residence", "被投靠人有合法稳定住所吗？", "bool"),
        _Q("joining.sponsor_is_household_head", "被投靠人是户主吗？", "bool"),
        _Q("joining.sponsor_in_collective_household", "被投靠人的户口在集体户吗？", "bool"),
        _Q("joining.sponsor_is_senior_talent", "被投靠人有硕士及以上学历、副高及以上职称或高级技师资格吗？", "bool"),
        _Q("joining.owner_consents", "住所（或集体户）的所有人同意您落户吗？", "bool"),
        _Q("joining.cohabiting", "您与被投靠人共同居住吗？", "bool"),
        _Q("joining.within_same_city", "您是在同一个地级市内迁移户口吗？", "bool"),
    ]
}
_TOP_LEVEL_GROUP = {
    "birth_date": "basic", "sex": "basic", "marital_status": "basic", "education": "education",
    "general_college": "education", "graduation_date": "education", "overseas_returnee": "education",
    "professional_title": "skills", "vocational_level": "skills", "honors": "skills", "address_lost": "hukou",
}
ALWAYS_ASKED = ("birth_date", "sex")  # the facts contract requires them (ages come from the birth date)


def group_of(path: str) -> str:
    if path.startswith("student."):
        return "education"
    if path.startswith("points."):
        return "points"
    return _TOP_LEVEL_GROUP.get(path) or path.split(".")[0]


def field_name(path: str) -> str:
    return path.replace(".", "__")


def rule_uses_points(node) -> bool:
    if isinstance(node, dict):
        return any(op in {"points", "points_threshold"} or rule_uses_points(args) for op, args in node.items())
    if isinstance(node, list):
        return any(rule_uses_points(item) for item in node)
    return False


@dataclass
class Questionnaire:
    place: str
    place_name: str
    city_name: str
    route_codes: list[str]
    questions: list[Question]

    def groups(self) -> list[tuple[Group, list[Question]]]:
        by_group: dict[str, list[Question]] = {}
        for question in self.questions:
            by_group.setdefault(group_of(question.path), []).append(question)
        return [(group, by_group[group.key]) for group in GROUPS if group.key in by_group]


def _fill(text: str, place_name: str, city_name: str) -> str:
    return text.replace("{place}", place_name).replace("{city}", city_name)


def questionnaire_for(*, place: str, place_name: str, city_name: str, on: date) -> Questionnaire:
    """The questions for the routes in force at ``place`` on ``on``, in a fixed, readable order."""
    catalogue = get_catalogue()
    routes = catalogue.routes_for(place, on)
    codes = [route.code for route in routes]
    needed: set[str] = set(ALWAYS_ASKED)
    uses_points = False
    for criteria, checklist in SettlementRoute.objects.filter(code__in=codes).values_list(
            "criteria", "material_checklist"):
        for criterion in criteria:
            needed |= rule_variables(criterion.get("rule"))
            uses_points = uses_points or rule_uses_points(criterion.get("rule"))
        for item in checklist:  # materials follow the facts
            needed |= rule_variables(item.get("when"))
    # what settling would bring (绍柯 二(二)4–5): the facts the programs in force there read
    for program in catalogue.programs_for(place, on):
        needed |= program.reads - {"settlement.route"}
    if any(path.startswith("joining.") for path in needed):
        needed.add("joining.relation")  # the group starts by asking whether one joins anybody at all
    questions = []
    for path, question in QUESTIONS.items():
        if path in needed:
            choices = tuple(catalogue.honours.items()) if path == "honors" else question.choices
            questions.append(
                Question(path, _fill(question.label, place_name, city_name), question.kind, choices,
                         _fill(question.help, place_name, city_name), question.required)
            )
    for path in sorted(needed - set(QUESTIONS)):  # a fact added to the contract later: still asked
        questions.append(Question(path, path, "bool"))
    if uses_points:
        scheme = catalogue.scheme_for(place, on)
        for indicator in scheme.indicators if scheme else ():
            if indicator.source != "age":
                questions.append(Question(f"points.{indicator.code}", indicator.name, "number",
                                          help="按实际数值填写；没有填 0。"))
    return Questionnaire(place, place_name, city_name, codes, questions)


def facts_from_answers(questions: list[Question], answers: dict) -> dict:
    """The facts object (facts contract) from cleaned answers keyed by field name."""
    facts: dict = {}
    joining: dict = {}
    for question in questions:
        value = answers.get(field_name(question.path))
        if value in (None, "", [], ()):
            continue
        if question.kind == "bool":
            value = value in (True, "1")
        elif question.kind == "date":
            value = value.isoformat()
        elif question.kind == "multi":
            value = list(value)
        elif question.kind == "number":
            value = int(value) if float(value).is_integer() else float(value)
        parts = question.path.split(".")
        if parts[0] == "joining":
            joining[parts[1]] = value
            continue
        node = facts
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    if any(value not in (False, 0) for value in joining.values()):
        facts["joining"] = joining
    return facts
