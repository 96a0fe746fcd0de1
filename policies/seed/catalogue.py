"""The policy catalogue as published in the four notices of shared/seeds (each row cites its clause).

Loaded by the data migration policies.0002; afterwards the tables belong to the policy admin.
"""

from policies.seed.rules import (
    AGE,
    COLLEGE_OR_ABOVE,
    EMPLOYED_IN_TARGET,
    NORMALLY_PAID_MONTHS,
    POSTGRADUATE,
    SENIOR_WORKER_OR_ABOVE,
    TECHNICIAN_OR_ABOVE,
    UNMARRIED,
    age_at_most,
    age_below,
    all_of,
    any_of,
    cond,
    is_false,
    is_true,
    one_of,
    sex_age_at_least,
    sex_age_below,
    social_insurance_at_least,
    var,
)

KQ = "绍柯政办发〔2020〕1号"
JX = "嘉政办发〔2020〕28号"
HZ = "杭政办函〔2023〕33号"
ZJ = "浙政办发〔2023〕41号"

JURISDICTIONS = [
    # code, name, level, parent
    ("zj", "浙江省", "province", None),
    ("hz", "杭州市", "city", "zj"),
    ("hz.city", "杭州市区", "urban_area", "hz"),
    ("hz.tonglu", "桐庐县", "county", "hz"),
    ("hz.chunan", "淳安县", "county", "hz"),
    ("hz.jiande", "建德市", "county", "hz"),
    ("jx", "嘉兴市", "city", "zj"),
    ("sx", "绍兴市", "city", "zj"),
    ("sx.kq", "柯桥区", "district", "sx"),
]

DOCUMENTS = [
    {
        "number": KQ,
        "title": "绍兴市柯桥区人民政府办公室关于印发加快人口集聚促进高质量发展实施意见的通知",
        "issuer": "绍兴市柯桥区人民政府办公室",
        "issued_on": "2020-01-19",
        "in_force_from": "2020-02-01",
    },
    {
        "number": JX,
        "title": "嘉兴市人民政府办公室关于进一步加快推进全市户籍制度改革的通知",
        "issuer": "嘉兴市人民政府办公室",
        "issued_on": "2020-06-03",
        "in_force_from": "2020-08-01",
    },
    {
        "number": HZ,
        "title": "杭州市人民政府办公厅关于进一步深化户籍制度改革的实施意见",
        "issuer": "杭州市人民政府办公厅",
        "issued_on": "2023-04-07",
        "in_force_from": "2023-05-08",
    },
    {
        "number": ZJ,
        "title": "浙江省人民政府办公厅关于高质量推进户籍制度改革的通知",
        "issuer": "浙江省人民政府办公厅",
        "issued_on": "2023-07-07",
        "in_force_from": "2023-07-07",
    },
]

# --- material checklists ---------------------------------------------------------------------
def item(code: str, name: str, required: bool = True) -> dict:
    return {"code": code, "name": name, "required": required}


IDENTITY = [item("id_card", "居民身份证"), item("hukou_booklet", "居民户口簿（户口迁出地）")]
FAMILY_PROOF = item("family_relation", "随迁人员关系证明（结婚证、出生医学证明等）", required=False)
DIPLOMA = item("diploma", "毕业证书（或学历认证报告）")
CONTRACT = item("labour_contract", "劳动（聘用）合同")
SOCIAL_INSURANCE = item("social_insurance_record", "社会保险缴纳证明")
RESIDENCE_PERMIT = item("residence_permit", "《浙江省居住证》或居住登记凭证")
PROPERTY = item("property_certificate", "房屋权属证明")
RENTAL = item("rental_registration", "房屋租赁登记备案证明")
RELATION = item("relation_proof", "与被投靠人关系证明")
SPONSOR_RESIDENCE = item("sponsor_residence", "被投靠人合法稳定住所证明")


def when(checklist_item: dict, rule: dict) -> dict:
    """Materials follow the facts: the item is asked only when ``rule`` holds over the facts."""
    return {**checklist_item, "when": rule}


RENTER = {"==": [var("residence.kind"), "rented"]}
NOT_RENTER = {"!=": [var("residence.kind"), "rented"]}
# 杭政 二(二) 在市区有合法稳定住所: an owner shows the property certificate, a renter the lease registration
HOME_PROOF = [when(PROPERTY, NOT_RENTER), when(RENTAL, RENTER)]

