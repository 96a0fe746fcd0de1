"""Schedule the payment runs in django-celery-beat (Asia/Shanghai; editable in the admin):
monthly programs on the 1st for the month just ended, yearly ones on 1 January for the year just
ended, and daily the rewards, the 5-year commitments, recoveries and any run whose worker died."""

from django.db import migrations

SCHEDULES = [
    # name, task, (minute, hour, day_of_month, month_of_year)
    ("每月发放（生活资助等按月项目，上月）", "subsidies.monthly_payment_runs", ("0", "2", "1", "*")),
    ("每年发放（安心补贴等按年项目，上一年）", "subsidies.yearly_payment_runs", ("30", "2", "1", "1")),
    ("每日发放奖励并核查五年承诺与追回", "subsidies.daily_jobs", ("0", "4", "*", "*")),
]


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, day_of_month, month_of_year) in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month=day_of_month, month_of_year=month_of_year,
            timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("subsidies", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
