"""The dashboard's filters: a jurisdiction the user may see, and a range of months."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboard.selectors import Scope, subtree_ids
from policies.models import Jurisdiction

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_MONTHS = 120


def _month(value: str, field: str) -> date:
    match = MONTH.match(value or "")
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1990:
        raise forms.ValidationError(
            _("%(field)s: a month is written YYYY-MM, e.g. 2025-01."), params={"field": field}, code="month"
        )
    return date(int(match.group(1)), int(match.group(2)), 1)


class DashboardFilterForm(forms.Form):
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), required=False)
    start = forms.CharField(label=_("From month"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
    end = forms.CharField(label=_("To month"), required=False, widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, data, *, visible_ids: frozenset[int], today: date):
        super().__init__(data)
        self.visible_ids = visible_ids
        self.today = today
        self.places = list(Jurisdiction.objects.filter(pk__in=visible_ids).order_by("code"))
        top = min((place.code.count(".") for place in self.places), default=0)
        self.fields["jurisdiction"].choices = [("", _("All I may see"))] + [
            (place.code, f"{'　' * (place.code.count('.') - top)}{place.name}") for place in self.places
        ]
        self.fields["start"].widget.attrs["placeholder"] = f"{today:%Y}-01"
        self.fields["end"].widget.attrs["placeholder"] = f"{today:%Y-%m}"

    def clean_start(self):
        value = self.cleaned_data.get("start")
        return _month(value, str(_("From month"))) if value else date(self.today.year, 1, 1)

    def clean_end(self):
        value = self.cleaned_data.get("end")
        return _month(value, str(_("To month"))) if value else self.today.replace(day=1)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("To month: cannot come before the from month."))
            elif (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
                self.add_error("end", _("To month: at most %(n)s months at a time.") % {"n": MAX_MONTHS})
        return cleaned

    def scope(self) -> Scope:
        """The scope to show (the form must be valid)."""
        code = self.cleaned_data.get("jurisdiction")
        ids = self.visible_ids
        if code:
            place = next(p for p in self.places if p.code == code)
            ids = ids & subtree_ids(place.pk)
        return Scope(jurisdiction_ids=frozenset(ids), first_month=self.cleaned_data["start"],
                     last_month=self.cleaned_data["end"])

    def describe(self) -> str:
        code = self.cleaned_data.get("jurisdiction")
        place = next((p.name for p in self.places if p.code == code), str(_("All I may see")))
        return f"{place}，{self.cleaned_data['start']:%Y-%m} — {self.cleaned_data['end']:%Y-%m}"
