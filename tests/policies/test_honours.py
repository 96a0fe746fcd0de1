"""绍柯 二(一)1's honours end in 等: the honours that count are a policy table the admin extends, and the
facts' ``honors`` take codes from it (an unknown code is refused, as before)."""

import pytest

from policies.eligibility.errors import ConditionError, EligibilityInputError
from policies.models import Honour, PolicyDocument
from policies.seed.catalogue import KQ
from tests.policies.helpers import evaluate, route_result

pytestmark = pytest.mark.django_db

HONOURED_OUTSIDER = {
    "birth_date": "1990-05-01", "sex": "F", "education": "high_school",
    "hukou": {"in_target": False, "in_target_city": False},
}


def add_honour(code: str, name: str) -> Honour:
    return Honour.objects.create(code=code, name=name, document=PolicyDocument.objects.get(number=KQ),
                                 clause="二(一)1")


def test_the_seeded_table_holds_the_two_honours_the_notice_names_with_their_clause():
    rows = list(Honour.objects.values_list("code", "name", "clause"))
    assert rows == [("model_worker", "劳动模范", "二(一)1"), ("outstanding_migrant_worker", "优秀农民工", "二(一)1")]
    assert Honour.history.count() == 2  # seeded rows start their history


def test_an_honour_the_admin_adds_counts_for_kq_honor_without_a_code_change():
    facts = {**HONOURED_OUTSIDER, "honors": ["wuyi_labour_medal"]}
    with pytest.raises(EligibilityInputError) as refused:
        evaluate(facts, "sx.kq", "2024-03-01")
    assert refused.value.field == "facts.honors.0"

    add_honour("wuyi_labour_medal", "五一劳动奖章")
    assert route_result(evaluate(facts, "sx.kq", "2024-03-01"), "kq.honor")["eligible"] is True


def test_a_withdrawn_honour_is_no_longer_a_valid_code():
    Honour.objects.filter(code="outstanding_migrant_worker").update(active=False)
    from policies.eligibility.catalogue import catalogue_invalidate_local

    catalogue_invalidate_local()
    with pytest.raises(EligibilityInputError) as refused:
        evaluate({**HONOURED_OUTSIDER, "honors": ["model_worker", "outstanding_migrant_worker"]}, "sx.kq", "2024-03-01")
    assert refused.value.field == "facts.honors.1"


def test_a_rule_naming_an_honour_is_checked_against_the_table():
    from policies.eligibility.conditions import compile_rule

    with pytest.raises(ConditionError):
        compile_rule({"in": ["wuyi_labour_medal", {"var": "honors"}]})
    add_honour("wuyi_labour_medal", "五一劳动奖章")
    compile_rule({"in": ["wuyi_labour_medal", {"var": "honors"}]})
