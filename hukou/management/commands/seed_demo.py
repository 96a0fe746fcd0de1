from django.core.management.base import BaseCommand

from hukou.demo import demo_accounts_create


class Command(BaseCommand):
    help = "Create one demo account per role and print the logins (demo only)."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="use this password for every demo account")

    def handle(self, *args, password=None, **options):
        logins = demo_accounts_create(password=password)
        self.stdout.write("Demo accounts (role / username / password):")
        for group, username, secret in logins:
            self.stdout.write(f"  {group:<8}  {username:<24}  {secret}")
