"""The small forms of the case page. They only collect input; the services check every rule."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from applications.selectors import registration_address_options


class CaseActionForm(forms.Form):
    """Every action on a case carries the version the page was rendered with (optimistic concurrency)."""

    expected_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, application: Application, **kwargs):
        self.application = application
        kwargs.setdefault("initial", {}).setdefault("expected_version", application.version)
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        """Keyword arguments for the service, besides application_id, actor and expected_version."""
        return {}


class ReasonForm(CaseActionForm):
    reason_required = False
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "cols": 60})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = self.reason_required

    def service_kwargs(self) -> dict:
        return {"reason": self.cleaned_data["reason"]}


class AcceptForm(ReasonForm):
    pass


class ApproveForm(ReasonForm):
    pass


class DecideAgainstForm(ReasonForm):
    """不予受理 / 不予批准: the reason, and the failing condition picked from the route's frozen criteria."""

    reason_required = True
    condition = forms.ChoiceField(label=_("Failing condition"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        criteria = (self.application.route_snapshot or {}).get("criteria") or []
        labels = [item["label"] for item in criteria if item.get("label")]
        self.fields["condition"].choices = [("", _("— none: the reason alone —"))] + [(lab, lab) for lab in labels]

    def service_kwargs(self) -> dict:
        return {"reason": self.cleaned_data["reason"], "condition": self.cleaned_data["condition"]}


class NotAcceptForm(DecideAgainstForm):
    pass


class RefuseForm(DecideAgainstForm):
    pass


class StartReviewForm(CaseActionForm):
    pass


class RequestCorrectionForm(CaseActionForm):
    """一次性告知: rejected and missing materials are listed by the service; the clerk may add other
    checklist items with a reason, all in the same single notice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        checklist = (self.application.route_snapshot or {}).get("material_checklist") or []
        self.extra_codes = []
        for item in checklist:
            name = f"extra_{item['code']}"
            self.fields[name] = forms.CharField(
                label=item["name"], required=False, max_length=500,
                widget=forms.TextInput(attrs={"size": 50, "placeholder": _("reason, if this item is to be corrected")}),
            )
            self.extra_codes.append((item["code"], name))

    def service_kwargs(self) -> dict:
        extra = [
            {"code": code, "reason": self.cleaned_data[name].strip()}
            for code, name in self.extra_codes
            if self.cleaned_data.get(name, "").strip()
        ]
        return {"extra_items": extra}


class RegisterForm(CaseActionForm):
    """落户登记: exactly the address kinds the case may use, in the order of precedence, first one chosen."""

    address_type = forms.ChoiceField(label=_("Address type"), widget=forms.RadioSelect)
    address = forms.CharField(
        label=_("Registration address"), max_length=200, widget=forms.TextInput(attrs={"size": 60})
    )
    registered_on = forms.DateField(label=_("Settlement date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = registration_address_options(self.application)
        self.fields["address_type"].choices = options
        if options:
            self.fields["address_type"].initial = options[0][0]
        self.fields["registered_on"].initial = timezone.localdate()

    def service_kwargs(self) -> dict:
        return {
            "address_type": self.cleaned_data["address_type"],
            "address": self.cleaned_data["address"],
            "registered_on": self.cleaned_data["registered_on"],
        }


TRANSITION_FORMS: dict[str, type[CaseActionForm]] = {
    "accept": AcceptForm,
    "not_accept": NotAcceptForm,
    "request_correction": RequestCorrectionForm,
    "start_review": StartReviewForm,
    "approve": ApproveForm,
    "refuse": RefuseForm,
    "register": RegisterForm,
}


class MaterialReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Review"),
        choices=[("accept", _("Accept the material")), ("reject", _("Reject the material"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (for a rejection)"), required=False, max_length=1000,
        widget=forms.TextInput(attrs={"size": 40}),
    )
