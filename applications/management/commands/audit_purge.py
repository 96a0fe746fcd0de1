"""python manage.py audit_purge: delete personal-data access records past the retention period now
(celery beat runs the same job daily); the chain stays verifiable from its anchor."""

from django.core.management.base import BaseCommand

from applications.services.personal_data import personal_data_audit_purge, retention_months


class Command(BaseCommand):
    help = "Delete personal-data access records older than PERSONAL_DATA_AUDIT_RETENTION_MONTHS (at least 6)."

    def handle(self, *args, **options):
        deleted = personal_data_audit_purge()
        self.stdout.write(f"{deleted} rows older than {retention_months()} months deleted")
