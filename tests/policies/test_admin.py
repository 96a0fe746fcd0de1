"""The policy admin edits routes in the admin: malformed criteria are refused, changes take effect
at the next evaluation without a restart, and every change is kept in the route's history."""

import copy

import pytest
from django.contrib.auth import get_user_model

from hukou.roles import roles_sync
from policies.models import SettlementRoute
from tests.policies.helpers import birth_date_for_age, eligible

CHANGE_URL = "/admin/policies/settlementroute/{}/change/"
ON = "2024-03-01"


@pytest.fixture
def policy_admin_client(client):
    user = get_user_model().objects.create_user("policy_admin", password="Pw-for-tests-1", is_staff=True)
    user.groups.add(roles_sync()["policy_admin"])
    client.force_login(user)
    return client


def _form_data(route: SettlementRoute, **overrides) -> dict:
    import json

    data = {
        "code": route.code,
        "name": route.name,
        "document": route.document_id,
        "clause": route.clause,
        "active": "on" if route.active else "",
        "sort_order": route.sort_order,
        "jurisdictions": [j.pk for j in route.jurisdictions.all()],
        "excluded_jurisdictions": [j.pk for j in route.excluded_jurisdictions.all()],
        "criteria": json.dumps(route.criteria, ensure_ascii=False),
        "followers": route.followers,
        "material_checklist": json.dumps(route.material_checklist, ensure_ascii=False),
        "promised_working_days": route.promised_working_days,
        "address_options": json.dumps(route.address_options),
        "note": route.note,
    }
    data.update(overrides)
    return data


def _with_age_limit(route: SettlementRoute, limit: int) -> list:
    criteria = copy.deepcopy(route.criteria)
    for item in criteria:
        if item["rule"] == {"<=": [{"age": []}, 45]}:
            item["rule"] = {"<=": [{"age": []}, limit]}
            item["label"] = f"{limit}周岁（含）以下"
    return criteria


@pytest.mark.django_db
def test_raising_an_age_limit_in_the_admin_changes_the_next_evaluation_and_the_history(policy_admin_client):
    import json

    route = SettlementRoute.objects.get(code="kq.vocational")
    facts = {
        "birth_date": birth_date_for_age(46, ON),
        "sex": "F",
        "education": "secondary_vocational",
        "hukou": {"in_target_city": False},
    }
    assert not eligible(facts, "kq.vocational", "sx.kq", ON)  # warm the catalogue first

    response = policy_admin_client.post(
        CHANGE_URL.format(route.pk), _form_data(route, criteria=json.dumps(_with_age_limit(route, 50)))
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert eligible(facts, "kq.vocational", "sx.kq", ON)
    latest = route.history.first()
    assert latest.history_user.username == "policy_admin"
    delta = latest.diff_against(latest.prev_record)
    assert [change.field for change in delta.changes] == ["criteria"]
    history_page = policy_admin_client.get(f"/admin/policies/settlementroute/{route.pk}/history/")
    assert "policy_admin" in history_page.text and "50周岁（含）以下" in history_page.text


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ('[{"label": "年龄", "rule": {"<==": [{"age": []}, 45]}}]', "未知运算符"),
        ('[{"label": "学历", "rule": {"==": [{"var": "educaton"}, "bachelor"]}}]', "未知的事实字段"),
        ('[{"label": "学历", "rule": {"==": [{"var": "education"}, "bachlor"]}}]', "不是 education 的取值"),
        ('[{"label": "", "rule": {"age": []}}]', "说明文字不能为空"),
        ("[]", "必填"),
        ("{not json", "JSON"),
    ],
)
@pytest.mark.django_db
def test_a_malformed_criterion_is_refused_with_a_clear_message_and_nothing_changes(
    policy_admin_client, criteria, message
):
    route = SettlementRoute.objects.get(code="kq.vocational")
    before = (route.criteria, route.history.count())

    response = policy_admin_client.post(CHANGE_URL.format(route.pk), _form_data(route, criteria=criteria))

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors.get("criteria", []))
    assert message in errors or (message == "JSON" and errors), errors
    route.refresh_from_db()
    assert (route.criteria, route.history.count()) == before


@pytest.mark.django_db
def test_an_unknown_follower_code_is_refused(policy_admin_client):
    route = SettlementRoute.objects.get(code="kq.graduate")

    response = policy_admin_client.post(CHANGE_URL.format(route.pk), _form_data(route, followers=["cousin"]))

    assert response.status_code == 200
    assert "followers" in response.context["adminform"].form.errors


@pytest.mark.django_db
def test_every_policy_table_lists_in_the_admin(policy_admin_client):
    for model in ("jurisdiction", "policydocument", "settlementroute", "pointsscheme", "pointsindicator",
                  "subsidyprogram", "housingprogram", "workingcalendarday"):
        assert policy_admin_client.get(f"/admin/policies/{model}/").status_code == 200, model
    route = SettlementRoute.objects.get(code="kq.graduate")
    page = policy_admin_client.get(CHANGE_URL.format(route.pk))
    assert "户口在绍兴市外" in page.text  # criteria shown as readable Chinese, not \u escapes


@pytest.mark.django_db
def test_a_checklist_condition_that_does_not_compile_is_refused_naming_the_item(policy_admin_client):
    route = SettlementRoute.objects.get(code="hz.technician")
    checklist = copy.deepcopy(route.material_checklist)
    checklist[3]["when"] = {"==": [{"var": "residence.knd"}, "rented"]}
    import json

    data = _form_data(route, material_checklist=json.dumps(checklist, ensure_ascii=False))
    response = policy_admin_client.post(CHANGE_URL.format(route.pk), data)
    assert response.status_code == 200
    assert "第 4 项.when" in str(response.context["adminform"].form.errors["material_checklist"])
    route.refresh_from_db()
    assert route.material_checklist[3].get("when") != checklist[3]["when"]  # nothing saved


@pytest.mark.django_db
def test_the_points_scheme_page_says_it_is_incomplete_and_which_indicators_have_no_table(policy_admin_client):
    from policies.models import PointsScheme

    scheme = PointsScheme.objects.get(jurisdiction__code="hz.city")
    listing = policy_admin_client.get("/admin/policies/pointsscheme/").content.decode()
    assert "个人所得税、居住年限、社会保险缴纳年限" in listing
    page = policy_admin_client.get(f"/admin/policies/pointsscheme/{scheme.pk}/change/")
    warnings = [str(message) for message in page.context["messages"]]
    assert any("个人所得税、居住年限、社会保险缴纳年限" in message for message in warnings)
