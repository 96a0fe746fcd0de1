import pytest

from policies.eligibility.catalogue import catalogue_invalidate_local


@pytest.fixture(autouse=True)
def fresh_policy_catalogue():
    """A test may edit policy rows inside a transaction that is rolled back: never carry the
    compiled catalogue from one test into the next."""
    catalogue_invalidate_local()
    yield
    catalogue_invalidate_local()
