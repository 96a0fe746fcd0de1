"""Payments, payment runs and the programs finance starts runs for."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.admin.scoped import ScopedAdmin
from hukou.queueing import enqueue_on_commit
from subsidies.access import may_act_on_payments
from subsidies.admin.base import ReadOnlyMixin, amount, masked_settler, progress_bar, report_errors
from subsidies.models import Payment, PaymentProgram, PaymentRun
from subsidies.periods import KEY_EXAMPLES
from subsidies.selectors import PAYMENT_PATH, PROGRAM_PATH, RUN_PATH
from subsidies.services.audit import audit_write_many
from subsidies.services.recovery import payment_recovery_resolve
from subsidies.services.runs import payment_run_is_stalled, payment_run_start


def _enqueue(run_id: int) -> None:
    from subsidies.tasks import payment_run_task

    enqueue_on_commit(payment_run_task, args=[run_id])  # broker down: beat resumes it as stalled


class ResolveForm(ActionForm):
    note = forms.CharField(label=_("note"), required=False, max_length=200)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyMixin, ScopedAdmin):
    jurisdiction_path = PAYMENT_PATH
    personal_data_path = "applicant"
    list_display = ["id", "settler", "family", "period", "amount_yuan", "run", "created_at", "recovery_status",
                    "recovery_reason"]
    list_filter = ["recovery_status", "family", "period"]
    search_fields = ["=applicant__id_number", "=period"]
    list_select_related = ["applicant"]
    show_full_result_count = False
    action_form = ResolveForm
    actions = ["mark_recovered", "waive_recovery"]
    fields = ["entitlement", "settler", "family", "period", "reference_date", "amount_yuan", "run", "created_at",
              "recovery_status", "recovery_reason", "recovery_changed_at", "recovery_changed_by"]
    readonly_fields = fields

    def has_resolve_permission(self, request):
        return may_act_on_payments(request.user)

    @admin.display(description=_("settler"))
    def settler(self, obj):
        return masked_settler(obj.applicant)

    @admin.display(description=_("amount"), ordering="amount_fen")
    def amount_yuan(self, obj):
        return amount(obj.amount_fen)

    def _resolve(self, request, queryset, outcome):
        ids = list(queryset.values_list("pk", flat=True))
        done = report_errors(self, request, lambda: payment_recovery_resolve(
            payment_ids=ids, outcome=outcome, actor=request.user, note=request.POST.get("note", "")))
        if done is not None:
            self.message_user(request, gettext("%(count)d payments closed.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Mark the selected payments recovered"), permissions=["resolve"])
    def mark_recovered(self, request, queryset):
        self._resolve(request, queryset, Payment.Recovery.RECOVERED)

    @admin.action(description=_("Waive recovery of the selected payments (give the reason)"), permissions=["resolve"])
    def waive_recovery(self, request, queryset):
        self._resolve(request, queryset, Payment.Recovery.WAIVED)


@admin.register(PaymentRun)
class PaymentRunAdmin(ReadOnlyMixin, ScopedAdmin):
    jurisdiction_path = RUN_PATH
    list_display = ["id", "program", "period", "reference_date", "state", "progress", "processed", "total",
                    "inserted", "chunks", "attempts", "trigger", "started_by", "created_at", "finished_at"]
    list_filter = ["status", "program", "trigger"]
    search_fields = ["=period"]
    list_select_related = ["program", "started_by"]
    actions = ["resume"]
    fields = ["program", "period", "reference_date", "state", "progress", "chunk_size", "cursor", "total",
              "processed", "inserted", "chunks", "attempts", "trigger", "started_by", "created_at", "started_at",
              "heartbeat_at", "finished_at", "error"]
    readonly_fields = fields

    def has_run_permission(self, request):
        return may_act_on_payments(request.user)

    @admin.display(description=_("progress"))
    def progress(self, obj):
        return progress_bar(obj.percent)

    @admin.display(description=_("status"), ordering="status")
    def state(self, obj):
        """The status, or "stalled" while an open run's worker is gone and beat has not resumed it yet."""
        if payment_run_is_stalled(obj):
            since = timezone.localtime(obj.heartbeat_at or obj.created_at)
            return format_html('<strong class="errornote">⚠ {}</strong>', gettext(
                "Stalled: no progress since %(time)s; resumed automatically within a minute"
            ) % {"time": since.strftime("%Y-%m-%d %H:%M")})
        return obj.get_status_display()

    @admin.action(description=_("Resume the selected unfinished runs"), permissions=["run"])
    def resume(self, request, queryset):
        runs = list(queryset.filter(status__in=PaymentRun.OPEN_STATUSES).values_list("pk", flat=True))
        audit_write_many(actor=request.user, action="run_resume_request", target_type="paymentrun",
                         rows=[(run_id, "在后台要求续跑", {}) for run_id in runs])
        for run_id in runs:
            _enqueue(run_id)
        self.message_user(request, gettext("%(count)d runs sent to the workers.") % {"count": len(runs)},
                          messages.SUCCESS)


class StartRunForm(ActionForm):
    period = forms.CharField(
        label=_("period"), required=False, max_length=7,
        help_text=_("e.g. %(month)s for a monthly program, %(year)s for a yearly one; empty: the last ended period")
        % {"month": KEY_EXAMPLES["month"], "year": KEY_EXAMPLES["year"]},
    )


@admin.register(PaymentProgram)
class PaymentProgramAdmin(ReadOnlyMixin, ScopedAdmin):
    """Finance starts a payment run here: tick the program, give the period, choose the action."""

    jurisdiction_path = PROGRAM_PATH

    list_display = ["code", "name", "amount_yuan", "period", "max_periods", "family", "beneficiary", "active",
                    "last_run"]
    list_filter = ["period", "active"]
    action_form = StartRunForm
    actions = ["start_run"]
    fields = ["code", "name", "clause", "amount_yuan", "period", "max_periods", "family", "beneficiary",
              "commitment_years", "conditions", "active"]
    readonly_fields = fields

    def has_run_permission(self, request):
        return may_act_on_payments(request.user)

    @admin.display(description=_("amount"))
    def amount_yuan(self, obj):
        return amount(obj.amount_fen)

    @admin.display(description=_("last run"))
    def last_run(self, obj):
        run = PaymentRun.objects.filter(program_id=obj.pk).order_by("-id").first()
        return f"{run.period} · {run.get_status_display()} · {run.percent}%" if run else "—"

    @admin.action(description=_("Start a payment run for the period"), permissions=["run"])
    def start_run(self, request, queryset):
        period = request.POST.get("period", "").strip() or None
        for program in queryset:
            run = report_errors(self, request, lambda p=program: payment_run_start(
                program_code=p.code, period=period, actor=request.user, trigger="admin"))
            if run is None:
                continue
            _enqueue(run.pk)
            self.message_user(request, gettext("Run #%(id)s of %(program)s for %(period)s sent to the workers.")
                              % {"id": run.pk, "program": program.code, "period": run.period}, messages.SUCCESS)
