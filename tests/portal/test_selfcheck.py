"""The self-check asks only what the routes in force need, refuses bad answers beside the question,
and shows every route in force with ✓/✗ per condition and its materials."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from policies.eligibility.engine import eligibility_evaluate

pytestmark = pytest.mark.django_db

KEQIAO_GRADUATE = {
    "place": "sx.kq", "birth_date": "1998-06-01", "sex": "F", "education": "bachelor", "general_college": "1",
    "hukou__in_target_city": "0", "employment__employed": "1", "employment__in_target": "1",
    "employment__contract_months": "24",
}
# facts (not answers): graduated 2025, first job in Keqiao since August 2025
NEW_GRADUATE = {
    "birth_date": "2002-06-01", "sex": "F", "education": "bachelor", "general_college": True,
    "graduation_date": "2025-06-30", "hukou": {"in_target_city": False},
    "employment": {"employed": True, "in_target": True, "contract_months": 24, "started_on": "2025-08-01",
                   "first_after_graduation": True},
}


def question_names(html: str) -> set[str]:
    return set(re.findall(r'name="([a-z_]+(?:__[a-z_]+)?)"', html)) - {"csrfmiddlewaretoken", "place"}


def test_place_is_chosen_first(client):
    page = client.get(reverse("portal:check")).content.decode()
    assert "绍兴市柯桥区" in page and "杭州市区" in page and "浙江省" not in page
    assert 'value="hz"' not in page  # 杭州市 is chosen as 杭州市区 or one of its counties
    bad = client.get(reverse("portal:check"), {"place": "nowhere"})
    assert bad.status_code == 400 and "请从列表中选择落户地" in bad.content.decode()


def test_asks_only_what_the_routes_in_force_need(client):
    keqiao = question_names(client.get(reverse("portal:check"), {"place": "sx.kq"}).content.decode())
    hangzhou = question_names(client.get(reverse("portal:check"), {"place": "hz.city"}).content.decode())
    assert {"birth_date", "sex", "hukou__in_target_city", "business__owns_commercial_property_in_target"} <= keqiao
    assert not any(name.startswith("points__") for name in keqiao)  # Keqiao has no points route
    assert {"points__income_tax", "social_insurance__back_paid_months"} <= hangzhou
    assert "business__owns_commercial_property_in_target" not in hangzhou
    assert "student__intern_or_intent_in_target" not in hangzhou


def test_bad_answers_are_refused_beside_the_question_and_kept(client):
    data = {**KEQIAO_GRADUATE, "birth_date": "2099-01-01", "employment__contract_months": "-3"}
    response = client.post(reverse("portal:check"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'id="id_employment__contract_months_error">.*?月数不能小于 0', html, re.S)
    assert 'value="-3"' in html
    only_date = client.post(reverse("portal:check"), {**KEQIAO_GRADUATE, "birth_date": "2099-01-01"})
    html = only_date.content.decode()
    assert only_date.status_code == 400
    assert re.search(r'id="id_birth_date_error">.*?出生日期不能晚于评估日期', html, re.S)
    assert 'value="2099-01-01"' in html


def test_result_shows_every_route_in_force_with_each_condition(client):
    response = client.post(reverse("portal:check"), KEQIAO_GRADUATE)
    assert response.status_code == 302 and response["Location"] == reverse("portal:check_result")
    html = client.get(reverse("portal:check_result")).content.decode()
    facts = client.session["portal_selfcheck"]["facts"]
    expected = eligibility_evaluate(facts=facts, jurisdiction="sx.kq", on=timezone.localdate())
    for route in expected["routes"]:
        assert route["name"] in html
        for condition in route["conditions"]:
            assert condition["label"] in html
    eligible = [r for r in expected["routes"] if r["eligible"]]
    assert "kq.graduate" in {r["code"] for r in eligible}
    assert f"您符合 <strong>{len(eligible)}</strong> 条落户途径" in html
    shown = [c for r in expected["routes"] for c in r["conditions"]]
    shown += [c for r in expected["routes"] for p in r["programs"] for c in p["conditions"]]  # what settling brings
    assert html.count('class="mark yes"') == sum(c["ok"] for c in shown)
    assert html.count('class="mark no"') == sum(not c["ok"] for c in shown)
    assert "毕业证书（或学历认证报告）" in html and "配偶" in html
    assert reverse("portal:apply", args=["kq.graduate"]) in html
    assert reverse("portal:apply", args=["kq.investor"]) not in html


def test_answers_are_remembered_for_the_next_visit(client):
    client.post(reverse("portal:check"), KEQIAO_GRADUATE)
    again = client.get(reverse("portal:check"), {"place": "sx.kq"}).content.decode()
    assert 'value="1998-06-01"' in again and 'value="24"' in again


def test_result_without_answers_goes_back_to_the_questions(client):
    assert client.get(reverse("portal:check_result"))["Location"] == reverse("portal:check")


def test_the_self_check_offers_the_honours_policy_table(db):
    from datetime import date

    from policies.models import Honour, PolicyDocument
    from policies.seed.catalogue import KQ
    from portal.questions import questionnaire_for

    Honour.objects.create(code="wuyi_labour_medal", name="五一劳动奖章", clause="二(一)1",
                          document=PolicyDocument.objects.get(number=KQ))
    questions = questionnaire_for(place="sx.kq", place_name="柯桥区", city_name="绍兴市", on=date(2024, 3, 1))
    honours = next(q for q in questions.questions if q.path == "honors")
    assert ("wuyi_labour_medal", "五一劳动奖章") in honours.choices


def test_result_shows_what_settling_would_bring_for_each_eligible_route(client):
    session = client.session
    session["portal_selfcheck"] = {"place": "sx.kq", "facts": NEW_GRADUATE, "answers": {}}
    session.save()
    html = client.get(reverse("portal:check_result")).content.decode()

    assert "落户后可享受的补贴" in html
    assert "新增就业高校毕业生安心补贴</strong>：每年 6,000 元，最长 3 年" in html
    assert "（奖励给用人单位）" in html
    assert "毕业后择业期（2年）内开始就业" in html


def test_the_questions_include_what_the_programs_read(client):
    html = client.get(reverse("portal:check") + "?place=sx.kq").content.decode()
    assert "这是您毕业后的第一份工作吗？" in html and "现在这份工作是哪天开始的？" in html
    jiaxing = client.get(reverse("portal:check") + "?place=jx").content.decode()
    assert "您现在是农村户口吗？" in jiaxing and "您是全家一起迁来（举家迁徙）吗？" in jiaxing