FULL_PRECEDENCE = [
    "own_residence",
    "relative_household",
    "employer_collective",
    "school_collective",
    "talent_collective",
    "community_collective",
]
TALENT_ADDRESSES = ["own_residence", "relative_household", "employer_collective", "talent_collective"]
KQ_FOLLOWERS = ["spouse", "child", "parent", "spouse_parent"]
JX_RESIDENCE_FOLLOWERS = ["spouse", "minor_child", "parent"]

OUTSIDE_SHAOXING = cond("户口在绍兴市外", is_false("hukou.in_target_city"))
EMPLOYED_IN_KEQIAO = cond("在柯桥区用人单位就业", EMPLOYED_IN_TARGET)
EMPLOYED_IN_HANGZHOU = cond("在杭州市区就业", EMPLOYED_IN_TARGET)
# Settling where one is already registered is not a settlement (as the Keqiao routes' 户口在市外/区外).
NOT_REGISTERED_THERE = cond("户口不在落户地（户口已在当地的无需办理落户）", is_false("hukou.in_target"))
NO_OWN_HOME = {"!": [all_of(is_true("residence.stable_residence_in_target"),
                            {"==": [var("residence.kind"), "owned"]})]}
STABLE_RESIDENCE = cond("在落户地城镇有合法稳定住所（含租赁）", is_true("residence.stable_residence_in_target"))


def route(code, name, document, clause, scope, criteria, *, excluded=(), followers=(), checklist=(),
          days=5, addresses=TALENT_ADDRESSES, order=100, note="", cohabit=False):
    return {
        "code": code,
        "name": name,
        "document": document,
        "clause": clause,
        "scope": list(scope),
        "excluded": list(excluded),
        "criteria": criteria,
        "followers": list(followers),
        "followers_cohabit": cohabit,
        "material_checklist": [*IDENTITY, *checklist] + ([FAMILY_PROOF] if followers else []),
        "promised_working_days": days,
        "address_options": list(addresses),
        "sort_order": order,
        "note": note,
    }


# 绍柯 二(一)1 "劳动模范、优秀农民工等": the honours that count are the policy table's (Honour); the facts
# may name only codes from it, so any declared honour counts.
HONOURED = cond("获得区级及以上“劳动模范”“优秀农民工”等荣誉（荣誉目录以政策表为准）", {"!!": [var("honors")]})
HONOURS = [
    {"code": "model_worker", "name": "劳动模范", "level": "区（县）级", "document": KQ, "clause": "二(一)1",
     "sort_order": 10},
    {"code": "outstanding_migrant_worker", "name": "优秀农民工", "level": "区（县）级", "document": KQ,
     "clause": "二(一)1", "sort_order": 20},
]

