"""The compiled catalogue: no database query per evaluation once warm, and edits made by another
process (seen here as a shared version bump without a local signal) are picked up without a restart."""

import pytest

from policies.eligibility.catalogue import catalogue_bump_shared_version
from policies.models import SettlementRoute
from tests.policies.helpers import birth_date_for_age, eligible, evaluate

ON = "2024-03-01"
FACTS = {
    "birth_date": birth_date_for_age(46, ON),
    "sex": "M",
    "education": "secondary_vocational",
    "hukou": {"in_target_city": False},
}


@pytest.mark.django_db
def test_a_warm_catalogue_evaluates_without_database_queries(django_assert_num_queries):
    evaluate(FACTS, "sx.kq", ON)

    with django_assert_num_queries(0):
        for jurisdiction in ("sx.kq", "hz.city", "jx", "hz.tonglu"):
            evaluate(FACTS, jurisdiction, ON)


@pytest.mark.django_db
def test_an_edit_published_by_another_process_is_seen_at_the_next_check(settings):
    settings.POLICY_RELOAD_CHECK_SECONDS = 3600
    assert not eligible(FACTS, "kq.vocational", "sx.kq", ON)
    route = SettlementRoute.objects.get(code="kq.vocational")
    criteria = [
        {**item, "rule": {"<=": [{"age": []}, 50]}} if item["rule"] == {"<=": [{"age": []}, 45]} else item
        for item in route.criteria
    ]
    SettlementRoute.objects.filter(pk=route.pk).update(criteria=criteria)  # no signal: "another process"

    assert not eligible(FACTS, "kq.vocational", "sx.kq", ON)  # within the check interval: still cached

    catalogue_bump_shared_version()
    settings.POLICY_RELOAD_CHECK_SECONDS = 0
    assert eligible(FACTS, "kq.vocational", "sx.kq", ON)
