"""随迁: a follower's relation is checked against what the ID number says and against what the route
allows, when the follower is added and again at submission (on the submission date), with an error
naming the follower. A minor is under 18 on the day; a spouse needs a married applicant; Jiaxing's
followers live with the applicant (共同居住生活, 嘉政 一)."""

from datetime import date

import pytest

from applications.errors import ApplicationError
from applications.models import FamilyMember
from applications.selectors import application_checklist
from applications.services.drafts import application_create, family_member_add, material_add
from applications.services.transitions import application_submit
from tests.applications.factories import GRADUATE_FACTS, id_number, pdf

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 2)
APPLICANT_BORN = "1990-06-15"

JX_OWNER = {"birth_date": APPLICANT_BORN, "sex": "M", "marital_status": "married",
            "residence": {"stable_residence_in_target": True, "kind": "owned", "permit": True}}
HZ_TECHNICIAN = {"birth_date": APPLICANT_BORN, "sex": "M", "marital_status": "married",
                 "vocational_level": "level2", "employment": {"employed": True, "in_target": True},
                 "social_insurance": {"local_months": 6},
                 "residence": {"stable_residence_in_target": True, "kind": "rented"}}
KQ_INVESTOR = {"birth_date": APPLICANT_BORN, "sex": "F", "marital_status": "married",
               "business": {"runs_local_business": True, "tax_months": 12, "owns_commercial_property_in_target": True}}
KQ_GRADUATE = {**GRADUATE_FACTS, "birth_date": APPLICANT_BORN}
HZ_SPOUSE_JOIN = {"birth_date": APPLICANT_BORN, "sex": "F", "marital_status": "married", "hukou": {"in_yrd": True},
                  "joining": {"relation": "spouse", "sponsor_hukou_in_target_urban_area": True}}
JX_COLLECTIVE = {"birth_date": APPLICANT_BORN, "sex": "M", "marital_status": "married", "hukou": {"rural": True},
                 "residence": {"whole_family_moving": True}}

CASES = {
    # route: (place, facts)
    "kq.graduate": ("sx.kq", KQ_GRADUATE),
    "kq.investor": ("sx.kq", KQ_INVESTOR),
    "jx.owned_residence": ("jx", JX_OWNER),
    "jx.community_collective": ("jx", JX_COLLECTIVE),
    "hz.technician": ("hz.city", HZ_TECHNICIAN),
    "hz.spouse_join": ("hz.city", HZ_SPOUSE_JOIN),
}


def draft_for(applicant, route: str, **fact_changes):
    place, facts = CASES[route]
    facts = {key: value for key, value in {**facts, **fact_changes}.items() if value is not None}
    return application_create(applicant=applicant, route_code=route, jurisdiction_code=place, facts=facts, on=ON)


def add(application, relation: str, born: date, *, lives_with=None, name: str = "李四", on: date = ON):
    return family_member_add(application=application, relation=relation, real_name=name,
                             id_number=id_number(born, region="110105"), lives_with_applicant=lives_with, on=on)


