"""Programs carry conditions now (policies 0006): existing entitlements keep their frozen terms.

- ``basis`` records, for each existing entitlement, that it was created under the program's old route
  list (the route the settler took), so the clerk sees why it exists; it is never withdrawn.
- An employer change no longer stops the employer's reward (绍柯 二(二)5 depends on the hukou staying,
  not on the job): a reward stopped only by an employer change is open again, until a move-out.
- ``in_district`` of existing employment facts: recorded by the Keqiao office before the field existed,
  they are taken as employment in the district (the default).
"""

from django.db import migrations, models

EMPLOYER_CHANGE_LABEL = "更换用人单位"


def freeze_existing(apps, schema_editor):
    """Set-based (one UPDATE per route), so that a million entitlements take seconds, not hours."""
    Entitlement = apps.get_model("subsidies", "Entitlement")
    FactEvent = apps.get_model("subsidies", "FactEvent")
    # order_by(): the model's ordering would otherwise join the DISTINCT (one "route" per entitlement)
    routes = Entitlement.objects.order_by().values_list("registration__application__route__code", flat=True)
    for route in sorted(set(routes.distinct())):
        Entitlement.objects.filter(registration__application__route__code=route).update(
            basis=[{"label": f"按原补贴途径名单产生（落户途径 {route}），保留原享受条件", "ok": True}]
        )
    stopped = Entitlement.objects.filter(stop_reason__startswith=EMPLOYER_CHANGE_LABEL).select_related("registration")
    for entitlement in stopped:
        move = (
            FactEvent.objects.filter(applicant_id=entitlement.applicant_id, kind="hukou_moved_out",
                                     revoked_at__isnull=True, occurred_on__gte=entitlement.registration.registered_on)
            .order_by("occurred_on").values_list("occurred_on", flat=True).first()
        )
        entitlement.stops_on = move
        entitlement.stop_reason = f"户口迁出（{move:%Y-%m-%d}）" if move else ""
        entitlement.save(update_fields=["stops_on", "stop_reason"])


class Migration(migrations.Migration):

    dependencies = [
        ('subsidies', '0003_resume_stalled_runs_schedule'),
        ('policies', '0006_program_conditions_new_routes'),
    ]

    operations = [
        migrations.AddField(
            model_name='entitlement',
            name='basis',
            field=models.JSONField(blank=True, default=list, help_text="The program's conditions as the settler met them when the entitlement was created (frozen).", verbose_name='conditions met'),
        ),
        migrations.AddField(
            model_name='factevent',
            name='in_district',
            field=models.BooleanField(default=True, help_text='For a new employment: whether the employer is in the district (安心补贴 needs it).', verbose_name='employment in the district'),
        ),
        migrations.AddField(
            model_name='historicalentitlement',
            name='basis',
            field=models.JSONField(blank=True, default=list, help_text="The program's conditions as the settler met them when the entitlement was created (frozen).", verbose_name='conditions met'),
        ),
        migrations.AddField(
            model_name='historicalfactevent',
            name='in_district',
            field=models.BooleanField(default=True, help_text='For a new employment: whether the employer is in the district (安心补贴 needs it).', verbose_name='employment in the district'),
        ),
        migrations.RunPython(freeze_existing, migrations.RunPython.noop),
    ]
