from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """站内消息: what the applicant was told about their case (also sent by e-mail and SMS).

    The row is also the outbox of that e-mail and SMS: it is written in the same transaction as the
    state change it tells of, and stays undelivered until both went out. A task tries at once; the
    beat job ``applications.notifications_deliver_due`` retries with backoff until delivered. Each
    channel records when it was sent, so a retry never sends one twice.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    application = models.ForeignKey(
        "applications.Application", verbose_name=_("application"), null=True, on_delete=models.CASCADE,
        related_name="notifications",
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("sent by e-mail and SMS at"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("SMS sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("failed delivery attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next delivery attempt at"), default=timezone.now)
    last_error = models.CharField(_("last delivery error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_inbox"),
            models.Index(fields=["next_attempt_at"], condition=models.Q(delivered_at__isnull=True),
                         name="notification_outbox"),
        ]

    def __str__(self) -> str:
        return self.subject
