"""好差评: rate a finished case on the five levels for each online indicator."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from applications.errors import ApplicationError, ConflictError
from applications.services.ratings import rating_submit
from portal import forms
from portal.presenters import can_rate
from portal.views.common import applicant_required, own_case


@require_http_methods(["GET", "POST"])
@applicant_required
def rate(request, case_number: str):
    application = own_case(request, case_number, related=("rating",))
    try:
        application.rating  # noqa: B018 - raises when there is none yet
    except ObjectDoesNotExist:
        pass
    else:
        messages.info(request, "您已评价过这件办件，感谢您的反馈。")
        return redirect("portal:case", case_number=application.case_number)
    if not can_rate(application):
        messages.error(request, "办件办结后才能评价。")
        return redirect("portal:case", case_number=application.case_number)
    form = forms.RatingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            rating = rating_submit(application_id=application.pk, actor=request.user, scores=form.scores(),
                                   comment=form.cleaned_data["comment"])
        except ApplicationError as error:
            forms.form_error_from(form, error)
        except ConflictError as error:
            messages.info(request, error.message)
            return redirect("portal:case", case_number=application.case_number)
        else:
            if rating.is_poor:
                messages.success(request, "感谢您的评价。我们已将您的意见转交办理单位，将尽快联系您并整改。")
            else:
                messages.success(request, "感谢您的评价！")
            return redirect("portal:case", case_number=application.case_number)
    return render(request, "portal/rate.html", {"application": application, "form": form},
                  status=400 if form.errors else 200)