ROUTES = [
    # ---- 绍柯政办发〔2020〕1号, 柯桥区 ----
    route("kq.graduate", "高校毕业生、同等学历及留学回国人员落户", KQ, "二(一)1", ["sx.kq"], [
        OUTSIDE_SHAOXING,
        cond("大专及以上学历（全日制或国民教育同等学历）或留学回国人员",
             any_of(one_of("education", COLLEGE_OR_ABOVE), is_true("overseas_returnee"))),
    ], followers=KQ_FOLLOWERS, checklist=[DIPLOMA], addresses=FULL_PRECEDENCE, order=10),
    route("kq.vocational", "中等职业学校（含技校）毕业生落户", KQ, "二(一)1", ["sx.kq"], [
        OUTSIDE_SHAOXING,
        cond("中等职业学校（含技校）毕业", {"==": [var("education"), "secondary_vocational"]}),
        cond("45周岁（含）以下", age_at_most(45)),
    ], followers=KQ_FOLLOWERS, checklist=[DIPLOMA], addresses=FULL_PRECEDENCE, order=11),
    route("kq.title", "专业技术职称人员落户", KQ, "二(一)1", ["sx.kq"], [
        OUTSIDE_SHAOXING,
        cond("具有初级及以上专业技术职称",
             one_of("professional_title", ["junior", "intermediate", "associate_senior", "senior"])),
        EMPLOYED_IN_KEQIAO,
        cond("劳动合同期限一年及以上", {">=": [var("employment.contract_months"), 12]}),
        cond("缴纳社会保险3个月及以上", social_insurance_at_least(3)),
    ], followers=KQ_FOLLOWERS, checklist=[item("title_certificate", "专业技术职称证书"), CONTRACT, SOCIAL_INSURANCE],
        addresses=FULL_PRECEDENCE, order=12),
    route("kq.honor", "劳动模范、优秀农民工等荣誉获得者落户", KQ, "二(一)1", ["sx.kq"], [
        OUTSIDE_SHAOXING,
        HONOURED,
    ], followers=KQ_FOLLOWERS, checklist=[item("honor_certificate", "荣誉证书")], addresses=FULL_PRECEDENCE, order=13),
    route("kq.manager", "规模以上企业中层及以上管理人员落户", KQ, "二(一)1", ["sx.kq"], [
        OUTSIDE_SHAOXING,
        cond("在规模以上企业担任中层及以上职务", is_true("employment.manager_at_above_scale_enterprise")),
        EMPLOYED_IN_KEQIAO,
        cond("实际工作并缴纳社会保险满一年", social_insurance_at_least(12)),
    ], followers=KQ_FOLLOWERS, checklist=[item("position_proof", "任职证明"), CONTRACT, SOCIAL_INSURANCE],
        addresses=FULL_PRECEDENCE, order=14),
    route("kq.student_intern", "在柯见实习或有意向就业创业的在校大学生落户", KQ, "二(一)1", ["sx.kq"], [
        OUTSIDE_SHAOXING,
        cond("全国高等院校在校大学生", is_true("student.enrolled")),
        cond("在柯桥区用人单位见实习，或有意向来柯桥区就业创业", is_true("student.intern_or_intent_in_target")),
    ], followers=KQ_FOLLOWERS, checklist=[item("enrolment_proof", "在校学籍证明"),
                                          item("internship_or_intent", "见实习证明或就业创业意向书")],
        addresses=FULL_PRECEDENCE, order=15),
    route("kq.investor", "投资创业人员落户（社区集体户）", KQ, "二(一)2", ["sx.kq"], [
        cond("在柯桥区投资办企业或个人创业，税款缴纳满1年或社保缴纳满1年",
             any_of({">=": [var("business.tax_months"), 12]}, {">=": [var("business.social_insurance_months"), 12]})),
        cond("所投资企业或个人创业在柯桥区", is_true("business.runs_local_business")),
        cond("取得商业用房或办公用房合法所有权", is_true("business.owns_commercial_property_in_target")),
        cond("户口不在市区城镇范围内，或在区内无合法稳定住所",
             {"!": [all_of(is_true("hukou.in_target_urban_area"), is_true("residence.stable_residence_in_target"))]}),
    ], followers=["spouse", "minor_child"], checklist=[
        item("business_licence", "营业执照"), item("tax_or_insurance_record", "纳税或社会保险缴纳证明"),
        item("commercial_property_certificate", "商业用房或办公用房权属证明")],
        addresses=["community_collective"], days=10, order=16,
        note="户口迁入房产所在地的社区集体户。"),
    route("kq.local_student", "区内高校在校学生落户（绿色通道）", KQ, "二(二)4", ["sx.kq"], [
        cond("区内高校录取的在校学生", all_of(is_true("student.enrolled"), is_true("student.school_in_target"))),
        cond("户口在柯桥区外", is_false("hukou.in_target")),
    ], checklist=[item("admission_notice", "录取通知书或在校学籍证明")],
        addresses=FULL_PRECEDENCE, order=17,
        note="以本人自愿为基础（本人提交申请即为自愿），先落户后就业。落户地址按绍柯 二(三)6：合法稳定住所（含配偶、"
             "子女或父母住所），或同意被投靠的亲友处、见实习单位集体户、在读高校集体户、区人力社保部门人才专户。"),
    # ---- 嘉政办发〔2020〕28号, 嘉兴市 ----
    route("jx.owned_residence", "城区（城镇）自有合法稳定住所落户", JX, "一", ["jx"], [
        NOT_REGISTERED_THERE,
        cond("在城区（城镇）范围内有自有合法稳定住所",
             all_of(is_true("residence.stable_residence_in_target"), {"==": [var("residence.kind"), "owned"]})),
        cond("持有《浙江省居住证》或办理居住登记",
             any_of(is_true("residence.permit"), {">": [var("residence.registration_months"), 0]})),
    ], followers=JX_RESIDENCE_FOLLOWERS, cohabit=True, checklist=[PROPERTY, RESIDENCE_PERMIT],
        addresses=["own_residence"], order=20, note="随迁人员须与本人共同居住生活。"),
    route("jx.rented_residence", "城区（城镇）租赁商品住房落户", JX, "一", ["jx"], [
        NOT_REGISTERED_THERE,
        cond("租赁城区（城镇）商品住房",
             all_of(is_true("residence.stable_residence_in_target"), {"==": [var("residence.kind"), "rented"]})),
        cond("在市本级或同一县（市）范围内已连续居住3年及以上", {">=": [var("residence.continuous_months"), 36]}),
        cond("持有《浙江省居住证》或办理居住登记",
             any_of(is_true("residence.permit"), {">": [var("residence.registration_months"), 0]})),
    ], followers=JX_RESIDENCE_FOLLOWERS, cohabit=True, checklist=[
        RENTAL, RESIDENCE_PERMIT, item("one_household_per_dwelling", "“一房一户”核查（该住房未登记其他户）")],
        addresses=["own_residence"], order=21, note="按“一房一户”原则，由材料审核确认；随迁人员须与本人共同居住生活。"),
    route("jx.talent", "人才落户", JX, "二", ["jx"], [
        NOT_REGISTERED_THERE,
        cond("大专及以上学历，或中级及以上职称，或技师及以上国家职业资格",
             any_of(one_of("education", COLLEGE_OR_ABOVE),
                    one_of("professional_title", ["intermediate", "associate_senior", "senior"]),
                    one_of("vocational_level", TECHNICIAN_OR_ABOVE))),
    ], checklist=[item("talent_certificate", "学历、职称或职业资格证书")], addresses=[
        "own_residence", "relative_household", "employer_collective", "talent_collective", "community_collective"],
        order=22),
    route("jx.vocational", "中等职业学校毕业生落户", JX, "二", ["jx"], [
        NOT_REGISTERED_THERE,
        cond("中等职业学校（含技校）毕业", {"==": [var("education"), "secondary_vocational"]}),
        cond("毕业后15年内", {">=": [{"add_years": [var("graduation_date"), 15]}, {"eval_date": []}]}),
        cond("与本市企事业单位签订劳动（聘用）合同，或在本地经商办企业",
             any_of(EMPLOYED_IN_TARGET, is_true("business.runs_local_business"))),
        cond("在居住地取得《浙江省居住证》", is_true("residence.permit")),
    ], checklist=[DIPLOMA, item("contract_or_licence", "劳动（聘用）合同或营业执照"), RESIDENCE_PERMIT],
        addresses=["own_residence", "relative_household", "employer_collective", "talent_collective",
                   "community_collective"], order=23),
    route("jx.elderly_join", "老年人投靠成年子女落户", JX, "三", ["jx"], [
        NOT_REGISTERED_THERE,
        cond("投靠成年子女", all_of({"==": [var("joining.relation"), "parent"]}, is_true("joining.sponsor_adult"))),
        cond("被投靠子女户口在城区（城镇）", is_true("joining.sponsor_hukou_in_target_urban_area")),
        cond("被投靠子女或本人有合法稳定住所",
             any_of(is_true("joining.sponsor_has_stable_residence"), is_true("residence.stable_residence_in_target"))),
        cond("男性年满60周岁、女性年满55周岁；或与子女共同居住生活并持有居住证（不受年龄限制）",
             any_of(sex_age_at_least(60, 55), all_of(is_true("joining.cohabiting"), is_true("residence.permit")))),
    ], checklist=[
        RELATION,
        # 凭……被投靠子女或本人的房屋权属证明: the proof of whoever owns the home
        when(SPONSOR_RESIDENCE, is_true("joining.sponsor_has_stable_residence")),
        when(item("own_residence_proof", "本人房屋权属证明"),
             all_of(is_false("joining.sponsor_has_stable_residence"), is_true("residence.stable_residence_in_target"))),
        when(RESIDENCE_PERMIT, sex_age_below(60, 55)),
    ], addresses=["own_residence", "relative_household"], days=10, order=24),
    route("jx.talent_family_join", "高层次人才亲属投靠落户", JX, "三", ["jx"], [
        NOT_REGISTERED_THERE,
        cond("被投靠人具有硕士以上学历、副高以上职称或高级技师以上职业资格",
             is_true("joining.sponsor_is_senior_talent")),
        cond("被投靠人已落户在集体户或亲友处", is_true("joining.sponsor_in_collective_household")),
        cond("本人是被投靠人的配偶、未成年子女或父母",
             any_of(one_of("joining.relation", ["spouse", "parent"]),
                    all_of({"==": [var("joining.relation"), "child"]}, age_below(18)))),
        cond("户口登记地房主（单位、主管部门）同意", is_true("joining.owner_consents")),
    ], checklist=[RELATION, item("owner_consent", "户口登记地房主（单位、主管部门）同意证明"),
                  item("sponsor_talent_proof", "被投靠人学历、职称或职业资格证书")],
        addresses=["relative_household", "employer_collective", "talent_collective", "community_collective"],
        days=10, order=25, note="迁入被投靠人户口登记处。"),
    # 嘉政 四: the community (village) public collective household
    route("jx.community_collective", "城镇就业居住5年以上农业转移人员落户社区（村）公共集体户", JX, "四", ["jx"], [
        NOT_REGISTERED_THERE,
        cond("农业转移人员（农村户口）", is_true("hukou.rural")),
        cond("在城镇就业居住5年以上，或举家迁徙",
             any_of(all_of({">=": [var("employment.months_in_target"), 60]},
                           {">=": [var("residence.continuous_months"), 60]}),
                    is_true("residence.whole_family_moving"))),
        cond("在城镇无自有合法住所", NO_OWN_HOME),
    ], followers=JX_RESIDENCE_FOLLOWERS, cohabit=True, checklist=[
        when(item("employment_proof", "就业证明（劳动合同、社会保险缴纳证明等，满5年）"),
             {"!": [is_true("residence.whole_family_moving")]}),
        RESIDENCE_PERMIT],
        addresses=["community_collective"], days=10, order=26,
        note="全面设立社区（村）公共集体户，重点解决在城镇就业居住5年以上和举家迁徙的农业转移人员落户；随迁人员须与本人共同居住生活。"),
    route("jx.address_lost", "失去原户口登记地址的家庭户成员挂靠社区（村）集体户", JX, "四", ["jx"], [
        cond("户口现在嘉兴城区（城镇）", is_true("hukou.in_target")),
        cond("因土地征收、房屋征迁、房屋产权转移、离婚等原因失去现户口所在地址登记条件",
             {"!=": [var("address_lost"), None]}),
        cond("在本地无合法住所", is_false("residence.stable_residence_in_target")),
    ], checklist=[item("address_lost_proof", "失去原址登记条件的证明（征收决定、征迁协议、不动产转移登记或离婚证明等）")],
        addresses=["community_collective"], order=27,
        note="户口挂靠至现户口所在地社区（村）集体户。房主、房屋权利人或承租人要求迁出的，由房屋所在地公安派出所依程序办理，"
             "不在本途径受理。"),
    # ---- 杭政办函〔2023〕33号, 杭州市区 and the three counties ----
    route("hz.college_graduate", "普通高校大专及以上毕业生落户", HZ, "二(一)", ["hz.city"], [
        NOT_REGISTERED_THERE,
        cond("普通高校毕业", is_true("general_college")),
        cond("大专及以上学历", one_of("education", COLLEGE_OR_ABOVE)),
        cond("35周岁以下（不含35周岁）", age_below(35)),
        EMPLOYED_IN_HANGZHOU,
    ], checklist=[DIPLOMA, CONTRACT], order=30),
    route("hz.master_first", "普通高校硕士研究生先落户后就业", HZ, "二(一)", ["hz.city"], [
        NOT_REGISTERED_THERE,
        cond("普通高校毕业", is_true("general_college")),
        cond("硕士研究生及以上学历", one_of("education", POSTGRADUATE)),
        cond("45周岁以下（不含45周岁）", age_below(45)),
    ], checklist=[DIPLOMA], order=31),
    route("hz.technician", "技师及以上技能人才落户", HZ, "二(二)", ["hz.city"], [
        NOT_REGISTERED_THERE,
        cond("45周岁以下（不含45周岁）", age_below(45)),
        cond("具有技师及以上职业资格（或职业技能等级二级及以上）", one_of("vocational_level", TECHNICIAN_OR_ABOVE)),
        EMPLOYED_IN_HANGZHOU,
        cond("由工作单位正常缴纳社会保险6个月及以上（不含补缴）", {">=": [NORMALLY_PAID_MONTHS, 6]}),
        cond("在市区有合法稳定住所", is_true("residence.stable_residence_in_target")),
    ], followers=["spouse", "minor_child"], checklist=[
        item("skill_certificate", "职业资格或职业技能等级证书"), SOCIAL_INSURANCE, *HOME_PROOF],
        order=32, note="随迁配偶不受婚龄条件限制。"),
    route("hz.senior_worker", "高级工技能人才落户", HZ, "二(二)", ["hz.city"], [
        NOT_REGISTERED_THERE,
        cond("35周岁以下（不含35周岁）", age_below(35)),
        cond("具有高级工及以上职业资格（或职业技能等级三级及以上）", one_of("vocational_level", SENIOR_WORKER_OR_ABOVE)),
        EMPLOYED_IN_HANGZHOU,
        cond("由工作单位正常缴纳社会保险6个月及以上（不含补缴）", {">=": [NORMALLY_PAID_MONTHS, 6]}),
        cond("在市区有合法稳定住所", is_true("residence.stable_residence_in_target")),
    ], followers=["spouse", "minor_child"], checklist=[
        item("skill_certificate", "职业资格或职业技能等级证书"), SOCIAL_INSURANCE, *HOME_PROOF],
        order=33, note="随迁配偶不受婚龄条件限制。"),
    route("hz.elderly_join", "老年人投靠在杭子女落户", HZ, "二(三)", ["hz.city"], [
        NOT_REGISTERED_THERE,
        cond("投靠子女", {"==": [var("joining.relation"), "parent"]}),
        cond("男性满60周岁、女性满55周岁", sex_age_at_least(60, 55)),
        cond("被投靠子女为杭州市区户籍", is_true("joining.sponsor_hukou_in_target_urban_area")),
        cond("本人或子女在杭州市区城镇有合法固定住所",
             any_of(is_true("joining.sponsor_has_stable_residence"), is_true("residence.stable_residence_in_target"))),
        cond("持有居住证，或为长三角区域户籍居民（免居住证）",
             any_of(is_true("residence.permit"), is_true("hukou.in_yrd"))),
    ], checklist=[RELATION, SPONSOR_RESIDENCE,
                  when(item("residence_permit", "《浙江省居住证》"), is_false("hukou.in_yrd"))],
        addresses=["own_residence", "relative_household"], days=10, order=34),
    route("hz.spouse_join", "长三角户籍居民夫妻投靠落户（免居住证）", HZ, "二(三)", ["hz.city"], [
        NOT_REGISTERED_THERE,
        cond("投靠配偶", {"==": [var("joining.relation"), "spouse"]}),
        cond("本人已婚", {"==": [var("marital_status"), "married"]}),
        cond("被投靠配偶为杭州市区户籍", is_true("joining.sponsor_hukou_in_target_urban_area")),
        cond("本人为长三角区域户籍居民（取消申领居住证的条件限制）", is_true("hukou.in_yrd")),
    ], followers=["minor_child"], checklist=[
        item("marriage_certificate", "结婚证"), item("sponsor_hukou", "被投靠配偶的杭州市区户口簿"),
        when(SPONSOR_RESIDENCE, is_true("joining.sponsor_has_stable_residence"))],
        addresses=["own_residence", "relative_household"], days=10, order=34,
        note="长三角区域户籍居民办理夫妻投靠，不需申领居住证，户籍准入年限累计互认；其他夫妻投靠按现行政策办理。"),
    route("hz.points", "居住证积分落户", HZ, "二(四)", ["hz.city"], [
        NOT_REGISTERED_THERE,
        cond("居住证积分达到积分落户分数线", {">=": [{"points": []}, {"points_threshold": []}]}),
    ], checklist=[item("residence_permit", "《浙江省居住证》"), item("points_proof", "积分审核结果")],
        addresses=[*TALENT_ADDRESSES, "community_collective"], days=10, order=35),
    route("hz.county_open", "桐庐、淳安、建德县域落户", HZ, "二(五)", ["hz.tonglu", "hz.chunan", "hz.jiande"], [
        NOT_REGISTERED_THERE,
        cond("在当地城镇有合法稳定住所，或合法稳定就业",
             any_of(is_true("residence.stable_residence_in_target"), EMPLOYED_IN_TARGET)),
    ], checklist=[item("residence_or_employment", "住所证明或劳动合同")],
        addresses=["own_residence", "relative_household", "employer_collective", "community_collective"], order=36),
    # ---- 浙政办发〔2023〕41号, the province outside Hangzhou's city area ----
    route("zj.residence", "有合法稳定住所（含租赁）在居住地落户", ZJ, "一(二)", ["zj"], [
        NOT_REGISTERED_THERE,
        STABLE_RESIDENCE,
    ], excluded=["hz.city"], checklist=HOME_PROOF, addresses=["own_residence"], order=40),
    route("zj.parent_join_child", "父母投靠有合法稳定住所的成年子女", ZJ, "二(二)", ["zj"], [
        NOT_REGISTERED_THERE,
        cond("投靠成年子女", all_of({"==": [var("joining.relation"), "parent"]}, is_true("joining.sponsor_adult"))),
        cond("被投靠子女有合法稳定住所（不受年龄限制）", is_true("joining.sponsor_has_stable_residence")),
    ], excluded=["hz.city"], checklist=[RELATION, SPONSOR_RESIDENCE],
        addresses=["own_residence", "relative_household"], days=10, order=41),
    route("zj.child_join_parent", "未婚子女投靠有合法稳定住所的父母", ZJ, "二(二)", ["zj"], [
        NOT_REGISTERED_THERE,
        cond("投靠父母", {"==": [var("joining.relation"), "child"]}),
        cond("本人未婚", UNMARRIED),
        cond("被投靠父母有合法稳定住所", is_true("joining.sponsor_has_stable_residence")),
    ], excluded=["hz.city"], checklist=[RELATION, SPONSOR_RESIDENCE, item("marital_status", "婚姻状况声明")],
        addresses=["own_residence", "relative_household"], days=10, order=42),
    route("zj.household_head_join", "市内迁入投靠城镇家庭户户主", ZJ, "二(二)", ["zj"], [
        NOT_REGISTERED_THERE,
        cond("在同一设区市内迁移", is_true("joining.within_same_city")),
        cond("被投靠人是城镇地区家庭户户主", is_true("joining.sponsor_is_household_head")),
        cond("本人是户主的直系亲属、配偶、配偶的直系亲属或子女的配偶",
             one_of("joining.relation", ["parent", "child", "lineal_relative", "spouse",
                                         "spouse_lineal_relative", "child_spouse"])),
    ], checklist=[RELATION, item("household_head_consent", "户主同意证明")],
        addresses=["relative_household"], days=10, order=43),
]

