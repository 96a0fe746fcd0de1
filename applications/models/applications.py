from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    REGISTERED = "registered", _("Registered")
    REFUSED = "refused", _("Refused")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ApplicationState
OPEN_STATES = [S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.CORRECTION_REQUESTED, S.RESUBMITTED, S.UNDER_REVIEW, S.APPROVED]
CLOSED_STATES = [S.REGISTERED, S.REFUSED, S.NOT_ACCEPTED, S.WITHDRAWN]
# The clerk work queues: which states wait for which step.
QUEUE_INDEX_STATES = {
    "accept": [S.SUBMITTED.value, S.RESUBMITTED.value],
    "review": [S.ACCEPTED.value],
    "approve": [S.UNDER_REVIEW.value],
    "register": [S.APPROVED.value],
}


class Application(ConcurrentTransitionMixin, models.Model):
    """落户申请 (a case): one route, one jurisdiction; facts and eligibility frozen at submission.

    The state moves only through the transition methods below, called by applications.services,
    which also write the audit row (ApplicationTransition) in the same transaction.
    """

    case_number = models.CharField(_("case number"), max_length=32, unique=True)
    applicant = models.ForeignKey(
        "applications.Applicant", verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="applications"
    )
    route = models.ForeignKey(
        "policies.SettlementRoute", verbose_name=_("settlement route"), on_delete=models.PROTECT,
        related_name="applications",
    )
    jurisdiction = models.ForeignKey(
        "policies.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
        related_name="applications",
    )
    facts = models.JSONField(_("declared facts"))
    eligibility = models.JSONField(_("eligibility at submission"), null=True, blank=True)
    route_snapshot = models.JSONField(
        _("route as in force at submission"), null=True, blank=True,
        help_text=_("Citation, criteria, checklist and promised days frozen when the case was submitted."),
    )
    state = FSMField(_("state"), default=S.DRAFT, choices=ApplicationState.choices, protected=True, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    clock_started_on = models.DateField(_("working-day clock started on"), null=True, blank=True)
    due_date = models.DateField(_("promised due date"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned clerk"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="assigned_applications",
    )
    decision_reason = models.TextField(_("decision reason"), blank=True)
    decision_condition = models.CharField(
        _("failing condition"), max_length=200, blank=True,
        help_text=_("For a refusal or not-accepted decision: the condition of the route that is not met."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        # One partial index per work queue, in the queue's order, so a first page reads a few index
        # entries instead of sorting every case of the step (bench/queues.py, a million cases).
        indexes = [
            *(
                models.Index(
                    fields=["due_date", "submitted_at", "id", "jurisdiction"],
                    condition=models.Q(state__in=states),
                    name=f"application_queue_{step}",
                )
                for step, states in QUEUE_INDEX_STATES.items()
            ),
            # the case lists (newest first by id) of one applicant and of one jurisdiction
            models.Index(fields=["jurisdiction", "-id"], name="application_by_jurisdiction"),
            models.Index(fields=["applicant", "-id"], name="application_by_applicant"),
        ]
        constraints = [
            # one open draft per applicant and route: concurrent "create draft" calls make one, not five
            models.UniqueConstraint(
                fields=["applicant", "route"], condition=models.Q(state="draft"),
                name="application_one_draft_per_route",
            ),
        ]

    def __str__(self) -> str:
        return self.case_number

    # --- transitions: state changes only; services do the rest ---
    @transition(field=state, source=S.DRAFT, target=S.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=[S.SUBMITTED, S.RESUBMITTED], target=S.ACCEPTED)
    def accept(self):
        pass

    @transition(field=state, source=[S.SUBMITTED, S.RESUBMITTED], target=S.NOT_ACCEPTED)
    def not_accept(self):
        pass

    @transition(field=state, source=S.ACCEPTED, target=S.CORRECTION_REQUESTED)
    def request_correction(self):
        pass

    @transition(field=state, source=S.CORRECTION_REQUESTED, target=S.RESUBMITTED)
    def resubmit(self):
        pass

    @transition(field=state, source=S.ACCEPTED, target=S.UNDER_REVIEW)
    def start_review(self):
        pass

    @transition(field=state, source=S.UNDER_REVIEW, target=S.APPROVED)
    def approve(self):
        pass

    @transition(field=state, source=S.UNDER_REVIEW, target=S.REFUSED)
    def refuse(self):
        pass

    @transition(field=state, source=S.APPROVED, target=S.REGISTERED)
    def register(self):
        pass

    @transition(field=state, source=OPEN_STATES, target=S.WITHDRAWN)
    def withdraw(self):
        pass
