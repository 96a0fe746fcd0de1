"""One open draft per applicant and route, as a partial unique index. Drafts made twice before it
existed (five concurrent "create draft" calls made five) are withdrawn first, all but the newest, each
with its audit row, so the index can be built."""

from django.db import migrations, models
from django.db.models import Max

REASON = "系统合并：同一落户途径只能保留一份草稿（保留最新的一份）"


def withdraw_duplicate_drafts(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    ApplicationTransition = apps.get_model("applications", "ApplicationTransition")
    doubled = (
        Application.objects.filter(state="draft").values("applicant_id", "route_id")
        .annotate(newest=Max("id"), n=models.Count("id")).filter(n__gt=1)
    )
    for group in doubled:
        older = Application.objects.filter(
            state="draft", applicant_id=group["applicant_id"], route_id=group["route_id"], id__lt=group["newest"]
        )
        ApplicationTransition.objects.bulk_create([
            ApplicationTransition(application_id=pk, transition="withdraw", source="draft", target="withdrawn",
                                  actor=None, reason=REASON)
            for pk in older.values_list("id", flat=True)
        ])
        older.update(state="withdrawn", version=models.F("version") + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_personal_data_access"),
    ]

    operations = [
        migrations.RunPython(withdraw_duplicate_drafts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "draft")), fields=("applicant", "route"),
                name="application_one_draft_per_route",
            ),
        ),
    ]
