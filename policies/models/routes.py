from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from policies.eligibility.errors import ConditionError
from policies.models.jurisdictions import code_validator


class Follower(models.TextChoices):
    """随迁: who may settle together with the applicant."""

    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    MINOR_CHILD = "minor_child", _("Minor child")
    PARENT = "parent", _("Parent")
    SPOUSE_PARENT = "spouse_parent", _("Spouse's parent")


class AddressOption(models.TextChoices):
    """落户地址 kinds, in the order of precedence of 嘉政 四, 绍柯 二(三)6 and 浙政 二(一)."""

    OWN_RESIDENCE = "own_residence", _("Own or close relative's legal stable residence")
    RELATIVE_HOUSEHOLD = "relative_household", _("Family household of a relative who agrees")
    EMPLOYER_COLLECTIVE = "employer_collective", _("Employer's collective household")
    SCHOOL_COLLECTIVE = "school_collective", _("School's collective household")
    TALENT_COLLECTIVE = "talent_collective", _("Public employment and talent-service collective household")
    COMMUNITY_COLLECTIVE = "community_collective", _("Community (village) public collective household")


ADDRESS_PRECEDENCE = [choice.value for choice in AddressOption]


def validate_criteria(value) -> None:
    from policies.eligibility.conditions import compile_criteria

    try:
        compile_criteria(value)
    except ConditionError as exc:
        raise ValidationError(_("Invalid criterion: %(error)s"), params={"error": str(exc)}) from exc


def _validate_code_list(value, allowed: list[str], what: str) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Must be a list of codes."))
    unknown = [item for item in value if item not in allowed]
    if unknown:
        raise ValidationError(
            _("Unknown %(what)s: %(codes)s (allowed: %(allowed)s)"),
            params={"what": what, "codes": ", ".join(unknown), "allowed": ", ".join(allowed)},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("A code is listed twice."))


def validate_followers(value) -> None:
    _validate_code_list(value, Follower.values, _("follower"))


def validate_address_options(value) -> None:
    _validate_code_list(value, ADDRESS_PRECEDENCE, _("address option"))


def validate_checklist(value) -> None:
    """Items ``{"code", "name", "required"?, "note"?, "when"?}``; ``when`` is a rule over the facts
    (the condition language of criteria): the item is asked only of people whose facts satisfy it."""
    from policies.eligibility.conditions import compile_rule

    if not isinstance(value, list):
        raise ValidationError(_("Must be a list of {\"code\", \"name\", \"required\"} items."))
    codes = set()
    for index, item in enumerate(value, start=1):
        keys = set(item) if isinstance(item, dict) else set()
        if not {"code", "name"} <= keys or keys - {"code", "name", "required", "note", "max_files", "when"}:
            raise ValidationError(
                _("Item %(n)s must have code and name (and optionally required, note, max_files, when)."),
                params={"n": index},
            )
        if "when" in item:
            try:
                compile_rule(item["when"], f"第 {index} 项.when")
            except ConditionError as exc:
                raise ValidationError(_("Invalid criterion: %(error)s"), params={"error": str(exc)}) from exc
        if not isinstance(item["code"], str) or not item["code"] or item["code"] in codes:
            raise ValidationError(_("Item %(n)s: the code is empty or repeated."), params={"n": index})
        if not isinstance(item["name"], str) or not item["name"].strip():
            raise ValidationError(_("Item %(n)s: the name is empty."), params={"n": index})
        if "required" in item and not isinstance(item["required"], bool):
            raise ValidationError(_("Item %(n)s: required must be true or false."), params={"n": index})
        if "max_files" in item and not (
            isinstance(item["max_files"], int) and not isinstance(item["max_files"], bool)
            and 1 <= item["max_files"] <= 50
        ):
            raise ValidationError(_("Item %(n)s: max_files must be a whole number from 1 to 50."),
                                  params={"n": index})
        codes.add(item["code"])


class SettlementRoute(models.Model):
    """落户途径: one way to settle, defined by a clause of a notice, on some jurisdictions."""

    code = models.CharField(_("code"), max_length=60, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    document = models.ForeignKey(
        "policies.PolicyDocument", verbose_name=_("policy document"), on_delete=models.PROTECT,
        related_name="routes",
    )
    clause = models.CharField(_("clause"), max_length=40, help_text=_("e.g. 二(一)1"))
    jurisdictions = models.ManyToManyField(
        "policies.Jurisdiction", verbose_name=_("applies in"), related_name="routes",
        help_text=_("The route applies here and in every sub-jurisdiction, except the exclusions."),
    )
    excluded_jurisdictions = models.ManyToManyField(
        "policies.Jurisdiction", verbose_name=_("except in"), related_name="excluded_routes", blank=True,
    )
    criteria = models.JSONField(
        _("criteria"), validators=[validate_criteria],
        help_text=_('A list of {"label": "中文说明", "rule": JsonLogic}; all must hold.'),
    )
    followers = models.JSONField(_("followers allowed"), default=list, blank=True, validators=[validate_followers])
    followers_cohabit = models.BooleanField(
        _("followers must live with the applicant"), default=False,
        help_text=_("共同居住生活 (嘉政 一): each follower is asked, and refused if not."),
    )
    material_checklist = models.JSONField(
        _("material checklist"), default=list, blank=True, validators=[validate_checklist]
    )
    promised_working_days = models.PositiveSmallIntegerField(
        _("promised working days"), validators=[MinValueValidator(1)]
    )
    address_options = models.JSONField(
        _("registration address options"), default=list, blank=True, validators=[validate_address_options]
    )
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("display order"), default=100)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords(m2m_fields=[jurisdictions, excluded_jurisdictions])

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("settlement route")
        verbose_name_plural = _("settlement routes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def citation(self) -> str:
        return f"{self.document.number} {self.clause}"