POINTS_SCHEMES = [
    {
        "jurisdiction": "hz.city",
        "name": "杭州市区居住证积分落户",
        "document": HZ,
        "clause": "二(四)",
        "valid_from": "2023-05-08",
        "threshold": "100",
        "indicators": [
            {
                "code": "age",
                "name": "年龄",
                "source": "age",
                "max_points": "30",
                "clause": "二(四)",
                # 18–40 scores 30; each year over 40 takes 2 off, down to 0; under 18 scores 0.
                "bands": [
                    {"lower": "0", "upper": "18", "points": "0", "points_per_unit": "0"},
                    {"lower": "18", "upper": "41", "points": "30", "points_per_unit": "0"},
                    {"lower": "41", "upper": None, "points": "28", "points_per_unit": "-2"},
                ],
            },
            # The notice sets only the cap of the income-tax indicator; its scale, and the residence
            # and social-insurance indicators, are for the policy admin to fill (浙政 一(二): those two
            # must carry the main share of the points).
            {"code": "income_tax", "name": "个人所得税", "source": "fact", "max_points": "80", "clause": "二(四)",
             "bands": []},
            {"code": "residence_years", "name": "居住年限", "source": "fact", "max_points": None, "clause": "",
             "bands": []},
            {"code": "social_insurance_years", "name": "社会保险缴纳年限", "source": "fact", "max_points": None,
             "clause": "", "bands": []},
        ],
    }
]

