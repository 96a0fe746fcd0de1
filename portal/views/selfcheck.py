"""自助检测: choose the place, answer what its routes need, see every route with ✓/✗ per condition."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from applications.errors import ApplicationError, DraftExistsError
from applications.models import Application, ApplicationState
from applications.services.drafts import application_create
from policies.eligibility.catalogue import get_catalogue
from policies.eligibility.checklist import checklist_applicable
from policies.eligibility.engine import eligibility_evaluate
from policies.eligibility.errors import EligibilityInputError
from portal import forms
from portal.presenters import FOLLOWER_LABELS, place_labels, program_rows
from portal.questions import Questionnaire, facts_from_answers, field_name, questionnaire_for
from portal.views.common import applicant_required, portal_page

SESSION_KEY = "portal_selfcheck"


def _places() -> tuple[dict[str, dict], list[tuple[str, str]]]:
    """Places one can settle in: every jurisdiction below the province, except a city that is split
    into its urban area and counties (杭州市: one chooses 杭州市区 or the county)."""
    labels = {label["code"]: label for label in place_labels().values()}
    split = {label["parent_code"] for label in labels.values() if label["level"] == "urban_area"}
    choices = [(code, label["full"]) for code, label in sorted(labels.items())
               if not label["is_root"] and code not in split]
    return labels, choices


def _questionnaire(place: dict) -> Questionnaire:
    return questionnaire_for(place=place["code"], place_name=place["full"], city_name=place["city"],
                             on=timezone.localdate())


def _typed_answers(request, questionnaire: Questionnaire) -> dict:
    """What the person typed, kept in the session so that the next visit starts from it."""
    answers = {}
    for question in questionnaire.questions:
        name = field_name(question.path)
        answers[name] = request.POST.getlist(name) if question.kind == "multi" else request.POST.get(name, "")
    return answers


@require_http_methods(["GET", "POST"])
@portal_page
def check(request):
    labels, choices = _places()
    saved = request.session.get(SESSION_KEY) or {}
    chosen = request.POST.get("place") or request.GET.get("place")
    place_form = forms.PlaceForm({"place": chosen} if chosen else None, places=choices,
                                 initial={"place": saved.get("place", "")})
    if not chosen or not place_form.is_valid():
        return render(request, "portal/check_place.html", {"place_form": place_form},
                      status=400 if chosen else 200)
    place = labels[place_form.cleaned_data["place"]]
    questionnaire = _questionnaire(place)
    initial = dict(saved.get("answers") or {})
    if request.method == "POST":
        form = forms.questions_form(questionnaire, request.POST, initial=initial)
        if form.is_valid():
            facts = facts_from_answers(questionnaire.questions, form.cleaned_data)
            try:
                eligibility_evaluate(facts=facts, jurisdiction=place["code"], on=timezone.localdate())
            except EligibilityInputError as error:
                forms.form_error_from(form, ApplicationError(error.field, error.message))
            else:
                request.session[SESSION_KEY] = {
                    "place": place["code"], "facts": facts, "answers": _typed_answers(request, questionnaire),
                }
                return redirect("portal:check_result")
    else:
        form = forms.questions_form(questionnaire, initial=initial)
    groups = [(group, [form[field_name(q.path)] for q in questions])
              for group, questions in questionnaire.groups()]
    return render(request, "portal/check_questions.html", {
        "place": place, "place_form": place_form, "form": form, "groups": groups,
        "route_count": len(questionnaire.route_codes),
    }, status=400 if form.errors else 200)


def _evaluate(saved: dict, labels: dict) -> dict | None:
    place = labels.get(saved.get("place"))
    if place is None:
        return None
    on = timezone.localdate()
    try:
        result = eligibility_evaluate(facts=saved["facts"], jurisdiction=place["code"], on=on)
    except EligibilityInputError:
        return None
    catalogue = get_catalogue()
    compiled = {route.code: route for route in catalogue.routes_for(place["code"], on)}
    beneficiaries = {program.code: program.beneficiary for program in catalogue.programs_for(place["code"], on)}
    routes = []
    for route in result["routes"]:
        extra = compiled.get(route["code"])
        routes.append({
            **route,
            "followers_display": [FOLLOWER_LABELS.get(code, code) for code in route["followers"]],
            "materials": checklist_applicable(extra.material_checklist, saved["facts"], on) if extra else [],
            "program_rows": program_rows(route["programs"], beneficiaries),
            "promised_working_days": extra.promised_working_days if extra else None,
        })
    routes.sort(key=lambda route: not route["eligible"])  # stable: the catalogue's order within each group
    return {"place": place, "routes": routes, "eligible": [r for r in routes if r["eligible"]], "date": on}


@require_http_methods(["GET"])
@portal_page
def check_result(request):
    labels, _choices = _places()
    saved = request.session.get(SESSION_KEY)
    outcome = _evaluate(saved, labels) if saved else None
    if outcome is None:
        messages.info(request, "请先完成自助检测。")
        return redirect("portal:check")
    return render(request, "portal/check_result.html", outcome)


@require_http_methods(["GET", "POST"])
@applicant_required
def apply(request, route_code: str):
    """Open a draft for a route the self-check found eligible, with the facts the person declared."""
    labels, _choices = _places()
    saved = request.session.get(SESSION_KEY)
    outcome = _evaluate(saved, labels) if saved else None
    route = next((r for r in outcome["routes"] if r["code"] == route_code), None) if outcome else None
    if route is None or not route["eligible"]:
        messages.error(request, "请先完成自助检测，并选择一条您符合条件的落户途径。")
        return redirect("portal:check_result" if outcome else "portal:check")
    place = outcome["place"]
    existing = (
        Application.objects.filter(applicant=request.applicant, route__code=route_code, state=ApplicationState.DRAFT)
        .only("case_number").first()
    )
    form = forms.StartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if existing is not None:  # a second click, or an older draft: carry on with that one
            messages.info(request, f"您已有此途径的草稿 {existing.case_number}，请继续填报。")
            return redirect("portal:case", case_number=existing.case_number)
        try:
            application = application_create(applicant=request.applicant, route_code=route_code,
                                             jurisdiction_code=place["code"], facts=saved["facts"])
        except DraftExistsError as exists:  # opened a moment ago in another tab
            messages.info(request, exists.message)
            return redirect("portal:case", case_number=exists.case_number)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"已创建申请草稿 {application.case_number}。请添加随迁人员、上传材料后提交。")
            return redirect(reverse("portal:case", kwargs={"case_number": application.case_number}))
    return render(request, "portal/apply.html", {"route": route, "place": place, "form": form,
                                                 "existing": existing}, status=400 if form.errors else 200)
