"""Two clerks act on one case at the same moment on PostgreSQL: exactly one wins, the other gets a
conflict, and nothing is half-written."""

import threading

import pytest
from django.db import connection

from applications.errors import ConflictError
from applications.models import ApplicationState
from applications.services.transitions import application_accept, application_not_accept, application_submit
from tests.applications.conftest import ON


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_conflicting_transitions_on_one_case_exactly_one_wins(draft, applicant, clerk, staff_factory):
    other_clerk = staff_factory("clerk")
    case = application_submit(application_id=draft.pk, actor=applicant.user, on=ON)
    barrier = threading.Barrier(2)
    outcomes = []

    def act(action):
        try:
            barrier.wait()
            action()
            outcomes.append("won")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(lambda: application_accept(
            application_id=case.pk, actor=clerk, expected_version=case.version),)),
        threading.Thread(target=act, args=(lambda: application_not_accept(
            application_id=case.pk, actor=other_clerk, reason="材料不全", expected_version=case.version),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["conflict", "won"]
    case.refresh_from_db()
    assert case.state in (ApplicationState.ACCEPTED, ApplicationState.NOT_ACCEPTED)
    assert case.version == 3  # created 1, submitted 2, one decision 3
    assert case.transitions.count() == 2