# 新增就业高校毕业生 (DESIGN "Subsidies and rewards"): a college graduate (or returnee) whose first job
# after graduation is in Keqiao and began within the 择业期 after graduation (2 years: the number in the
# rule is the policy value, edited in the admin) and on or after the notice took effect.
JOB_SEEKING_YEARS = 2
STARTED_ON = var("employment.started_on")
GRADUATE_NEWLY_EMPLOYED = [
    cond("高校毕业生：大专及以上学历或留学回国人员",
         any_of(one_of("education", COLLEGE_OR_ABOVE), is_true("overseas_returnee"))),
    cond("在柯桥区用人单位就业", EMPLOYED_IN_TARGET),
    cond("毕业后首次就业", is_true("employment.first_after_graduation")),
    cond(f"毕业后择业期（{JOB_SEEKING_YEARS}年）内开始就业",
         all_of({">=": [STARTED_ON, var("graduation_date")]},
                {"<=": [STARTED_ON, {"add_years": [var("graduation_date"), JOB_SEEKING_YEARS]}]})),
    cond("2020年2月1日（本意见施行之日）及以后开始就业", {">=": [STARTED_ON, {"date": "2020-02-01"}]}),
]
# 二(二)5: any settlement into Keqiao guided by a Keqiao employer, whatever the route.
EMPLOYER_GUIDED = [cond("由柯桥区用人单位引导落户（本人在该单位就业）", EMPLOYED_IN_TARGET)]

