"""Seed the policy tables from the four notices and the working calendar from chinesecalendar."""

from django.db import migrations


def seed(apps, schema_editor):
    from policies.seed.load import record_seed_history, seed_policies
    from policies.services.calendar import working_calendar_sync

    seed_policies(apps)
    record_seed_history(apps, "seeded from the notices in shared/seeds")
    working_calendar_sync(model=apps.get_model("policies", "WorkingCalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
