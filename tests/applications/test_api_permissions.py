"""Who may call what: every endpoint of the applicant API × every role, with the status each gets.

The case belongs to "owner" and lies in 柯桥 (sx.kq). Staff accounts work for sx.kq unless named
otherwise (clerk_jx works for 嘉兴). The rules the table spells out:

- anonymous: 403 everywhere (session authentication: not logged in is "forbidden").
- applicants see and act on their own cases only; someone else's case does not exist for them (404).
- an account without an applicant profile may only register one (403 on the case endpoints).
- clerks, approvers, registrars and auditors may *read* the cases of their jurisdictions (another
  jurisdiction's case: 404) but never act on a case through this API (403): the admin is their tool.
- finance, policy admins and leaders have no business with single cases: 403.
- everyone logged in reads their own messages; a message of someone else does not exist (404).
A refused call changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from applications.models import (
    Applicant,
    Application,
    ApplicationTransition,
    FamilyMember,
    IdempotencyKey,
    Material,
    Notification,
)
from applications.services.drafts import material_add
from applications.services.transitions import (
    application_accept,
    application_request_correction,
    application_submit,
    material_review,
)
from tests.applications.factories import GRADUATE_FACTS, PDF_BYTES, ApplicantFactory, UserFactory, id_number, pdf

pytestmark = pytest.mark.django_db

API = "/api/v1"
ROLES = [
    "anonymous", "owner", "other_applicant", "no_profile", "clerk_kq", "clerk_jx", "approver", "registrar",
    "finance", "policy_admin", "auditor", "leader",
]
CASE_READERS_KQ = ("clerk_kq", "approver", "registrar", "auditor")
NOT_CASE_STAFF = ("finance", "policy_admin", "leader")
STAFF = (*CASE_READERS_KQ, "clerk_jx", *NOT_CASE_STAFF)


def expect(*, owner, other_applicant, no_profile, case_readers, clerk_jx, not_case_staff) -> dict[str, int]:
    table = {"anonymous": 403, "owner": owner, "other_applicant": other_applicant, "no_profile": no_profile,
             "clerk_jx": clerk_jx}
    table.update({role: case_readers for role in CASE_READERS_KQ})
    table.update({role: not_case_staff for role in NOT_CASE_STAFF})
    return table


READ_CASE = expect(owner=200, other_applicant=404, no_profile=403, case_readers=200, clerk_jx=404,
                   not_case_staff=403)


def owner_writes(success: int) -> dict[str, int]:
    return expect(owner=success, other_applicant=404, no_profile=403, case_readers=403, clerk_jx=403,
                  not_case_staff=403)


@dataclass
class World:
    owner: Applicant
    case: Application
    material: Material
    notification: Notification
    clerk: object = None


@dataclass
class Endpoint:
    name: str
    method: str
    path: Callable[[World], str]
    expected: dict[str, int]
    body: Callable[[World], dict] = lambda world: {}
    multipart: bool = False
    prepare: Callable[[World], None] | None = None
    headers: dict = field(default_factory=dict)


def case_path(action: str = "") -> Callable[[World], str]:
    return lambda world: f"{API}/applications/{world.case.case_number}/{action + '/' if action else ''}"


def correction_pending(world: World) -> None:
    """Filed, accepted, the ID card rejected in the one notice, a new one uploaded: ready to answer."""
    application_submit(application_id=world.case.pk, actor=world.owner.user)
    application_accept(application_id=world.case.pk, actor=world.clerk)
    material_review(material_id=world.material.pk, actor=world.clerk, accepted=False, reason="已过期")
    application_request_correction(application_id=world.case.pk, actor=world.clerk)
    material_add(application=world.case, checklist_code=world.material.checklist_code, upload=pdf("new.pdf"))


ENDPOINTS = [
    Endpoint("applicant-get", "get", lambda w: f"{API}/applicant/",
             expect(owner=200, other_applicant=200, no_profile=404, case_readers=403, clerk_jx=403,
                    not_case_staff=403)),
    Endpoint("applicant-register", "post", lambda w: f"{API}/applicant/",
             expect(owner=400, other_applicant=400, no_profile=201, case_readers=403, clerk_jx=403,
                    not_case_staff=403),
             body=lambda w: {"real_name": "新用户", "id_number": id_number(), "phone": "13700000000"}),
    Endpoint("application-list", "get", lambda w: f"{API}/applications/",
             expect(owner=200, other_applicant=200, no_profile=403, case_readers=200, clerk_jx=200,
                    not_case_staff=403)),
    # the owner already has a kq.graduate draft: allowed in, and told of it (one open draft per route)
    Endpoint("application-create", "post", lambda w: f"{API}/applications/",
             expect(owner=409, other_applicant=201, no_profile=403, case_readers=403, clerk_jx=403,
                    not_case_staff=403),
             body=lambda w: {"route": "kq.graduate", "jurisdiction": "sx.kq", "facts": GRADUATE_FACTS}),
    Endpoint("application-detail", "get", case_path(), READ_CASE),
    Endpoint("application-timeline", "get", case_path("timeline"), READ_CASE),
    Endpoint("material-file", "get", lambda w: f"{API}/materials/{w.material.pk}/file/", READ_CASE),
    Endpoint("family-member-add", "post", case_path("family-members"), owner_writes(201),
             body=lambda w: {"relation": "spouse", "real_name": "李四", "id_number": id_number()}),
    Endpoint("material-upload", "post", case_path("materials"), owner_writes(201), multipart=True,
             body=lambda w: {"checklist_code": "id_card", "file": SimpleUploadedFile("id.pdf", PDF_BYTES)}),
    Endpoint("submit", "post", case_path("submit"), owner_writes(200),
             headers={"HTTP_IDEMPOTENCY_KEY": "matrix-key"}),
    Endpoint("resubmit", "post", case_path("resubmit"), owner_writes(200), prepare=correction_pending),
    Endpoint("withdraw", "post", case_path("withdraw"), owner_writes(200), body=lambda w: {"reason": "不办了"}),
    Endpoint("notification-list", "get", lambda w: f"{API}/notifications/",
             {**{role: 200 for role in ROLES}, "anonymous": 403}),
    Endpoint("notification-read", "post", lambda w: f"{API}/notifications/{w.notification.pk}/read/",
             {**{role: 404 for role in ROLES}, "anonymous": 403, "owner": 200}),
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(applicant, draft, clerk) -> World:
    notification = Notification.objects.create(user=applicant.user, application=draft, subject="测试消息", body="正文")
    return World(owner=applicant, case=draft, material=draft.materials.order_by("pk").first(),
                 notification=notification, clerk=clerk)


def user_for(role: str, world: World, staff_factory):
    if role == "anonymous":
        return None
    if role == "owner":
        return world.owner.user
    if role == "other_applicant":
        return ApplicantFactory().user
    if role == "no_profile":
        return UserFactory()
    if role == "clerk_kq":
        return staff_factory("clerk", "sx.kq")
    if role == "clerk_jx":
        return staff_factory("clerk", "jx")
    return staff_factory(role, "sx.kq")


def snapshot(world: World) -> dict:
    case = Application.objects.get(pk=world.case.pk)
    return {
        "case": (case.state, case.version, case.due_date),
        "applications": Application.objects.count(),
        "applicants": Applicant.objects.count(),
        "family": FamilyMember.objects.count(),
        "materials": Material.objects.count(),
        "transitions": ApplicationTransition.objects.count(),
        "keys": IdempotencyKey.objects.count(),
        "unread": Notification.objects.filter(read_at__isnull=True).count(),
    }


def test_the_table_covers_every_role_and_every_api_route():
    from django.urls import get_resolver

    assert all(set(endpoint.expected) == set(ROLES) for endpoint in ENDPOINTS)
    routes = {
        (pattern.name, method)
        for pattern in get_resolver("applications.api.urls").url_patterns
        for method in ("get", "post")
        if hasattr(pattern.callback.view_class, method)
    }
    assert len(routes) == len(ENDPOINTS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_permission_matrix(endpoint: Endpoint, role: str, world: World, staff_factory):
    if endpoint.prepare is not None:
        endpoint.prepare(world)
    user = user_for(role, world, staff_factory)
    client = APIClient()
    if user is not None:
        client.force_login(type(user).objects.get(pk=user.pk))
    before = snapshot(world)

    call = getattr(client, endpoint.method)
    kwargs = {"format": "multipart" if endpoint.multipart else "json"} if endpoint.method == "post" else {}
    response = call(endpoint.path(world), endpoint.body(world), **kwargs, **endpoint.headers)

    expected = endpoint.expected[role]
    assert response.status_code == expected, getattr(response, "data", response)
    if expected >= 400:
        assert response.json()
        if endpoint.method == "post":
            assert snapshot(world) == before, "a refused call changed something"
    if expected in (403, 404):
        assert response.json()["detail"]


def test_lists_show_only_what_each_role_may_see(world, staff_factory):
    def case_numbers(user):
        client = APIClient()
        client.force_login(type(user).objects.get(pk=user.pk))
        return [row["case_number"] for row in client.get(f"{API}/applications/").json()["results"]]

    mine = world.case.case_number
    assert case_numbers(world.owner.user) == [mine]
    assert case_numbers(ApplicantFactory().user) == []
    assert case_numbers(staff_factory("clerk", "sx.kq")) == [mine]
    assert case_numbers(staff_factory("auditor", "sx")) == [mine]  # a parent jurisdiction covers its children
    assert case_numbers(staff_factory("clerk", "jx")) == []


def test_a_staff_account_cannot_register_as_an_applicant_even_by_the_service(staff_factory):
    from applications.errors import ApplicationError
    from applications.services.applicants import applicant_create

    with pytest.raises(ApplicationError) as refused:
        applicant_create(user=staff_factory("clerk"), real_name="张三", id_number=id_number(), phone="13800000000")
    assert refused.value.field == "user"


def test_the_applicant_group_name_matches_the_roles():
    from applications.services.applicants import APPLICANT_GROUP
    from hukou.roles import ROLES_BY_CODE

    assert ROLES_BY_CODE["applicant"].group == APPLICANT_GROUP


def test_csrf_is_enforced_for_session_clients(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(type(world.owner.user).objects.get(pk=world.owner.user.pk))

    response = client.post(f"{API}/applications/{world.case.case_number}/withdraw/", {}, format="json",
                           HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)

    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert Application.objects.get(pk=world.case.pk).state == "draft"