SUBSIDY_PROGRAMS = [
    {
        "code": "kq.stipend", "name": "毕业未就业落户学生生活资助", "document": KQ, "clause": "二(二)4",
        "jurisdiction": "sx.kq", "amount_fen": 50_000, "period": "month", "max_periods": 6,
        "beneficiary": "settler", "family": "kq.stipend", "commitment_years": None, "stacks_with": ["kq.anxin"],
        "conditions": [
            cond("落户时为区内高校录取的在校学生", all_of(is_true("student.enrolled"), is_true("student.school_in_target"))),
            cond("区外户籍（户口在柯桥区外）", is_false("hukou.in_target")),
        ],
        "starts_with": ["graduated"], "stops_with": ["employed", "hukou_moved_out"],
        "description": "区内高校录取的区外户籍学生落户后，毕业未就业的，按每月500元给予生活资助，不超过6个月；"
                       "就业或户口迁出即停止。",
    },
    {
        "code": "kq.anxin", "name": "新增就业高校毕业生安心补贴", "document": KQ, "clause": "二(二)4",
        "jurisdiction": "sx.kq", "amount_fen": 600_000, "period": "year", "max_periods": 3,
        "beneficiary": "settler", "family": "kq.anxin", "commitment_years": None, "stacks_with": ["kq.stipend"],
        "conditions": GRADUATE_NEWLY_EMPLOYED,
        "starts_with": ["graduated", "employed"], "stops_with": ["hukou_moved_out"],
        "description": "新增就业高校毕业生落户柯桥区的（不论落户途径），在享受生活津贴的基础上，每年给予6000元，最长3年；"
                       "每年须户口仍在柯桥区。",
    },
    {
        "code": "kq.reward_settler", "name": "用人单位引导落户奖励（落户人员）", "document": KQ, "clause": "二(二)5",
        "jurisdiction": "sx.kq", "amount_fen": 50_000, "period": "once", "max_periods": 1,
        "beneficiary": "settler", "family": "kq.reward_settler", "commitment_years": 5, "stacks_with": [],
        "conditions": EMPLOYER_GUIDED, "starts_with": [], "stops_with": ["hukou_moved_out"],
        "description": "经柯桥区用人单位引导落户（不论落户途径）并承诺五年内不迁出本区的落户人员，一次性奖励500元；"
                       "更换用人单位不影响；五年内迁出的予以追回。",
    },
    {
        "code": "kq.reward_employer", "name": "用人单位引导落户奖励（用人单位）", "document": KQ, "clause": "二(二)5",
        "jurisdiction": "sx.kq", "amount_fen": 50_000, "period": "once", "max_periods": 1,
        "beneficiary": "employer", "family": "kq.reward_employer", "commitment_years": 5, "stacks_with": [],
        "conditions": EMPLOYER_GUIDED, "starts_with": [], "stops_with": ["hukou_moved_out"],
        "description": "落户人员承诺五年内不迁出本区的，对引导其落户的用人单位一次性奖励500元；落户人员更换用人单位不影响；"
                       "五年内迁出的予以追回。",
    },
]

HOUSING_PROGRAMS = [
    {
        "code": "kq.housing", "name": "落户人员公共租赁住房或租房补贴", "document": KQ, "clause": "二(四)9",
        "jurisdiction": "sx.kq", "offers_public_rental": True, "offers_rent_subsidy": True,
        "max_term_months": 72, "area_standard_sqm": None, "rent_subsidy_monthly_fen": None,
        "settled_first_within_tier": True,
        "who_may_apply": "落户人员家庭无房或在柯桥区已有房产面积低于保障标准，且未享受公共租赁住房保障及购房租房补助政策的；"
                         "同一层次的人员申请公租房或人才公寓保障的，已落户的优先。",
    }
]

# AGE is re-exported for tests that build rules with the same vocabulary.
__all__ = ["AGE", "DOCUMENTS", "HONOURS", "HOUSING_PROGRAMS", "JURISDICTIONS", "POINTS_SCHEMES", "ROUTES", "SUBSIDY_PROGRAMS"]
