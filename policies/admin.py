"""Policy tables in the admin: editable by the policy admin, every edit kept with who/when/old/new."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hukou.admin_base import GuardedHistoryAdmin
from hukou.jsonlimits import JsonInputError, json_loads_bounded
from policies.models import (
    FACT_EVENT_KINDS,
    Follower,
    Honour,
    HousingProgram,
    Indicator,
    Jurisdiction,
    PointsBand,
    PointsIndicator,
    PointsScheme,
    PolicyDocument,
    ProgramBudget,
    SettlementRoute,
    StatutoryTimeLimit,
    SubsidyProgram,
    Target,
    WorkingCalendarDay,
)
from policies.models.targets import AGE_BANDS, EDUCATION_LEVELS


class ReadableJSONField(forms.JSONField):
    """JSON in a textarea, indented and with Chinese left as Chinese; depth-limited like every JSON input
    (hukou.jsonlimits), so a nesting bomb is a form error, not a RecursionError."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                json_loads_bounded(value)
            except JsonInputError as error:
                raise ValidationError(error.message, code="invalid") from None
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)


def _json_widget(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "cols": 100, "style": "font-family: monospace"})


class SettlementRouteForm(forms.ModelForm):
    criteria = ReadableJSONField(label=_("criteria"), widget=_json_widget(24))
    followers = forms.TypedMultipleChoiceField(
        label=_("followers allowed"), choices=Follower.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    material_checklist = ReadableJSONField(label=_("material checklist"), widget=_json_widget(10), required=False)
    address_options = ReadableJSONField(
        label=_("registration address options"), widget=_json_widget(4), required=False,
        help_text=_("In order of precedence: own_residence, relative_household, employer_collective, "
                    "school_collective, talent_collective, community_collective."),
    )

    class Meta:
        model = SettlementRoute
        fields = [
            "code", "name", "document", "clause", "active", "sort_order", "jurisdictions", "excluded_jurisdictions",
            "criteria", "followers", "followers_cohabit", "material_checklist", "promised_working_days",
            "address_options", "note",
        ]

    def clean_material_checklist(self):
        return self.cleaned_data["material_checklist"] or []

    def clean_address_options(self):
        return self.cleaned_data["address_options"] or []


class PolicyAdmin(GuardedHistoryAdmin):
    """Base for policy tables: global reference data (not scoped: every member of staff with the view
    permission reads them, the policy admin's change permission edits them), history on every row. A
    version page reverts only for a user with the change permission; the history of a deleted row stays
    readable."""

    save_on_top = True
    history_of_deleted_rows = True


@admin.register(Jurisdiction)
class JurisdictionAdmin(PolicyAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(PolicyAdmin):
    list_display = ["number", "title", "issuer", "in_force_from", "in_force_until"]
    search_fields = ["number", "title", "issuer"]
    filter_horizontal = ["supersedes"]


@admin.register(SettlementRoute)
class SettlementRouteAdmin(PolicyAdmin):
    form = SettlementRouteForm
    list_display = ["code", "name", "citation", "scope", "promised_working_days", "active"]
    list_filter = ["active", "document", "jurisdictions"]
    search_fields = ["code", "name", "clause"]
    filter_horizontal = ["jurisdictions", "excluded_jurisdictions"]
    fieldsets = [
        (None, {"fields": ["code", "name", "document", "clause", "active", "sort_order"]}),
        (_("Where"), {"fields": ["jurisdictions", "excluded_jurisdictions"]}),
        (_("Who qualifies"), {"fields": ["criteria", "followers", "followers_cohabit"]}),
        (_("Handling"), {"fields": ["material_checklist", "promised_working_days", "address_options", "note"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document").prefetch_related("jurisdictions")

    @admin.display(description=_("citation"))
    def citation(self, obj):
        return obj.citation

    @admin.display(description=_("applies in"))
    def scope(self, obj):
        return "、".join(j.code for j in obj.jurisdictions.all())


class PointsIndicatorInline(admin.TabularInline):
    model = PointsIndicator
    extra = 0
    show_change_link = True


def indicators_without_table(scheme: PointsScheme) -> list[str]:
    """The indicators of a scheme that have no scoring table yet: they score nothing."""
    return [i.name for i in scheme.indicators.all() if not any(True for _band in i.bands.all())]


@admin.register(PointsScheme)
class PointsSchemeAdmin(PolicyAdmin):
    """A scheme whose indicators lack scoring tables is incomplete: it is said on the list and on the
    scheme's page, since nobody can reach the line while they score nothing (杭政 二(四))."""

    list_display = ["name", "jurisdiction", "valid_from", "valid_until", "threshold", "completeness"]
    list_select_related = ["jurisdiction"]
    inlines = [PointsIndicatorInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("indicators__bands")

    @admin.display(description=_("scoring tables"))
    def completeness(self, obj):
        missing = indicators_without_table(obj)
        if not missing:
            return _("complete")
        return format_html('<strong style="color:#ba2121">{}</strong>',
                           _("incomplete, no table: %(names)s") % {"names": "、".join(missing)})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        scheme = self.get_queryset(request).filter(pk=object_id).first()
        missing = indicators_without_table(scheme) if scheme else []
        if missing and request.method == "GET":
            self.message_user(request, _(
                "This points scheme is incomplete: these indicators have no scoring table and score 0, "
                "so the public is told that only the configured indicators count: %(names)s."
            ) % {"names": "、".join(missing)}, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)


class PointsBandInline(admin.TabularInline):
    model = PointsBand
    extra = 1


@admin.register(PointsIndicator)
class PointsIndicatorAdmin(PolicyAdmin):
    list_display = ["code", "name", "scheme", "source", "max_points"]
    list_select_related = ["scheme"]
    inlines = [PointsBandInline]


@admin.register(Honour)
class HonourAdmin(PolicyAdmin):
    """绍柯 二(一)1 "劳动模范、优秀农民工等": the honours that count; the facts' ``honors`` take these codes."""

    list_display = ["code", "name", "level", "document", "clause", "active", "sort_order"]
    list_filter = ["active"]
    search_fields = ["code", "name"]


FACT_CHOICES = list(FACT_EVENT_KINDS.items())


class SubsidyProgramForm(forms.ModelForm):
    """Conditions are edited like route criteria: compiled on save, the place of an error named."""

    conditions = ReadableJSONField(label=_("conditions"), widget=_json_widget(20))
    starts_with = forms.TypedMultipleChoiceField(
        label=_("starts with the facts"), choices=FACT_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    stops_with = forms.TypedMultipleChoiceField(
        label=_("stops with the facts"), choices=FACT_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = SubsidyProgram
        fields = [
            "code", "name", "document", "clause", "jurisdiction", "active", "amount_fen", "period", "max_periods",
            "beneficiary", "family", "stacks_with", "commitment_years", "conditions", "starts_with", "stops_with",
            "description",
        ]


@admin.register(SubsidyProgram)
class SubsidyProgramAdmin(PolicyAdmin):
    form = SubsidyProgramForm
    list_display = ["code", "name", "amount_fen", "period", "max_periods", "family", "beneficiary", "active"]
    filter_horizontal = ["stacks_with"]
    search_fields = ["code", "name"]
    fieldsets = [
        (None, {"fields": ["code", "name", "document", "clause", "jurisdiction", "active"]}),
        (_("Money"), {"fields": ["amount_fen", "period", "max_periods", "beneficiary", "family", "stacks_with"]}),
        (_("Who qualifies"), {"fields": ["conditions", "description"]}),
        (_("When it pays"), {"fields": ["starts_with", "stops_with", "commitment_years"]}),
    ]


@admin.register(HousingProgram)
class HousingProgramAdmin(PolicyAdmin):
    list_display = ["code", "name", "max_term_months", "area_standard_sqm", "active"]


@admin.register(WorkingCalendarDay)
class WorkingCalendarDayAdmin(PolicyAdmin):
    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind", "source"]
    date_hierarchy = "date"
    search_fields = ["name"]


class IndicatorForm(forms.ModelForm):
    education_levels = forms.TypedMultipleChoiceField(
        label=_("only these education levels"), choices=EDUCATION_LEVELS, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    age_bands = forms.TypedMultipleChoiceField(
        label=_("only these age bands"), choices=[(code, label) for code, label, *_bounds in AGE_BANDS],
        required=False, widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Indicator
        fields = [
            "code", "name", "jurisdiction", "source", "measure", "unit", "definition", "routes", "education_levels",
            "age_bands", "count_followers", "active", "sort_order",
        ]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["kind", "value", "wording", "first_year", "last_year", "document", "clause", "active"]
    show_change_link = True


@admin.register(Indicator)
class IndicatorAdmin(PolicyAdmin):
    """统计指标 of the notices' targets; outside figures are entered on the yearly figures page."""

    form = IndicatorForm
    list_display = ["code", "name", "jurisdiction", "source", "measure", "unit", "active"]
    list_filter = ["source", "jurisdiction", "active"]
    list_select_related = ["jurisdiction"]
    search_fields = ["code", "name"]
    filter_horizontal = ["routes"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(PolicyAdmin):
    """目标任务, each citing its clause (绍柯 一 etc.)."""

    list_display = ["indicator", "kind", "value", "wording", "first_year", "last_year", "citation", "active"]
    list_filter = ["kind", "indicator__jurisdiction", "active"]
    list_select_related = ["indicator", "document"]
    search_fields = ["indicator__code", "indicator__name", "clause", "quote"]

    @admin.display(description=_("citation"))
    def citation(self, obj):
        return obj.citation


@admin.register(StatutoryTimeLimit)
class StatutoryTimeLimitAdmin(PolicyAdmin):
    list_display = ["code", "working_days", "citation"]


@admin.register(ProgramBudget)
class ProgramBudgetAdmin(PolicyAdmin):
    list_display = ["program", "year", "amount_yuan", "basis"]
    list_filter = ["year", "program"]
    list_select_related = ["program"]

    @admin.display(description=_("budget (yuan)"), ordering="amount_fen")
    def amount_yuan(self, obj):
        return f"{obj.amount_fen // 100:,}.{obj.amount_fen % 100:02d}"