def refused(application, relation: str, born: date, **kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as error:
        add(application, relation, born, **kwargs)
    assert not FamilyMember.objects.filter(application=application).exists()
    return error.value


ADULT = date(1992, 1, 1)
MINOR = date(2012, 1, 1)
PARENT_AGE = date(1962, 1, 1)

# route, relation, birth date, lives with the applicant, accepted (field refused)
FOLLOWER_TABLE = [
    # Keqiao 二(一)1: spouse, child (any age), parent, spouse's parent
    ("kq.graduate", "spouse", ADULT, None, None),
    ("kq.graduate", "child", MINOR, None, None),
    ("kq.graduate", "parent", PARENT_AGE, None, None),
    ("kq.graduate", "spouse_parent", PARENT_AGE, None, None),
    ("kq.graduate", "minor_child", MINOR, None, "relation"),  # the route says child, not minor_child
    ("kq.graduate", "parent", date(1995, 1, 1), None, "id_number"),  # younger than the applicant
    ("kq.graduate", "child", date(1985, 1, 1), None, "id_number"),  # older than the applicant
    # Keqiao 二(一)2: spouse and minor children only
    ("kq.investor", "spouse", ADULT, None, None),
    ("kq.investor", "minor_child", MINOR, None, None),
    ("kq.investor", "minor_child", date(1990, 1, 1), None, "relation"),  # the 1990-born "minor"
    ("kq.investor", "parent", PARENT_AGE, None, "relation"),
    # Jiaxing 一: spouse, minor children, parents — living together
    ("jx.owned_residence", "spouse", ADULT, True, None),
    ("jx.owned_residence", "minor_child", MINOR, True, None),
    ("jx.owned_residence", "parent", PARENT_AGE, True, None),
    ("jx.owned_residence", "spouse", ADULT, False, "lives_with_applicant"),
    ("jx.owned_residence", "minor_child", MINOR, None, "lives_with_applicant"),  # not answered
    ("jx.owned_residence", "child", ADULT, True, "relation"),
    # Jiaxing 四 (举家迁徙): the family, living together
    ("jx.community_collective", "minor_child", MINOR, True, None),
    ("jx.community_collective", "parent", PARENT_AGE, False, "lives_with_applicant"),
    # Hangzhou 二(二): spouse and minor children
    ("hz.technician", "spouse", ADULT, None, None),
    ("hz.technician", "minor_child", MINOR, None, None),
    ("hz.technician", "minor_child", date(2008, 3, 2), None, "relation"),  # 18 on the day
    ("hz.technician", "parent", PARENT_AGE, None, "relation"),
    # Hangzhou 二(三) 夫妻投靠: the minor children follow
    ("hz.spouse_join", "minor_child", MINOR, None, None),
    ("hz.spouse_join", "spouse", ADULT, None, "relation"),  # the spouse is the one joined
]


@pytest.mark.parametrize("route, relation, born, lives_with, refused_field", FOLLOWER_TABLE,
                         ids=[f"{r}-{rel}-{b:%Y}-{lw}" for r, rel, b, lw, _ in FOLLOWER_TABLE])
def test_a_follower_per_relation_and_route(applicant, route, relation, born, lives_with, refused_field):
    application = draft_for(applicant, route)
    if refused_field is None:
        member = add(application, relation, born, lives_with=lives_with)
        assert member.relation == relation and member.lives_with_applicant is lives_with
    else:
        assert refused(application, relation, born, lives_with=lives_with).field == refused_field


def test_a_minor_child_born_in_1990_is_refused_with_what_the_id_number_says(applicant):
    error = refused(draft_for(applicant, "kq.investor"), "minor_child", date(1990, 4, 1))
    assert error.field == "relation"
    assert "1990-04-01" in error.message and "18" in error.message


@pytest.mark.parametrize("born, ok", [(date(2008, 3, 3), True), (date(2008, 3, 2), False)],
                         ids=["17-one-day-short", "18th-birthday"])
def test_minor_means_under_18_on_the_day(applicant, born, ok):
    application = draft_for(applicant, "hz.technician")
    if ok:
        add(application, "minor_child", born)
    else:
        assert refused(application, "minor_child", born).field == "relation"


@pytest.mark.parametrize("status", ["single", "divorced", "widowed", None])
def test_a_spouse_needs_a_married_applicant(applicant, status):
    application = draft_for(applicant, "kq.graduate", marital_status=status)
    error = refused(application, "spouse", ADULT)
    assert error.field == "relation" and "已婚" in error.message


def submit_ready(application):
    for item in application_checklist(application):
        if item.get("required", True):
            material_add(application=application, checklist_code=item["code"], upload=pdf())


def test_submission_checks_again_on_the_submission_date_and_names_the_follower(applicant):
    application = draft_for(applicant, "hz.technician")
    add(application, "minor_child", date(2008, 3, 10), name="王小明")  # 17 when added
    submit_ready(application)

    with pytest.raises(ApplicationError) as error:
        application_submit(application_id=application.pk, actor=applicant.user, on=date(2026, 3, 10))  # 18 now

    assert error.value.field == "relation"
    assert error.value.message.startswith("随迁人员 王小明（未成年子女）：")
    application.refresh_from_db()
    assert application.state == "draft"
    application_submit(application_id=application.pk, actor=applicant.user, on=date(2026, 3, 9))  # still 17


def test_submission_checks_the_route_of_the_day(applicant):
    from policies.models import SettlementRoute

    application = draft_for(applicant, "kq.graduate")
    add(application, "parent", PARENT_AGE, name="张父")
    submit_ready(application)
    SettlementRoute.objects.filter(code="kq.graduate").update(followers=["spouse", "child"])  # the policy changed

    with pytest.raises(ApplicationError) as error:
        application_submit(application_id=application.pk, actor=applicant.user, on=ON)
    assert "张父" in error.value.message and error.value.field == "relation"


# --- materials follow the facts: asked, uploaded and required at submission alike ----------------------
def test_a_renter_is_asked_for_the_lease_registration_not_a_property_certificate(applicant):
    application = draft_for(applicant, "hz.technician")
    codes = [item["code"] for item in application_checklist(application)]
    assert "rental_registration" in codes and "property_certificate" not in codes
    with pytest.raises(ApplicationError) as error:
        material_add(application=application, checklist_code="property_certificate", upload=pdf())
    assert error.value.field == "checklist_code"

    submit_ready(application)  # everything the facts call for, no property certificate
    submitted = application_submit(application_id=application.pk, actor=applicant.user, on=ON)
    frozen = [item["code"] for item in submitted.route_snapshot["material_checklist"]]
    assert "rental_registration" in frozen and "property_certificate" not in frozen


def test_submission_requires_the_conditional_item_the_facts_call_for(applicant):
    application = draft_for(applicant, "hz.technician")
    for item in application_checklist(application):
        if item.get("required", True) and item["code"] != "rental_registration":
            material_add(application=application, checklist_code=item["code"], upload=pdf())
    with pytest.raises(ApplicationError) as error:
        application_submit(application_id=application.pk, actor=applicant.user, on=ON)
    assert error.value.field == "materials" and "房屋租赁登记备案证明" in error.value.message


# --- the same checks through the API ---------------------------------------------------------------------
def test_the_api_asks_a_jiaxing_follower_to_live_with_the_applicant(applicant):
    from rest_framework.test import APIClient

    application = draft_for(applicant, "jx.owned_residence")
    client = APIClient()
    client.force_login(applicant.user)
    url = f"/api/v1/applications/{application.case_number}/family-members/"
    body = {"relation": "minor_child", "real_name": "王小红", "id_number": id_number(MINOR, region="110105")}

    refused_response = client.post(url, {**body, "lives_with_applicant": False}, format="json")
    assert refused_response.status_code == 400
    assert "共同居住生活" in refused_response.json()["lives_with_applicant"][0]
    accepted = client.post(url, {**body, "lives_with_applicant": True}, format="json")
    assert accepted.status_code == 201, accepted.json()
    assert FamilyMember.objects.get(application=application).lives_with_applicant is True
