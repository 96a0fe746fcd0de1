"""Beat schedule (django-celery-beat, editable in the admin): every minute, resume the payment runs
whose worker died (heartbeat older than PAYMENT_RUN_STALLED_AFTER_SECONDS)."""

from django.db import migrations

NAME = "每分钟续跑已停滞的发放"
TASK = "subsidies.resume_stalled_runs"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": TASK, "interval": every})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0002_beat_schedule")]

    operations = [migrations.RunPython(schedule, unschedule)]
