"""Notifications: an in-app message, then e-mail and SMS once, even if the delivery job runs twice."""

import pytest
from django.core import mail

from applications.models import Notification
from applications.services.notifications import notification_deliver_now
from applications.services.transitions import application_submit
from applications.sms import ConsoleSmsBackend
from tests.applications.conftest import ON


@pytest.mark.django_db
def test_a_transition_tells_the_applicant_by_message_mail_and_sms_exactly_once(draft, applicant):
    ConsoleSmsBackend.sent.clear()
    application_submit(application_id=draft.pk, actor=applicant.user, on=ON)
    notification = Notification.objects.get(user=applicant.user)
    assert "已提交" in notification.subject and "2026年3月9日" in notification.body

    notification_deliver_now(notification_id=notification.pk)
    notification_deliver_now(notification_id=notification.pk)  # a re-run after a crash sends nothing more

    assert len(mail.outbox) == 1 and mail.outbox[0].to == [applicant.user.email]
    assert ConsoleSmsBackend.sent == [(applicant.phone, f"【落户办理】{notification.subject}")]
    notification.refresh_from_db()
    assert notification.delivered_at is not None
