"""Helpers shared by the admin tests (this module holds no tests of its own)."""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from applications.models import Application, ApplicationState, FamilyMember, Material
from applications.services.case_numbers import case_number_new
from policies.models import Jurisdiction, SettlementRoute
from tests.applications.factories import GRADUATE_FACTS, PDF_BYTES, id_number

S = ApplicationState
CHANGELIST = "/admin/applications/application/"


def case_url(case) -> str:
    return f"{CHANGELIST}{case.pk}/change/"


def action_url(case, action: str) -> str:
    return f"{CHANGELIST}{case.pk}/transition/{action}/"


def client_for(user) -> Client:
    # UserFactory skips the save after set_password: log in with the password the table holds,
    # or the session's password hash would not match and the session would be dropped.
    user.refresh_from_db()
    client = Client()
    client.force_login(user)
    return client


def make_case(applicant, *, state=S.SUBMITTED, jurisdiction: str = "sx.kq", route: str = "kq.graduate",
              due: date | None = None, facts: dict | None = None) -> Application:
    """A case written straight to the table in a given state (the services are tested elsewhere)."""
    route_obj = SettlementRoute.objects.select_related("document").get(code=route)
    snapshot = {
        "code": route_obj.code, "name": route_obj.name, "citation": route_obj.citation,
        "document": route_obj.document.number, "clause": route_obj.clause, "criteria": route_obj.criteria,
        "followers": route_obj.followers, "material_checklist": route_obj.material_checklist,
        "promised_working_days": route_obj.promised_working_days, "address_options": route_obj.address_options,
    }
    submitted = state != S.DRAFT
    return Application.objects.create(
        case_number=case_number_new(jurisdiction_code=jurisdiction, on=date(2026, 3, 2)),
        applicant=applicant,
        route=route_obj,
        jurisdiction=Jurisdiction.objects.get(code=jurisdiction),
        facts=facts or GRADUATE_FACTS,
        state=state,
        route_snapshot=snapshot if submitted else None,
        eligibility={
            "code": route_obj.code, "eligible": True, "followers": route_obj.followers,
            "conditions": [{"label": item["label"], "ok": True} for item in route_obj.criteria],
        } if submitted else None,
        submitted_at=timezone.now() if submitted else None,
        due_date=due,
    )


def add_material(case, code: str = "id_card") -> Material:
    return Material.objects.create(
        application=case, checklist_code=code, file=ContentFile(PDF_BYTES, name="doc.pdf"),
        original_name=f"{code}.pdf", content_type="application/pdf", size=len(PDF_BYTES), sha256="0" * 64,
    )


def add_family(case, relation: str = "spouse") -> FamilyMember:
    return FamilyMember.objects.create(
        application=case, relation=relation, real_name="李四", id_number=id_number(date(1996, 2, 3))
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []
