"""python manage.py audit_verify: check the hash chain of the personal-data access records.

Exit status 0 and "intact" when every row matches its hash and follows the one before it; otherwise
exit status 1 and the first broken row named."""

from django.core.management.base import BaseCommand, CommandError

from applications.services.personal_data import personal_data_audit_verify


class Command(BaseCommand):
    help = "Verify the hash chain of the personal-data access records (个人信息访问留痕)."

    def handle(self, *args, **options):
        report = personal_data_audit_verify()
        if not report.intact:
            raise CommandError(f"personal data access chain BROKEN after {report.rows} good rows: {report.reason}",
                               returncode=1)
        self.stdout.write(f"personal data access chain intact: {report.rows} rows")
