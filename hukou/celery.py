"""The Celery application: Redis broker, schedules from django-celery-beat (editable in admin)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hukou.settings")

app = Celery("hukou")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
